package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import network.sovereign.pouw.application.port.out.ComponentHealth.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The route catalog records what services really register, and GET /openapi serves the shipped document. */
class RouteCatalogTest {

    private static HttpAdapter adapter;

    @BeforeAll
    static void start() {
        FakeHealth health = new FakeHealth();
        health.ready = true;
        health.report = FakeHealth.report(Status.HEALTHY, Status.HEALTHY);
        adapter = HttpAdapter.builder(new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 1024, Duration.ofSeconds(1)),
                        health, new HelidonProtocolMetrics("1.2.3-test"), "1.2.3-test")
                .register("/api/test", rules -> rules
                        .any((req, res) -> res.next())
                        .get("/things/{id}", (req, res) -> res.send("thing " + req.path().pathParameters().get("id")))
                        .post("/things", (req, res) -> res.send("made"))
                        .route(io.helidon.http.Method.PATCH, "/things", (req, res) -> res.send("patched")))
                // A second service under the same prefix: a 405's Allow is the union of both.
                .register("/api/test", rules -> rules.delete("/things/{id}", (req, res) -> res.send("gone")))
                .start();
    }

    @AfterAll
    static void stop() {
        adapter.stop();
    }

    @Test
    void records_service_routes_with_their_prefix_and_the_built_in_routes() {
        assertEquals(List.of(
                "DELETE /api/test/things/{id}", "GET /api/test/things/{id}", "GET /health", "GET /health/live", "GET /health/ready", "GET /metrics",
                "GET /openapi", "HEAD /health", "HEAD /health/live", "HEAD /health/ready",
                "PATCH /api/test/things", "POST /api/test/things"), adapter.routes());
    }

    @Test
    void recorded_routes_still_serve() {
        assertEquals("thing 7", Http.get(adapter.port(), "/api/test/things/7").body());
        assertEquals("patched", Http.method(adapter.port(), "PATCH", "/api/test/things").body());
    }

    @Test
    void a_wrong_method_on_a_known_path_is_405_with_every_method_of_that_path_and_other_paths_stay_404() {
        HttpResponse<String> things = Http.method(adapter.port(), "DELETE", "/api/test/things");
        assertEquals(405, things.statusCode(), things.body());
        assertEquals(Optional.of("PATCH, POST"), things.headers().firstValue("Allow"));
        HttpResponse<String> thing = Http.method(adapter.port(), "PUT", "/api/test/things/7");
        assertEquals(405, thing.statusCode(), thing.body());
        assertEquals(Optional.of("DELETE, GET"), thing.headers().firstValue("Allow"));
        // Helidon does not answer HEAD from a GET route: HEAD is 405 too, and Allow names only what answers.
        HttpResponse<String> head = Http.method(adapter.port(), "HEAD", "/api/test/things/7");
        assertEquals(405, head.statusCode());
        assertEquals(Optional.of("DELETE, GET"), head.headers().firstValue("Allow"));
        assertEquals(404, Http.method(adapter.port(), "PUT", "/api/test/things/7/parts").statusCode());
        assertEquals(404, Http.get(adapter.port(), "/api/test/other").statusCode());
        assertEquals(404, Http.get(adapter.port(), "/metrics").statusCode(), "/metrics is on the metrics port only");
    }

    @Test
    void an_unreadable_route_is_recorded_as_unknown_so_a_document_check_fails() {
        RouteCatalog catalog = new RouteCatalog();
        io.helidon.webserver.http.HttpRouting.Builder routing = io.helidon.webserver.http.HttpRouting.builder();
        routing.register("/x", catalog.recording("/x", rules -> rules.route(io.helidon.http.Method.GET,
                io.helidon.http.PathMatchers.exact("/y"), (req, res) -> res.send("y"))));
        routing.build();
        assertEquals(1, catalog.routes().size());
        assertTrue(catalog.routes().getFirst().startsWith("? route"), catalog.routes().toString());
    }

    @Test
    void openapi_serves_the_document_as_yaml() {
        HttpResponse<String> response = Http.get(adapter.port(), "/openapi");
        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("application/yaml; charset=UTF-8"), response.headers().firstValue("Content-Type"));
        assertTrue(response.body().startsWith("openapi: 3.1.0\n"), response.body().substring(0, 40));
        assertTrue(response.body().contains("\n  /api/v1/pouw/receipts:\n"), "documents the submit route");
    }

    @Test
    void openapi_serves_the_same_document_as_json_when_the_client_asks_for_json() throws Exception {
        HttpResponse<String> yaml = Http.get(adapter.port(), "/openapi");
        HttpResponse<String> response = Http.send(Http.request(adapter.port(), "/openapi")
                .header("Accept", "application/json").GET().build());
        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("application/json"), response.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("Accept"), response.headers().firstValue("Vary"));
        com.fasterxml.jackson.databind.JsonNode document = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        assertEquals("3.1.0", document.get("openapi").asText());
        // Every path of the YAML (its two-space layout under paths:) is in the JSON, and nothing else.
        List<String> yamlPaths = yaml.body().lines().filter(l -> l.matches("  /\\S*:")).map(l -> l.substring(2, l.length() - 1)).toList();
        List<String> jsonPaths = new java.util.ArrayList<>();
        document.get("paths").fieldNames().forEachRemaining(jsonPaths::add);
        assertEquals(yamlPaths, jsonPaths);
        assertTrue(document.at("/paths/~1api~1v1~1pouw~1receipts/post/responses").has("200"), "status keys are strings");
    }

    @Test
    void openapi_keeps_yaml_for_wildcards_and_yaml_first_and_refuses_what_it_cannot_write() {
        for (String accept : List.of("*/*", "application/yaml", "application/yaml, application/json;q=0.5", "text/html, */*;q=0.1")) {
            HttpResponse<String> response = Http.send(Http.request(adapter.port(), "/openapi").header("Accept", accept).GET().build());
            assertEquals(200, response.statusCode(), accept);
            assertEquals(Optional.of("application/yaml; charset=UTF-8"), response.headers().firstValue("Content-Type"), accept);
        }
        HttpResponse<String> json = Http.send(Http.request(adapter.port(), "/openapi")
                .header("Accept", "application/yaml;q=0.5, application/json").GET().build());
        assertEquals(Optional.of("application/json"), json.headers().firstValue("Content-Type"));
        HttpResponse<String> xml = Http.send(Http.request(adapter.port(), "/openapi").header("Accept", "application/xml").GET().build());
        assertEquals(406, xml.statusCode());
    }

    @Test
    void a_date_like_scalar_stays_a_string_in_json() {
        assertEquals("{\n  \"example\" : \"2026-01-01T00:00:00Z\"\n}",
                new String(OpenApiHttpService.toJson("example: 2026-01-01T00:00:00Z\n"), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void openapi_refuses_other_methods_with_405() {
        assertEquals(405, Http.method(adapter.port(), "DELETE", "/openapi").statusCode());
    }

    @Test
    void a_request_is_labelled_with_its_route_template_and_a_literal_route_wins() {
        RouteCatalog catalog = new RouteCatalog();
        catalog.add("GET", "/api/v1/pouw/challenges/{id}");
        catalog.add("GET", "/api/v1/pouw/challenges/latest");
        catalog.add("POST", "/api/v1/pouw/receipts");
        catalog.add("GET", "/files/*");
        assertEquals("GET /api/v1/pouw/challenges/{id}", catalog.routeOf("GET", "/api/v1/pouw/challenges/0f3a"));
        assertEquals("GET /api/v1/pouw/challenges/latest", catalog.routeOf("GET", "/api/v1/pouw/challenges/latest"));
        assertEquals("POST /api/v1/pouw/receipts", catalog.routeOf("POST", "/api/v1/pouw/receipts"));
        assertEquals("other", catalog.routeOf("GET", "/api/v1/pouw/receipts"));
        assertEquals("other", catalog.routeOf("POS", "/api/v1/pouw/receipts"));
        assertEquals("other", catalog.routeOf("GET", "/api/v1/pouw/challenges/a/b"));
        assertEquals("GET /files/*", catalog.routeOf("GET", "/files/a/b"));
    }
}
