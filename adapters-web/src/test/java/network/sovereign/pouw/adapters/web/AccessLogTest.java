package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemException;
import network.sovereign.pouw.adapters.web.ratelimit.ClientAddressResolver;
import network.sovereign.pouw.adapters.web.ratelimit.TrustedProxies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POUW_ACCESS_LOG}: one line per request over a real socket, without the query, with the client. */
class AccessLogTest {

    private static final String LINE = "(GET|POST|PUT) (\\S+) (\\d{3}) \\d+\\.\\dms (\\S+)";

    private final Logger jul = Logger.getLogger(AccessLog.LOGGER);
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel() == Level.INFO) {
                lines.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private HttpAdapter adapter;

    @BeforeEach
    void listen() {
        jul.addHandler(capture);
    }

    @AfterEach
    void stop() {
        jul.removeHandler(capture);
        if (adapter != null) {
            adapter.stop();
        }
    }

    private int start(boolean on) {
        WebSettings settings = new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 1024, Duration.ofSeconds(5));
        adapter = HttpAdapter.builder(settings, new FakeHealth(), new HelidonProtocolMetrics("1.2.3-test"), "1.2.3-test")
                .routes(routing -> routing
                        .get("/test/ok", (req, res) -> res.send("ok"))
                        .get("/test/blocked", (req, res) -> {
                            throw new ProblemException(Problem.withReason(403, "blocked_did", "the DID is blocked"));
                        }))
                .accessLog(on, new ClientAddressResolver(TrustedProxies.of(List.of("127.0.0.1"))))
                .start();
        return adapter.port();
    }

    private List<String> awaitLines(int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (lines.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20); // written once the answer is sent, which may be after the client read it
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Test
    void each_request_writes_one_line_with_method_path_status_duration_and_client_but_no_query() throws Exception {
        int port = start(true);
        assertEquals(200, Http.get(port, "/test/ok?token=hunter2&x=1").statusCode());
        assertEquals(403, Http.get(port, "/test/blocked").statusCode());
        assertEquals(404, Http.get(port, "/nothing/here").statusCode());
        assertEquals(405, Http.method(port, "PUT", "/health").statusCode());

        List<String> logged = awaitLines(4);
        assertEquals(4, logged.size(), logged.toString());
        for (String line : logged) {
            assertTrue(line.matches(LINE), line);
            assertTrue(line.endsWith(" 127.0.0.1"), "the client is the last field: " + line);
            assertTrue(!line.contains("hunter2") && !line.contains("?"), "no query string: " + line);
        }
        assertTrue(logged.get(0).startsWith("GET /test/ok 200 "), logged.get(0));
        assertTrue(logged.get(1).startsWith("GET /test/blocked 403 "), logged.get(1));
        assertTrue(logged.get(2).startsWith("GET /nothing/here 404 "), logged.get(2));
        assertTrue(logged.get(3).startsWith("PUT /health 405 "), logged.get(3));
    }

    @Test
    void the_client_is_the_forwarded_address_when_a_trusted_proxy_sent_the_request() throws Exception {
        int port = start(true);
        assertEquals(200, Http.send(Http.request(port, "/test/ok").header("X-Forwarded-For", "203.0.113.7").GET().build())
                .statusCode());
        List<String> logged = awaitLines(1);
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("GET /test/ok 200 ") && logged.get(0).endsWith(" 203.0.113.7"), logged.get(0));
    }

    @Test
    void off_by_default_writes_nothing_and_can_be_switched_on_while_serving() throws Exception {
        int port = start(false);
        assertEquals(200, Http.get(port, "/test/ok").statusCode());
        assertEquals(404, Http.get(port, "/nothing").statusCode());
        Thread.sleep(300);
        assertEquals(List.of(), awaitLines(0));

        adapter.accessLog(true);
        assertEquals(200, Http.get(port, "/test/ok").statusCode());
        List<String> logged = awaitLines(1);
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("GET /test/ok 200 "), logged.get(0));

        adapter.accessLog(false);
        assertEquals(200, Http.get(port, "/test/ok").statusCode());
        Thread.sleep(300);
        assertEquals(1, awaitLines(1).size());
    }

    @Test
    void control_characters_and_spaces_in_a_path_cannot_split_the_line() {
        assertEquals("GET /a%0Ab%20c 400 1.5ms 10.0.0.1", AccessLog.line("GET", "/a\nb c", 400, 1_500, "10.0.0.1"));
    }
}
