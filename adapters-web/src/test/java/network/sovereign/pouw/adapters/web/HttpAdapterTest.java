package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.media.type.MediaTypes;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemException;
import network.sovereign.pouw.adapters.web.problem.RequestChecks;
import network.sovereign.pouw.application.port.out.ComponentHealth.Status;
import network.sovereign.pouw.application.port.out.StoreUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API and metrics sockets over real connections: health, problems, socket separation. */
class HttpAdapterTest {

    private static final long MAX_BODY = 1024;
    private static final FakeHealth HEALTH = new FakeHealth();
    private static HttpAdapter adapter;
    private static int api;
    private static int metrics;

    @BeforeAll
    static void start() {
        WebSettings settings = new WebSettings("127.0.0.1", 0, 0, Optional.empty(), MAX_BODY, Duration.ofSeconds(5));
        adapter = HttpAdapter.builder(settings, HEALTH, new HelidonProtocolMetrics("1.2.3-test"), "1.2.3-test")
                .routes(routing -> routing
                        .post("/test/echo", (req, res) -> res.send(req.content().as(String.class)))
                        .post("/test/json", (req, res) -> {
                            RequestChecks.requireContentType(req, MediaTypes.APPLICATION_JSON,
                                    MediaTypes.create("application/x-protobuf"));
                            res.send(req.content().as(String.class));
                        })
                        .get("/test/boom", (req, res) -> {
                            throw new IllegalStateException("jdbc:postgresql://db/secret password=hunter2");
                        })
                        .get("/test/store-down", (req, res) -> {
                            throw new StoreUnavailableException("pool exhausted", new IllegalStateException("secret"));
                        })
                        .get("/test/problem", (req, res) -> {
                            throw new ProblemException(Problem.withReason(403, "blocked_did", "the DID is blocked"));
                        }))
                .start();
        api = adapter.port();
        metrics = adapter.metricsPort();
    }

    @AfterAll
    static void stop() {
        adapter.stop();
    }

    @BeforeEach
    void healthy() {
        HEALTH.ready = true;
        HEALTH.failure = null;
        HEALTH.report = FakeHealth.report(Status.HEALTHY, Status.HEALTHY);
    }

    @Test
    void ephemeral_ports_are_bound_and_distinct() {
        assertTrue(api > 0);
        assertTrue(metrics > 0);
        assertNotEquals(api, metrics);
        assertTrue(adapter.isRunning());
    }

