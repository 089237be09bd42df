package network.sovereign.pouw.adapters.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import network.sovereign.pouw.application.port.in.BlockDidUseCase;
import network.sovereign.pouw.application.port.in.ListAuditUseCase;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.AuditEvent;
import network.sovereign.pouw.application.port.out.BlockedDid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin blocking and audit routes over a real socket, with in-memory use cases. */
class AdminBlockingHttpServiceTest {

    private static final String TOKEN = "alice-admin-token-0123456789abcdef";
    private static final String PREFIX = "/api/v1/admin";
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Blocks and audit entries in memory; the real rules are the service's, tested in application. */
    private static final class FakeBlocking implements BlockDidUseCase, ListAuditUseCase {
        final TreeMap<String, BlockedDid> blocked = new TreeMap<>();
        final List<AuditEvent> audit = new ArrayList<>();

        @Override
        public synchronized BlockResult block(BlockDidCommand command) {
            if (!command.did().startsWith("did:")) {
                return new BlockResult.Invalid("did is not a DID");
            }
            boolean already = blocked.containsKey(command.did());
            blocked.putIfAbsent(command.did(), new BlockedDid(command.did(), command.reason(), command.actor(), T0));
            audit.add(new AuditEvent(audit.size() + 1, new AuditEntry(command.actor(), "block_did", Optional.of(command.did()),
                    command.reason(), Optional.empty(), T0)));
            return new BlockResult.Blocked(command.did(), already);
        }

        @Override
        public synchronized UnblockResult unblock(BlockDidCommand command) {
            if (!command.did().startsWith("did:")) {
                return new UnblockResult.Invalid("did is not a DID");
            }
            boolean was = blocked.remove(command.did()) != null;
            audit.add(new AuditEvent(audit.size() + 1, new AuditEntry(command.actor(), "unblock_did", Optional.of(command.did()),
                    command.reason(), Optional.empty(), T0)));
            return new UnblockResult.Unblocked(command.did(), was);
        }

        @Override
        public synchronized Page<BlockedDid> blocked(Optional<String> afterDid, int limit) {
            List<BlockedDid> rest = List.copyOf((afterDid.isPresent() ? blocked.tailMap(afterDid.get(), false) : blocked).values());
            return Page.of(rest.stream().limit(limit + 1L).toList(), limit);
        }

        @Override
        public synchronized Page<AuditEvent> list(OptionalLong beforeId, int limit) {
            return Page.of(audit.reversed().stream().filter(e -> beforeId.isEmpty() || e.id() < beforeId.getAsLong())
                    .limit(limit + 1L).toList(), limit);
        }
    }

    private static final FakeBlocking BLOCKING = new FakeBlocking();
    private static WebServer server;

