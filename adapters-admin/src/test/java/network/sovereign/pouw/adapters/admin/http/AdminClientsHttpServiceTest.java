package network.sovereign.pouw.adapters.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import network.sovereign.pouw.domain.Bytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin client routes and their bearer authentication over a real socket. */
class AdminClientsHttpServiceTest {

    private static final String ALICE_TOKEN = "alice-admin-token-0123456789abcdef";
    private static final String BOB_TOKEN = "bob-admin-token-fedcba9876543210";
    private static final String PREFIX = "/api/v1/admin";
    private static final String DID = "did:sov:alice-phone-1";
    private static final String KEY_HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final FakeEnrolClient ENROLMENT = new FakeEnrolClient();
    private static final Set<String> BLOCKED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static WebServer server;

    private final List<String> logLines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Handler logCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getLevel() + " " + new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startServer() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("alice", ALICE_TOKEN);
        tokens.put("bob", BOB_TOKEN);
        BearerAuthentication authentication = new BearerAuthentication(AdminTokens.of(tokens));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .featuresDiscoverServices(false)
                .routing(routing -> {
                    // A stand-in for adapters-web's problem handlers: status, headers, the message as detail.
                    routing.error(HttpException.class, AdminClientsHttpServiceTest::problem)
                            .error(Exception.class, (req, res, e) -> res.status(Status.INTERNAL_SERVER_ERROR_500)
                                    .send("unexpected " + e.getClass().getName()));
                    routing.register(PREFIX, new AdminClientsHttpService(authentication, ENROLMENT, ENROLMENT.lookup(BLOCKED)));
                    // Shows what handlers after the authentication see as the actor.
                    routing.register(PREFIX, rules -> rules.any(authentication)
                            .get("/whoami", (req, res) -> res.send(BearerAuthentication.actor(req).name())));
                    // A route wired without the authentication handler must fail closed.
                    routing.get("/unguarded", (req, res) -> res.send(BearerAuthentication.actor(req).name()));
                })
                .build()
                .start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void reset() {
        ENROLMENT.keys.clear();
        ENROLMENT.commands.clear();
        ENROLMENT.actors.clear();
        BLOCKED.clear();
        Logger.getLogger(AdminClientsHttpService.class.getName()).addHandler(logCapture);
        Logger.getLogger(BearerAuthentication.class.getName()).addHandler(logCapture);
    }

    @AfterEach
    void detachLogCapture() {
        Logger.getLogger(AdminClientsHttpService.class.getName()).removeHandler(logCapture);
        Logger.getLogger(BearerAuthentication.class.getName()).removeHandler(logCapture);
    }

    // ---- authentication ----

    @Test
    void without_an_authorization_header_the_answer_is_401_with_a_bearer_challenge() {
        HttpResponse<String> response = send(request("/clients/" + DID).GET());
        assertEquals(401, response.statusCode());
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void basic_credentials_are_401() {
        HttpResponse<String> response = send(request("/clients/" + DID).header("Authorization", "Basic YWxpY2U6c2VjcmV0").GET());
        assertEquals(401, response.statusCode());
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void a_bearer_header_without_a_token_is_401() {
        assertEquals(401, send(request("/clients/" + DID).header("Authorization", "Bearer ").GET()).statusCode());
        assertEquals(401, send(request("/clients/" + DID).header("Authorization", "Bearer").GET()).statusCode());
        assertEquals(401, send(request("/clients/" + DID).header("Authorization", "Bearerx " + ALICE_TOKEN).GET()).statusCode());
    }

    @Test
    void a_wrong_token_is_403_and_the_log_names_no_token() {
        String wrong = ALICE_TOKEN.substring(0, ALICE_TOKEN.length() - 1) + "X";
        HttpResponse<String> response = send(request("/clients/" + DID).header("Authorization", "Bearer " + wrong).GET());
        assertEquals(403, response.statusCode());
        assertFalse(response.body().contains(wrong), response.body());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("invalid bearer token")), logLines.toString());
        assertTrue(logLines.stream().noneMatch(l -> l.contains(wrong) || l.contains(ALICE_TOKEN)), logLines.toString());
    }

