package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md scenario 6, the security checks through the shipped jar: admin and operator routes
 * closed without a valid token, the body cap, the slow-header guard, {@code X-Forwarded-For} ignored
 * from an untrusted peer, a blocked DID refused on challenge, JSON and protobuf submission, and — with
 * debug logging on — no token or node secret key anywhere in the log.
 */
class SecurityJarIT {

    private static final String TOKEN = "sec-admin-token-0123456789abcdef";
    private static final String METRICS_TOKEN = "sec-metrics-token-0123456789abcdef";
    private static final String WRONG_TOKEN = "sec-wrong-token-0123456789abcdef";
    private static final int PER_IP = 40;

    @TempDir
    Path temp;

    @Test
    void admin_routes_body_cap_slow_headers_forwarded_for_blocked_dids_and_log_secrets() throws Exception {
        String secret = keygen();
        try (JarNode node = JarNode.start(temp, Map.of(
                "POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN,
                "POUW_METRICS_TOKEN", METRICS_TOKEN,
                "POUW_NODE_SECRET_KEY", secret,
                "POUW_MAX_BODY_BYTES", String.valueOf(64 * 1024),
                "POUW_RATE_LIMIT_IP", String.valueOf(PER_IP),
                "POUW_ADMIN_AUTH_FAILURES_MAX", "100",
                "POUW_LOG_LEVEL", "debug"))) {
            adminAndOperatorRoutesAreClosed(node);
            aBlockedDidIsRefusedOnEveryPath(node);
            theBodyIsCapped(node);
            slowHeadersAreCutOff(node);
            forwardedForIsIgnoredFromAnUntrustedPeer(node);

            String log = Files.readString(node.log);
            for (String s : List.of(TOKEN, METRICS_TOKEN, WRONG_TOKEN, secret, HexFormat.of().formatHex(Base64.getDecoder().decode(secret)))) {
                assertFalse(log.contains(s), "a secret in the log: " + s.substring(0, 8) + "...");
            }
            assertTrue(log.contains("<7>"), "debug logging was on, so the check covers the chattiest log");
        }
    }

    private void adminAndOperatorRoutesAreClosed(JarNode node) throws Exception {
        List<String[]> routes = List.of(
                new String[] {"GET", "/api/v1/admin/blocked-dids"}, new String[] {"POST", "/api/v1/admin/block-did"},
                new String[] {"POST", "/api/v1/admin/unblock-did"}, new String[] {"GET", "/api/v1/admin/audit"},
                new String[] {"POST", "/api/v1/admin/clients"}, new String[] {"GET", "/api/v1/admin/clients/did:sov:x"},
                // PATCH /settings too, but HttpURLConnection cannot send PATCH; the guard is per prefix, not per method.
                new String[] {"GET", "/api/v1/admin/settings"},
                new String[] {"POST", "/api/v1/admin/maintenance"}, new String[] {"POST", "/api/v1/admin/reload"},
                new String[] {"GET", "/api/v1/admin/rewards"}, new String[] {"POST", "/api/v1/admin/rewards/r1/paid"},
                new String[] {"GET", "/api/v1/admin/anything-else"});
        for (String[] route : routes) {
            String body = route[0].equals("GET") ? null : "{}";
            assertEquals(401, JarNode.call(route[0], node.port, route[1], body, null).status(), "no token: " + route[1]);
            assertEquals(403, JarNode.call(route[0], node.port, route[1], body, WRONG_TOKEN).status(), "wrong token: " + route[1]);
        }
        List<String[]> operator = List.of(
                new String[] {"GET", "/api/v1/pouw/disputes"}, new String[] {"GET", "/api/v1/pouw/disputes/d1"},
                new String[] {"POST", "/api/v1/pouw/disputes/d1/investigate"}, new String[] {"POST", "/api/v1/pouw/disputes/d1/resolve"},
                new String[] {"POST", "/api/v1/pouw/disputes/d1/reject"}, new String[] {"GET", "/api/v1/pouw/receipts/r1"},
                new String[] {"GET", "/api/v1/pouw/clients/did:sov:x/history"});
        for (String[] route : operator) {
            String body = route[0].equals("GET") ? null : "{}";
            assertEquals(401, JarNode.call(route[0], node.port, route[1], body, null).status(), "no token: " + route[1]);
            assertEquals(403, JarNode.call(route[0], node.port, route[1], body, WRONG_TOKEN).status(), "wrong token: " + route[1]);
        }
        assertEquals(401, JarNode.call("GET", node.metricsPort, "/metrics", null, null).status(), "metrics need their token");
        assertEquals(200, JarNode.call("GET", node.metricsPort, "/metrics", null, METRICS_TOKEN).status());
    }

