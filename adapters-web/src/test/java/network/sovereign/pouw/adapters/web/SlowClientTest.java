package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The slowloris guard (RELIABILITY.md, scenario 6): a client that sends its headers one line at a time,
 * never finishing them, is disconnected once the header deadline has passed (2 s here, 20 s in
 * production), while an ordinary request on another connection is served meanwhile.
 */
class SlowClientTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static HttpAdapter adapter;

    @BeforeAll
    static void start() {
        WebSettings settings = new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 1024, Duration.ofSeconds(5));
        adapter = HttpAdapter.builder(settings, new FakeHealth(), new HelidonProtocolMetrics("1.2.3-test"), "1.2.3-test")
                .headerTimeout(DEADLINE)
                .routes(routing -> routing.get("/test/hello", (req, res) -> res.send("hello")))
                .start();
    }

    @AfterAll
    static void stop() {
        adapter.stop();
    }

    @Test
    void a_client_dripping_header_lines_is_disconnected_and_others_are_served() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", adapter.port())) {
            slow.setSoTimeout(500);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("GET /test/hello HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean closed = false;
            // One header line every 500 ms, never the blank line: each read succeeds within the read timeout.
            // The loop ends when the server hangs up; its bound (60 s) is a hang guard, not a speed assertion.
            for (int i = 0; i < 120 && !closed; i++) {
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
                if (i == 1) {
                    assertEquals(200, Http.get(adapter.port(), "/test/hello").statusCode(), "others are served meanwhile");
                }
            }
            assertTrue(closed, "the server closed the slow connection");
        }
    }

    @Test
    void a_client_that_finishes_its_headers_in_time_is_answered() throws IOException {
        String answer = Http.raw(adapter.port(), "GET /test/hello HTTP/1.1\r\nHost: localhost\r\n\r\n", Duration.ofSeconds(5));
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.endsWith("hello"), answer);
    }
}