    @Test
    void a_wrong_token_is_refused_before_the_body_is_looked_at() {
        HttpResponse<String> response = send(request("/clients").header("Authorization", "Bearer wrong-token-00000000000")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("garbage")));
        assertEquals(403, response.statusCode());
        assertTrue(ENROLMENT.commands.isEmpty());
    }

    @Test
    void an_unknown_admin_path_asks_for_credentials_before_saying_404() {
        assertEquals(401, send(request("/no-such-thing").GET()).statusCode());
        assertEquals(404, send(authorized("/no-such-thing", ALICE_TOKEN).GET()).statusCode());
    }

    @Test
    void the_scheme_is_case_insensitive() {
        HttpResponse<String> response = send(request("/whoami").header("Authorization", "bearer " + BOB_TOKEN).GET());
        assertEquals(200, response.statusCode());
        assertEquals("bob", response.body());
    }

    @Test
    void the_matched_token_name_is_the_actor_seen_by_later_handlers() {
        assertEquals("alice", send(authorized("/whoami", ALICE_TOKEN).GET()).body());
        assertEquals("bob", send(authorized("/whoami", BOB_TOKEN).GET()).body());
    }

    @Test
    void a_route_not_behind_the_authentication_fails_closed_with_401() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/unguarded"))
                .header("Authorization", "Bearer " + ALICE_TOKEN).GET());
        assertEquals(401, response.statusCode());
    }

    // ---- POST /clients ----

    @Test
    void enrolling_a_new_did_is_201_with_the_client_and_a_location() throws IOException {
        HttpResponse<String> response = postJson(ALICE_TOKEN, body(DID, "ed25519", KEY_HEX));
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(PREFIX + "/clients/" + DID, response.headers().firstValue("Location").orElse(null));
        JsonNode json = JSON.readTree(response.body());
        assertEquals(DID, json.get("did").asText());
        assertEquals("ed25519", json.get("sig_scheme").asText());
        assertEquals(KEY_HEX, json.get("public_key").asText());
        assertTrue(json.get("created").asBoolean());
        assertEquals(1, ENROLMENT.commands.size());
        assertEquals(Bytes.fromHex(KEY_HEX), ENROLMENT.commands.getFirst().publicKey());
        assertTrue(ENROLMENT.commands.getFirst().proof().isEmpty());
        assertEquals(java.util.List.of("alice"), ENROLMENT.actors, "the token's name goes to the use case as the audit actor");
    }

    @Test
    void enrolling_a_known_did_again_rotates_its_key_with_200() throws IOException {
        assertEquals(201, postJson(ALICE_TOKEN, body(DID, "ed25519", KEY_HEX)).statusCode());
        String newKey = "ff".repeat(32);
        HttpResponse<String> response = postJson(ALICE_TOKEN, body(DID, "ed25519", newKey));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = JSON.readTree(response.body());
        assertFalse(json.get("created").asBoolean());
        assertEquals(newKey, json.get("public_key").asText());
        assertTrue(response.headers().firstValue("Location").isEmpty());
    }

    @Test
    void the_log_line_names_the_action_the_actor_and_the_target_but_no_secret() {
        postJson(BOB_TOKEN, body(DID, "ed25519", KEY_HEX));
        postJson(ALICE_TOKEN, body(DID, "ed25519", "ab".repeat(32)));
        assertTrue(logLines.contains("INFO admin enrol_client by bob target " + DID), logLines.toString());
        assertTrue(logLines.contains("INFO admin rotate_client_key by alice target " + DID), logLines.toString());
        assertTrue(logLines.stream().noneMatch(l -> l.contains(ALICE_TOKEN) || l.contains(BOB_TOKEN) || l.contains(KEY_HEX)),
                logLines.toString());
    }

    @Test
    void uppercase_hex_is_accepted_and_answered_in_lowercase() throws IOException {
        HttpResponse<String> response = postJson(ALICE_TOKEN, body(DID, "ed25519", KEY_HEX.toUpperCase(java.util.Locale.ROOT)));
        assertEquals(201, response.statusCode(), response.body());
        assertEquals(KEY_HEX, JSON.readTree(response.body()).get("public_key").asText());
    }

    @Test
    void unknown_fields_are_ignored() {
        HttpResponse<String> response = postJson(ALICE_TOKEN, "{\"did\":\"" + DID + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                + KEY_HEX + "\",\"nickname\":\"phone\",\"extra\":{\"a\":[1,2]}}");
        assertEquals(201, response.statusCode(), response.body());
    }

    @Test
    void malformed_json_is_400() {
        assertBadRequest(postJson(ALICE_TOKEN, "{\"did\":"), "not valid JSON");
        assertBadRequest(postJson(ALICE_TOKEN, "{} trailing"), "not valid JSON");
        assertBadRequest(postJson(ALICE_TOKEN, "\u00ff\u00fe garbage"), "not valid JSON");
        assertBadRequest(postJson(ALICE_TOKEN, "[1,2,3]"), "JSON object");
        assertBadRequest(postJson(ALICE_TOKEN, "\"did\""), "JSON object");
        assertBadRequest(postJson(ALICE_TOKEN, "null"), "JSON object");
        assertBadRequest(postJson(ALICE_TOKEN, ""), "body");
        assertBadRequest(postJson(ALICE_TOKEN, "{\"did\":\"did:a:b\",\"did\":\"did:a:c\",\"sig_scheme\":\"ed25519\",\"public_key\":\"00\"}"),
                "not valid JSON");
        assertTrue(ENROLMENT.commands.isEmpty());
    }

    @Test
    void a_missing_or_mistyped_field_is_400_naming_the_field() {
        assertBadRequest(postJson(ALICE_TOKEN, "{\"sig_scheme\":\"ed25519\",\"public_key\":\"" + KEY_HEX + "\"}"), "\"did\" is required");
        assertBadRequest(postJson(ALICE_TOKEN, "{\"did\":null,\"sig_scheme\":\"ed25519\",\"public_key\":\"" + KEY_HEX + "\"}"),
                "\"did\" is required");
        assertBadRequest(postJson(ALICE_TOKEN, "{\"did\":42,\"sig_scheme\":\"ed25519\",\"public_key\":\"" + KEY_HEX + "\"}"),
                "\"did\" must be a string");
        assertBadRequest(postJson(ALICE_TOKEN, body(" ", "ed25519", KEY_HEX)), "\"did\" must not be empty");
        assertBadRequest(postJson(ALICE_TOKEN, "{\"did\":\"" + DID + "\",\"public_key\":\"" + KEY_HEX + "\"}"), "\"sig_scheme\" is required");
        assertBadRequest(postJson(ALICE_TOKEN, "{\"did\":\"" + DID + "\",\"sig_scheme\":\"ed25519\"}"), "\"public_key\" is required");
        assertBadRequest(postJson(ALICE_TOKEN, body(DID, "ed25519", "")), "\"public_key\" must not be empty");
        assertTrue(ENROLMENT.commands.isEmpty());
    }

    @Test
    void a_key_that_is_not_hex_is_400() {
        assertBadRequest(postJson(ALICE_TOKEN, body(DID, "ed25519", "xyz0")), "\"public_key\" must be hex");
        assertBadRequest(postJson(ALICE_TOKEN, body(DID, "ed25519", "abc")), "\"public_key\" must be hex");
        assertBadRequest(postJson(ALICE_TOKEN, body(DID, "ed25519", "0x" + KEY_HEX)), "\"public_key\" must be hex");
        assertTrue(ENROLMENT.commands.isEmpty());
    }

    @Test
    void a_refusal_of_the_use_case_is_400_with_its_detail() {
        assertBadRequest(postJson(ALICE_TOKEN, body(DID, "rsa-2048", KEY_HEX)), "unsupported sig_scheme rsa-2048");
        assertBadRequest(postJson(ALICE_TOKEN, body("alice", "ed25519", KEY_HEX)), "did must look like");
    }

    @Test
    void a_body_that_is_not_application_json_is_415() {
        String json = body(DID, "ed25519", KEY_HEX);
        HttpResponse<String> textPlain = send(authorized("/clients", ALICE_TOKEN).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertEquals(415, textPlain.statusCode(), textPlain.body());
        HttpResponse<String> none = send(authorized("/clients", ALICE_TOKEN).POST(HttpRequest.BodyPublishers.ofString(json)));
        assertEquals(415, none.statusCode(), none.body());
        HttpResponse<String> malformed = send(authorized("/clients", ALICE_TOKEN).header("Content-Type", "json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertEquals(415, malformed.statusCode(), malformed.body());
        assertTrue(ENROLMENT.commands.isEmpty());
    }

    @Test
    void application_json_with_a_charset_parameter_is_accepted() {
        HttpResponse<String> response = send(authorized("/clients", ALICE_TOKEN).header("Content-Type", "Application/JSON; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body(DID, "ed25519", KEY_HEX))));
        assertEquals(201, response.statusCode(), response.body());
    }

    // ---- GET /clients/{did} ----

    @Test
    void an_enrolled_client_is_shown() throws IOException {
        postJson(ALICE_TOKEN, body(DID, "ed25519", KEY_HEX));
        BLOCKED.add(DID);
        HttpResponse<String> response = send(authorized("/clients/" + DID, BOB_TOKEN).GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = JSON.readTree(response.body());
        assertEquals(DID, json.get("did").asText());
        assertEquals("ed25519", json.get("sig_scheme").asText());
        assertEquals(KEY_HEX, json.get("public_key").asText());
        assertTrue(json.get("blocked").asBoolean());
    }

    @Test
    void an_unknown_did_is_404() {
        HttpResponse<String> response = send(authorized("/clients/did:sov:nobody", ALICE_TOKEN).GET());
        assertEquals(404, response.statusCode(), response.body());
    }

    @Test
    void a_percent_encoded_did_is_decoded_before_the_lookup() {
        postJson(ALICE_TOKEN, body(DID, "ed25519", KEY_HEX));
        assertEquals(200, send(authorized("/clients/did%3Asov%3Aalice-phone-1", ALICE_TOKEN).GET()).statusCode());
    }

    // ---- helpers ----

    private static void problem(ServerRequest req, ServerResponse res, HttpException e) {
        e.headers().forEach(res::header);
        String detail = e.getMessage() == null ? "" : e.getMessage();
        res.status(e.status()).header("Content-Type", "application/problem+json")
                .send(JSON.createObjectNode().put("status", e.status().code()).put("detail", detail).toString());
    }

    private static void assertBadRequest(HttpResponse<String> response, String detailPart) {
        assertEquals(400, response.statusCode(), response.body());
        try {
            String detail = JSON.readTree(response.body()).get("detail").asText();
            assertTrue(detail.contains(detailPart), "detail \"" + detail + "\" should contain \"" + detailPart + "\"");
        } catch (IOException e) {
            throw new AssertionError("not a problem body: " + response.body(), e);
        }
    }

    private static String body(String did, String scheme, String keyHex) {
        return JSON.createObjectNode().put("did", did).put("sig_scheme", scheme).put("public_key", keyHex).toString();
    }

    private static HttpResponse<String> postJson(String token, String json) {
        return send(authorized("/clients", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpRequest.Builder authorized(String path, String token) {
        return request(path).header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(PREFIX + path)).timeout(Duration.ofSeconds(20));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