    private void aBlockedDidIsRefusedOnEveryPath(JarNode node) throws Exception {
        LoadClient client = new LoadClient("did:sov:sec-blocked");
        client.enrol(node, TOKEN);
        Bytes[] challenge = client.challenge(node);
        List<SignedReceipt> receipts = client.signedReceipts(challenge, 2);
        assertEquals(200, node.post("/api/v1/admin/block-did", "{\"did\":\"" + client.did + "\",\"reason\":\"security test\"}", TOKEN).status());

        JarNode.Response refusedChallenge = node.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + client.did + "\",\"capabilities\":[\"hash\"]}", null);
        assertEquals(403, refusedChallenge.status(), refusedChallenge.body());
        assertTrue(refusedChallenge.body().contains("\"reason\":\"blocked_did\""), refusedChallenge.body());

        LoadClient.Answer json = LoadClient.submit(node.port, client.batch(receipts.stream().map(LoadClient::json).toList()), 30_000);
        assertEquals(403, json.status(), json.body());
        assertTrue(json.body().contains("\"reason\":\"blocked_did\""), json.body());

        LoadClient.Answer proto = LoadClient.send(node.port, "POST", "/api/v1/pouw/receipts", "application/x-protobuf",
                client.protobufBatch(receipts), 30_000);
        assertEquals(403, proto.status(), proto.body());

        JarNode.Response dispute = node.post("/api/v1/pouw/disputes", "{\"client_did\":\"" + client.did + "\",\"dispute_type\":\"Other\","
                + "\"description\":\"x\",\"signature\":\"00\",\"nonce\":\"0123456789abcdef\",\"timestamp\":"
                + System.currentTimeMillis() / 1000 + "}", null);
        assertEquals(403, dispute.status(), "dispute filing by a blocked DID: " + dispute.body());
        assertTrue(dispute.body().contains("\"reason\":\"blocked_did\""), dispute.body());

        assertEquals(200, node.post("/api/v1/admin/unblock-did", "{\"did\":\"" + client.did + "\"}", TOKEN).status());
        LoadClient.Answer after = LoadClient.submit(node.port, client.batch(receipts.stream().map(LoadClient::json).toList()), 30_000);
        assertEquals(2, LoadClient.accepted(after.body()).size(), "unblocked, the same receipts are accepted: " + after.body());
    }

    private void theBodyIsCapped(JarNode node) throws Exception {
        // A raw socket: the node may answer 413 and close before the whole body is written, which makes
        // HttpURLConnection fail on the write instead of reading the answer.
        byte[] body = ("{\"pad\":\"" + "a".repeat(128 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        String answer;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.port)) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/pouw/receipts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body);
                out.flush();
            } catch (java.io.IOException e) {
                // answered and closed before the body was read: the answer is still in the socket
            }
            answer = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"), answer);
    }

    /** A client dripping header lines, never finishing them, is disconnected (20 s deadline; the 90 s bound is a hang guard). */
    private void slowHeadersAreCutOff(JarNode node) throws Exception {
        long started = System.nanoTime();
        boolean closed = false;
        try (Socket slow = new Socket("127.0.0.1", node.port)) {
            slow.setSoTimeout(1_000);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("POST /api/v1/pouw/receipts HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 90 && !closed; i++) {
                try {
                    closed = in.read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    try {
                        out.write(("X-Slow-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (SocketException reset) {
                        closed = true;
                    }
                } catch (SocketException reset) {
                    closed = true;
                }
            }
        }
        assertTrue(closed, "the node closed the slow connection");
        System.out.printf(Locale.ROOT, "reliability.security slow_header_connection_closed_after_ms=%d%n", (System.nanoTime() - started) / 1_000_000);
    }

    /** Every request names another client in X-Forwarded-For; the peer (127.0.0.1) is not a trusted proxy, so they share one budget. */
    private void forwardedForIsIgnoredFromAnUntrustedPeer(JarNode node) throws Exception {
        int limited = 0;
        for (int i = 0; i < PER_IP + 10; i++) {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + node.port + "/api/v1/pouw/challenges")
                    .toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("X-Forwarded-For", "198.51.100." + (i % 250 + 1));
            try (OutputStream os = c.getOutputStream()) {
                os.write("{\"client_did\":\"did:sov:nobody\",\"capabilities\":[\"hash\"]}".getBytes(StandardCharsets.UTF_8));
            }
            int status = c.getResponseCode();
            assertNotEquals(500, status);
            if (status == 429) {
                limited++;
            }
            c.disconnect();
        }
        assertTrue(limited >= 10, "forwarded addresses did not buy fresh budgets: " + limited + " of " + (PER_IP + 10) + " limited");
        String log = Files.readString(node.log);
        assertTrue(log.lines().anyMatch(l -> l.contains("rate limit exceeded") && l.endsWith(" 127.0.0.1")), "the offender logged is the peer");
        assertFalse(log.lines().anyMatch(l -> l.contains("rate limit exceeded") && l.contains("198.51.100.")), "never the forwarded address");
    }

    private String keygen() throws Exception {
        Path out = temp.resolve("keygen.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JarNode.JAR.toAbsolutePath().toString(), "keygen").redirectOutput(out.toFile()).redirectError(temp.resolve("keygen.err").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "keygen finished");
        assertEquals(0, p.exitValue(), Files.readString(temp.resolve("keygen.err")));
        return Files.readString(out).strip();
    }
}