    @BeforeAll
    static void startServer() {
        BearerAuthentication authentication = new BearerAuthentication(AdminTokens.of(Map.of("alice", TOKEN)));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .featuresDiscoverServices(false)
                .routing(routing -> {
                    routing.error(HttpException.class, (req, res, e) -> {
                        e.headers().forEach(res::header);
                        res.status(e.status()).header("Content-Type", "application/problem+json")
                                .send(JSON.createObjectNode().put("status", e.status().code())
                                        .put("detail", e.getMessage() == null ? "" : e.getMessage()).toString());
                    }).error(Exception.class, (req, res, e) -> res.status(Status.INTERNAL_SERVER_ERROR_500)
                            .send("unexpected " + e.getClass().getName()));
                    routing.register(PREFIX, new AdminBlockingHttpService(authentication, BLOCKING, BLOCKING));
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
        synchronized (BLOCKING) {
            BLOCKING.blocked.clear();
            BLOCKING.audit.clear();
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + PREFIX + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String contentType, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** One HTTP/1.1 response with a Content-Length body, read off a kept-alive connection. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the headers: " + head);
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (!length.find()) {
            throw new IOException("no Content-Length: " + head);
        }
        return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void the_runbook_curl_without_a_content_type_blocks_and_the_actor_is_the_token_name() throws Exception {
        // Exactly what `curl -X POST .../block-did -H 'Authorization: Bearer ..' -d '{"did": "..."}'` sends.
        String body = "{\"did\": \"did:sov:malicious\"}";
        String request = "POST " + PREFIX + "/block-did HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUser-Agent: curl/8.5.0\r\n"
                + "Accept: */*\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: " + body.length()
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n" + body;
        String answer;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answer = readResponse(socket.getInputStream());
        }
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.endsWith("{\"did\":\"did:sov:malicious\",\"blocked\":true,\"already_blocked\":false}"), answer);
        assertEquals("alice", BLOCKING.blocked.get("did:sov:malicious").blockedBy());

        HttpResponse<String> noType = post("/block-did", null, "{\"did\":\"did:sov:malicious\",\"reason\":\"spam\"}", TOKEN);
        assertEquals(200, noType.statusCode(), noType.body());
        assertEquals(true, json(noType).get("already_blocked").asBoolean());
        HttpResponse<String> asJson = post("/block-did", "application/json; charset=UTF-8", "{\"did\":\"did:sov:other\"}", TOKEN);
        assertEquals(200, asJson.statusCode(), asJson.body());
        assertEquals(false, json(asJson).get("already_blocked").asBoolean());
    }

    @Test
    void unblock_answers_whether_the_did_was_blocked() throws Exception {
        post("/block-did", "application/json", "{\"did\":\"did:sov:x\",\"reason\":\"spam\"}", TOKEN);

        HttpResponse<String> first = post("/unblock-did", null, "{\"did\":\"did:sov:x\"}", TOKEN);
        HttpResponse<String> second = post("/unblock-did", "application/json", "{\"did\":\"did:sov:x\"}", TOKEN);

        assertEquals(200, first.statusCode(), first.body());
        assertEquals("{\"did\":\"did:sov:x\",\"blocked\":false,\"was_blocked\":true}", first.body());
        assertEquals("{\"did\":\"did:sov:x\",\"blocked\":false,\"was_blocked\":false}", second.body());
    }

    @Test
    void bad_dids_bad_json_and_other_content_types_are_refused() throws Exception {
        assertEquals(400, post("/block-did", null, "{\"did\":\"malicious\"}", TOKEN).statusCode());
        assertEquals(400, post("/unblock-did", null, "{\"did\":\"malicious\"}", TOKEN).statusCode());
        assertEquals(400, post("/block-did", null, "{\"did\":", TOKEN).statusCode());
        assertEquals(400, post("/block-did", "application/x-www-form-urlencoded", "did=did:sov:x", TOKEN).statusCode(),
                "a real form body is not JSON");
        assertEquals(400, post("/block-did", null, "{}", TOKEN).statusCode());
        assertEquals(400, post("/block-did", null, "{\"did\":\"did:sov:x\",\"reason\":7}", TOKEN).statusCode());
        assertEquals(400, post("/block-did", null, "[\"did:sov:x\"]", TOKEN).statusCode());
        assertEquals(415, post("/block-did", "text/plain", "{\"did\":\"did:sov:x\"}", TOKEN).statusCode());
        assertEquals(0, BLOCKING.blocked.size());
    }

    @Test
    void every_route_needs_the_bearer_token() throws Exception {
        for (HttpResponse<String> response : List.of(
                post("/block-did", null, "{\"did\":\"did:sov:x\"}", null),
                post("/unblock-did", null, "{\"did\":\"did:sov:x\"}", null),
                get("/blocked-dids", null),
                get("/audit", null))) {
            assertEquals(401, response.statusCode(), response.uri().toString());
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
        }
        for (HttpResponse<String> response : List.of(
                post("/block-did", null, "{\"did\":\"did:sov:x\"}", "wrong-token"),
                post("/unblock-did", null, "{\"did\":\"did:sov:x\"}", "wrong-token"),
                get("/blocked-dids", "wrong-token"),
                get("/audit", "wrong-token"))) {
            assertEquals(403, response.statusCode(), response.uri().toString());
        }
        assertEquals(0, BLOCKING.blocked.size());
        assertEquals(0, BLOCKING.audit.size());
    }

    @Test
    void blocked_dids_page_with_opaque_cursors() throws Exception {
        for (String did : List.of("did:sov:c", "did:sov:a", "did:sov:b")) {
            post("/block-did", null, "{\"did\":\"" + did + "\",\"reason\":\"r-" + did + "\"}", TOKEN);
        }

        JsonNode first = json(get("/blocked-dids?limit=2", TOKEN));
        JsonNode second = json(get("/blocked-dids?limit=2&cursor=" + first.get("next_cursor").asText(), TOKEN));

        assertEquals(2, first.get("items").size());
        JsonNode a = first.get("items").get(0);
        assertEquals("did:sov:a", a.get("did").asText());
        assertEquals("r-did:sov:a", a.get("reason").asText());
        assertEquals("alice", a.get("blocked_by").asText());
        assertEquals(T0.toString(), a.get("blocked_at").asText());
        assertEquals(1, second.get("items").size());
        assertEquals("did:sov:c", second.get("items").get(0).get("did").asText());
        assertTrue(second.get("next_cursor").isNull());
        assertEquals(3, json(get("/blocked-dids", TOKEN)).get("items").size(), "limit defaults to 50");
    }

    @Test
    void limits_outside_1_to_500_and_foreign_cursors_are_400() throws Exception {
        for (String query : List.of("limit=0", "limit=501", "limit=-1", "limit=ten", "limit=", "cursor=!!!", "cursor=")) {
            assertEquals(400, get("/blocked-dids?" + query, TOKEN).statusCode(), query);
            assertEquals(400, get("/audit?" + query, TOKEN).statusCode(), query);
        }
        assertEquals(400, get("/audit?cursor=" + QueryParams.encodeCursor("did:sov:x"), TOKEN).statusCode());
        assertEquals(200, get("/blocked-dids?limit=500", TOKEN).statusCode());
        assertEquals(200, get("/audit?limit=1", TOKEN).statusCode());
    }

    @Test
    void the_audit_lists_actions_newest_first_with_their_actor() throws Exception {
        post("/block-did", null, "{\"did\":\"did:sov:x\",\"reason\":\"spam\"}", TOKEN);
        post("/unblock-did", null, "{\"did\":\"did:sov:x\",\"reason\":\"appeal\"}", TOKEN);

        JsonNode first = json(get("/audit?limit=1", TOKEN));
        JsonNode second = json(get("/audit?limit=1&cursor=" + first.get("next_cursor").asText(), TOKEN));

        JsonNode unblock = first.get("items").get(0);
        assertEquals(List.of("alice", "unblock_did", "did:sov:x", "appeal", T0.toString()), List.of(unblock.get("actor").asText(),
                unblock.get("action").asText(), unblock.get("target").asText(), unblock.get("reason").asText(), unblock.get("at").asText()));
        assertEquals("block_did", second.get("items").get(0).get("action").asText());
        assertTrue(second.get("next_cursor").isNull());
    }
}