    @Test
    void live_is_200_even_when_the_node_is_not_ready_and_the_report_fails() {
        HEALTH.ready = false;
        HEALTH.failure = new IllegalStateException("database gone");
        HttpResponse<String> response = Http.get(api, "/health/live");
        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"UP\",\"checks\":[{\"name\":\"process\",\"status\":\"UP\"}]}", response.body());
        assertJsonNoStore(response, "application/json");
    }

    @Test
    void ready_follows_the_use_case() {
        HttpResponse<String> up = Http.get(api, "/health/ready");
        assertEquals(200, up.statusCode());
        assertEquals("{\"status\":\"UP\",\"checks\":[{\"name\":\"readiness\",\"status\":\"UP\"}]}", up.body());
        assertJsonNoStore(up, "application/json");

        HEALTH.ready = false;
        HttpResponse<String> down = Http.get(api, "/health/ready");
        assertEquals(503, down.statusCode());
        assertEquals("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"readiness\",\"status\":\"DOWN\"}]}", down.body());

        HEALTH.ready = true;
        assertEquals(200, Http.get(api, "/health/ready").statusCode());
    }

    @Test
    void ready_is_503_when_the_use_case_throws() {
        HEALTH.failure = new IllegalStateException("boom");
        HttpResponse<String> response = Http.get(api, "/health/ready");
        assertEquals(503, response.statusCode());
        assertEquals("{\"status\":\"ERROR\",\"checks\":[{\"name\":\"readiness\",\"status\":\"ERROR\"}]}", response.body());
    }

    @Test
    void health_renders_the_report_and_is_200_when_degraded() {
        HEALTH.report = FakeHealth.report(Status.HEALTHY, Status.DEGRADED);
        HttpResponse<String> response = Http.get(api, "/health");
        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"degraded\",\"version\":\"1.2.3-test\",\"uptime_seconds\":42,\"components\":["
                + "{\"name\":\"database\",\"status\":\"healthy\",\"message\":\"select 1 answered\",\"response_time_ms\":3},"
                + "{\"name\":\"node_key\",\"status\":\"degraded\",\"message\":\"ed25519 \\\"key\\\" loaded\",\"response_time_ms\":0}"
                + "]}", response.body());
        assertJsonNoStore(response, "application/json");
    }

    @Test
    void health_is_503_when_a_component_is_unhealthy() {
        HEALTH.report = FakeHealth.report(Status.UNHEALTHY, Status.HEALTHY);
        HttpResponse<String> response = Http.get(api, "/health");
        assertEquals(503, response.statusCode());
        assertTrue(response.body().startsWith("{\"status\":\"unhealthy\",\"version\":\"1.2.3-test\",\"uptime_seconds\":42,"),
                response.body());
        assertTrue(response.body().contains("{\"name\":\"database\",\"status\":\"unhealthy\""), response.body());
    }

    @Test
    void health_is_503_unhealthy_without_components_when_the_report_fails() {
        HEALTH.failure = new IllegalStateException("secret internals");
        HttpResponse<String> response = Http.get(api, "/health");
        assertEquals(503, response.statusCode());
        assertTrue(response.body().matches("\\{\"status\":\"unhealthy\",\"version\":\"1\\.2\\.3-test\","
                + "\"uptime_seconds\":\\d+,\"components\":\\[]}"), response.body());
    }

    @Test
    void head_on_a_health_path_answers_like_get_without_a_body() throws IOException {
        for (String path : List.of("/health/live", "/health/ready", "/health")) {
            // Helidon keeps the connection open after a HEAD; a second of silence means the answer is complete.
            String answer = Http.raw(api, "HEAD " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n", Duration.ofSeconds(1));
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.endsWith("\r\n\r\n"), "no body expected: " + answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-length: "), answer);
        }
        String answer = Http.raw(api, "HEAD /no/such/path HTTP/1.1\r\nHost: localhost\r\n\r\n", Duration.ofSeconds(1));
        assertTrue(answer.startsWith("HTTP/1.1 404 "), answer);
        assertTrue(answer.endsWith("\r\n\r\n"), "no body expected: " + answer);
    }

    @Test
    void unknown_path_is_a_404_problem() {
        HttpResponse<String> response = Http.get(api, "/no/such/path");
        assertProblem(response, 404, "Not Found");
    }

    @Test
    void wrong_method_on_a_health_path_is_a_405_problem_with_allow() {
        HttpResponse<String> response = Http.method(api, "DELETE", "/health");
        assertProblem(response, 405, "Method Not Allowed");
        assertEquals(Optional.of("GET, HEAD"), response.headers().firstValue("Allow"));
    }

    @Test
    void body_over_the_cap_is_a_413_problem_with_a_content_length() {
        HttpResponse<String> response = Http.post(api, "/test/echo", bytes(MAX_BODY + 1));
        assertProblem(response, 413, "Content Too Large|Request Entity Too Large|Payload Too Large");
        assertTrue(response.body().contains("\"detail\":\"request body exceeds the limit of 1024 bytes\""), response.body());
    }

    @Test
    void body_over_the_cap_is_a_413_problem_when_chunked() {
        HttpResponse<String> response = Http.postChunked(api, "/test/echo", bytes(4 * MAX_BODY));
        assertProblem(response, 413, "Content Too Large|Request Entity Too Large|Payload Too Large");
    }

    @Test
    void body_within_the_cap_is_served() {
        HttpResponse<String> response = Http.post(api, "/test/echo", bytes(MAX_BODY));
        assertEquals(200, response.statusCode());
        assertEquals((int) MAX_BODY, response.body().length());
    }

    @Test
    void a_body_of_the_wrong_media_type_is_a_415_problem() {
        HttpResponse<String> xml = Http.send(Http.request(api, "/test/json").header("Content-Type", "application/xml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("<a/>")).build());
        assertProblem(xml, 415, "Unsupported Media Type");
        assertTrue(xml.body().contains("supported: application/json, application/x-protobuf"), xml.body());
        assertProblem(Http.send(Http.request(api, "/test/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build()), 415, "Unsupported Media Type");
        HttpResponse<String> json = Http.send(Http.request(api, "/test/json")
                .header("Content-Type", "Application/JSON; charset=utf-8")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(200, json.statusCode());
    }

    @Test
    void unexpected_exception_is_a_500_problem_that_leaks_nothing() {
        HttpResponse<String> response = Http.get(api, "/test/boom");
        assertProblem(response, 500, "Internal Server Error");
        assertFalse(response.body().contains("secret"), response.body());
        assertFalse(response.body().contains("hunter2"), response.body());
        assertFalse(response.body().contains("IllegalStateException"), response.body());
        assertTrue(response.body().matches(".*\"detail\":\"unexpected error; incident [0-9a-f]{8} has been logged\".*"),
                response.body());
    }

    @Test
    void store_unavailable_is_a_503_problem_with_retry_after() {
        HttpResponse<String> response = Http.get(api, "/test/store-down");
        assertProblem(response, 503, "Service Unavailable");
        assertEquals(Optional.of("5"), response.headers().firstValue("Retry-After"));
        assertFalse(response.body().contains("secret"), response.body());
        assertFalse(response.body().contains("pool exhausted"), response.body());
    }

    @Test
    void a_route_answers_with_a_problem_carrying_a_reason() {
        HttpResponse<String> response = Http.get(api, "/test/problem");
        assertEquals(403, response.statusCode());
        assertEquals("{\"type\":\"urn:pouw:problem:blocked_did\",\"title\":\"Forbidden\",\"status\":403,"
                + "\"detail\":\"the DID is blocked\",\"reason\":\"blocked_did\"}", response.body());
        assertJsonNoStore(response, "application/problem+json");
    }

    @Test
    void a_malformed_request_line_is_a_400_problem() throws IOException {
        String answer = Http.raw(api, "GARBAGE\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("\"status\":400"), answer);
    }

    @Test
    void the_api_socket_does_not_serve_metrics() {
        assertProblem(Http.get(api, "/metrics"), 404, "Not Found");
        assertProblem(Http.get(api, "/observe/metrics"), 404, "Not Found");
        assertProblem(Http.get(api, "/observe/health"), 404, "Not Found");
    }

    @Test
    void the_metrics_socket_serves_only_metrics() {
        assertEquals(200, Http.get(metrics, "/metrics").statusCode());
        assertProblem(Http.get(metrics, "/health"), 404, "Not Found");
        assertProblem(Http.get(metrics, "/health/live"), 404, "Not Found");
        assertProblem(Http.get(metrics, "/test/echo"), 404, "Not Found");
        assertProblem(Http.method(metrics, "POST", "/metrics"), 405, "Method Not Allowed");
    }

    static void assertProblem(HttpResponse<String> response, int status, String titleRegex) {
        assertEquals(status, response.statusCode(), response.body());
        assertJsonNoStore(response, "application/problem+json");
        String body = response.body();
        assertTrue(body.matches("\\{\"type\":\"about:blank\",\"title\":\"(" + titleRegex + ")\",\"status\":" + status
                + ",\"detail\":\"[^\"]+\"}"), body);
    }

    private static void assertJsonNoStore(HttpResponse<String> response, String contentType) {
        assertEquals(Optional.of(contentType), response.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("no-store"), response.headers().firstValue("Cache-Control"));
    }

    private static byte[] bytes(long n) {
        byte[] body = new byte[(int) n];
        Arrays.fill(body, (byte) 'x');
        return body;
    }
}
