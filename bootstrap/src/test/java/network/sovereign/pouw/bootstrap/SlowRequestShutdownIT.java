package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with a slow client (SPEC §13): a receipt batch whose body is only half sent when the node is
 * told to stop still gets a complete answer once the rest arrives, within POUW_SHUTDOWN_GRACE_SECS.
 * Meanwhile the node takes no new work: readiness is 503 inside the node, the API listener is closed
 * at once (new connections are refused) and idle keep-alive connections are closed; then it exits 143.
 * With POUW_SHUTDOWN_DRAIN_SECS the listener stays open that long first, answering readiness with 503.
 */
class SlowRequestShutdownIT {

    private static final int GRACE_SECS = 60;

    @TempDir
    Path temp;

    @Test
    void a_half_sent_request_is_answered_after_sigterm_then_the_node_exits_143() throws Exception {
        JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_SHUTDOWN_GRACE_SECS", Integer.toString(GRACE_SECS)));
        try (Socket slow = connect(node.port); Socket idle = connect(node.port)) {
            byte[] body = ("{\"version\":1,\"client_did\":\"did:sov:slow-client\",\"batch_nonce\":\"00112233445566778899aabbccddeeff\","
                    + "\"receipts\":[]}").getBytes(StandardCharsets.UTF_8);
            int half = body.length / 2;
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/v1/pouw/receipts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.flush();

            // A keep-alive connection that has finished its request and sits idle.
            idle.getOutputStream().write("GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, readResponse(idle.getInputStream()).status());

            node.process.destroy(); // SIGTERM
            awaitLog(node, "stopping: readiness is now 503");

            // No new work: the listener closes at once, so a load balancer's next check fails to connect.
            Instant deadline = Instant.now().plusSeconds(30);
            while (true) {
                try (Socket probe = connect(node.port)) {
                    if (Instant.now().isAfter(deadline)) {
                        fail("the API port still accepts connections 30 s after SIGTERM");
                    }
                } catch (ConnectException refused) {
                    break;
                }
                Thread.sleep(100);
            }
            // The idle keep-alive connection is closed by the node rather than kept for the grace.
            assertClosed(idle);
            assertTrue(node.process.isAlive(), "the node waits for the half-sent request");

            out.write(body, half, body.length - half);
            out.flush();
            Response answer = readResponse(slow.getInputStream());
            assertTrue(answer.status() >= 200 && answer.status() < 500, "a complete answer, not a reset: " + answer);
            assertEquals(400, answer.status(), "an empty batch is refused, as without the stop: " + answer);
            assertTrue(answer.body().contains("\"reason\":\"malformed_receipt\""), answer.body());
            assertEquals(-1, slow.getInputStream().read(), "Connection: close");

            assertTrue(node.process.waitFor(GRACE_SECS + 30, TimeUnit.SECONDS), "exits within the grace");
            assertEquals(143, node.process.exitValue());
            String log = Files.readString(node.log);
            assertTrue(log.contains("INFO  Node - stopped"), log);
        } finally {
            node.close();
        }
    }

    @Test
    void with_a_drain_period_readiness_answers_503_over_http_while_requests_are_still_served() throws Exception {
        JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_SHUTDOWN_GRACE_SECS", "5", "POUW_SHUTDOWN_DRAIN_SECS", "4"));
        try {
            assertEquals(200, node.get("/health/ready").status());
            node.process.destroy(); // SIGTERM
            awaitLog(node, "stopping: readiness is now 503; still serving for 4 s (POUW_SHUTDOWN_DRAIN_SECS)");
            // What a load balancer sees during the drain: readiness 503 on a new connection, the API still answering.
            assertEquals(503, node.get("/health/ready").status());
            assertEquals(200, node.get("/health/live").status());
            assertEquals(200, node.get("/api/v1/pouw/node").status());
            assertTrue(node.process.waitFor(60, TimeUnit.SECONDS), "exits after drain and grace");
            assertEquals(143, node.process.exitValue());
            String log = Files.readString(node.log);
            assertTrue(log.indexOf("stopping: listener closed") > log.indexOf("still serving for 4 s"), log);
        } finally {
            node.close();
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(120_000);
        return socket;
    }

    private static void awaitLog(JarNode node, String text) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.readString(node.log).contains(text)) {
            if (Instant.now().isAfter(deadline) || !node.process.isAlive()) {
                fail("no '" + text + "' in the log: " + Files.readString(node.log));
            }
            Thread.sleep(100);
        }
    }

    private static void assertClosed(Socket socket) {
        try {
            assertEquals(-1, socket.getInputStream().read(), "the idle connection was closed");
        } catch (SocketException reset) {
            // closed with a reset: closed too
        } catch (IOException e) {
            fail("idle connection neither closed nor reset: " + e);
        }
    }

    /** A parsed HTTP/1.1 answer. */
    private record Response(int status, String body) {
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    private static Response readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                fail("connection closed inside the response head: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ").matcher(headers);
        assertTrue(status.find(), headers);
        Matcher length = Pattern.compile("(?im)^content-length: *(\\d+)").matcher(headers);
        assertTrue(length.find(), "Content-Length in " + headers);
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        assertEquals(Integer.parseInt(length.group(1)), body.length, "the whole body: " + headers);
        return new Response(Integer.parseInt(status.group(1)), new String(body, StandardCharsets.UTF_8));
    }
}
