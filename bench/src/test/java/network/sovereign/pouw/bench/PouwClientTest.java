package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's requests and its reading of answers, against a scripted HTTP server on loopback. */
class PouwClientTest {

    /** What the fake node saw of one request. */
    private record Seen(String method, String authorization, String contentType, String body) {
    }

    /** What the fake node answers on a path. */
    private record Answer(int status, String contentType, String body, Map<String, String> headers) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private HttpServer server;
    private PouwClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        client = new PouwClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        seen.put(path, new Seen(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Answer answer = answers.getOrDefault(path, new Answer(404, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no resource at this path\"}", Map.of()));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private void answer(String path, int status, String body, Map<String, String> headers) {
        answers.put(path, new Answer(status, status >= 400 ? "application/problem+json" : "application/json", body, headers));
    }

    private static String problem(int status, String reason, String detail) {
        return "{\"type\":\"urn:pouw:problem:" + reason + "\",\"title\":\"x\",\"status\":" + status + ",\"detail\":\"" + detail
                + "\",\"reason\":\"" + reason + "\"}";
    }

    @Test
    void enrolment_posts_the_raw_public_key_in_hex_with_the_bearer_token() {
        answer("/api/v1/admin/clients", 201, "{\"did\":\"did:sov:a\",\"sig_scheme\":\"ed25519\",\"public_key\":\"00\",\"created\":true}", Map.of());
        ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, new SecureRandom());

        Enrolment enrolment = client.enrol("secret-admin-token", "did:sov:a", keys);

        assertEquals(new Enrolment("did:sov:a", "ed25519", true), enrolment);
        Seen request = seen.get("/api/v1/admin/clients");
        assertEquals("POST", request.method());
        assertEquals("Bearer secret-admin-token", request.authorization());
        assertEquals("application/json", request.contentType());
        assertEquals("{\"did\":\"did:sov:a\",\"sig_scheme\":\"ed25519\",\"public_key\":\"" + Bytes.of(keys.publicKey()).hex() + "\"}",
                request.body());
    }

    @Test
    void a_refused_enrolment_or_challenge_throws_with_the_problem() {
        answer("/api/v1/admin/clients", 403, problem(403, "forbidden", "the bearer token is not valid"), Map.of());
        answer("/api/v1/pouw/challenges", 401, problem(401, "unknown_client", "client_did is not enrolled"), Map.of());
        ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, new SecureRandom());

        PouwClientException enrol = assertThrows(PouwClientException.class, () -> client.enrol("wrong", "did:sov:a", keys));
        assertEquals(403, enrol.problem().orElseThrow().status());
        PouwClientException challenge = assertThrows(PouwClientException.class,
                () -> client.challenge("did:sov:nobody", List.of(ProofType.HASH)));
        assertEquals(Optional.of("unknown_client"), challenge.problem().orElseThrow().reason());
        assertTrue(challenge.getMessage().contains("HTTP 401 unknown_client"), challenge.getMessage());
        assertEquals("{\"client_did\":\"did:sov:nobody\",\"capabilities\":[\"hash\"]}", seen.get("/api/v1/pouw/challenges").body());
    }

    @Test
    void a_batch_is_posted_as_json_and_a_whole_batch_refusal_is_an_answer_with_its_reason_and_retry_after() {
        answer("/api/v1/pouw/receipts", 429, problem(429, "rate_limited", "rate limit exceeded for this DID"), Map.of("Retry-After", "7"));
        ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, new SecureRandom());
        Receipt receipt = new Receipt(1, Bytes.fromHex("11".repeat(16)), "did:sov:a", Bytes.EMPTY, Bytes.EMPTY, Bytes.fromHex("22"),
                ProofType.HASH, 4096, true, 1, 2, Bytes.fromHex("33".repeat(16)), Bytes.fromHex("44".repeat(16)), Optional.empty());
        SignedReceipt signed = ReceiptBuilder.sign(receipt, keys);

        SubmitResult result = client.submit("did:sov:a", Bytes.fromHex("55".repeat(16)), List.of(signed));

        assertFalse(result.processed());
        assertEquals(429, result.status());
        assertEquals(List.of(), result.outcomes());
        ApiProblem problem = result.problem().orElseThrow();
        assertEquals(Optional.of("rate_limited"), problem.reason());
        assertEquals(Optional.of(7L), problem.retryAfter());
        assertEquals(WireJson.batch("did:sov:a", Bytes.fromHex("55".repeat(16)), List.of(signed)), seen.get("/api/v1/pouw/receipts").body());
    }

    @Test
    void a_processed_batch_gives_the_outcomes() {
        answer("/api/v1/pouw/receipts", 200, "{\"accepted\":[],\"rejected\":[{\"receipt_nonce\":\"33\",\"reason\":\"invalid_signature\","
                + "\"detail\":\"the signature does not verify with the enrolled key\"}],\"server_time\":1700000000}", Map.of());

        SubmitResult result = client.submit("did:sov:a", List.of());

        assertTrue(result.processed());
        assertEquals("rejected invalid_signature (the signature does not verify with the enrolled key)", result.summary());
    }

    @Test
    void a_node_that_is_not_there_is_an_exception_without_a_problem() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        PouwClientException e = assertThrows(PouwClientException.class,
                () -> new PouwClient(URI.create("http://127.0.0.1:" + port)).nodeInfo());
        assertTrue(e.problem().isEmpty());
    }

    @Test
    void only_http_urls_are_taken() {
        assertThrows(IllegalArgumentException.class, () -> new PouwClient(URI.create("ftp://127.0.0.1:21")));
        assertEquals(URI.create("http://127.0.0.1:8080"), new PouwClient(URI.create("http://127.0.0.1:8080/")).baseUrl());
    }
}
