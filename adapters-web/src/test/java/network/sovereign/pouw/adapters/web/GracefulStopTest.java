package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import org.junit.jupiter.api.Test;

/** {@code stop()} lets a request that is already running finish within the grace period. */
class GracefulStopTest {

    private static final Duration WORK = Duration.ofMillis(1_500);

    @Test
    void an_in_flight_request_completes_while_the_server_stops() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        WebSettings settings = new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 1024, Duration.ofSeconds(10));
        HttpAdapter adapter = HttpAdapter.builder(settings, new FakeHealth(), new HelidonProtocolMetrics("1.2.3-test"),
                        "1.2.3-test")
                .routes(routing -> routing.get("/test/slow", (req, res) -> {
                    started.countDown();
                    Thread.sleep(WORK);
                    res.send("finished");
                }))
                .start();
        int port = adapter.port();
        try {
            CompletableFuture<HttpResponse<String>> inFlight = Http.sendAsync(Http.request(port, "/test/slow").GET().build());
            assertTrue(started.await(10, TimeUnit.SECONDS), "the slow request never started");

            long before = System.nanoTime();
            adapter.stop();
            Duration stopping = Duration.ofNanos(System.nanoTime() - before);

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("finished", response.body());
            assertFalse(adapter.isRunning());
            // stop() waited for the request (it had ~1.5 s of work left), but not for the whole grace period.
            assertTrue(stopping.compareTo(Duration.ofMillis(500)) > 0, "stop() returned after " + stopping);
            assertTrue(stopping.compareTo(Duration.ofSeconds(9)) < 0, "stop() returned after " + stopping);
            // The sockets are closed now.
            assertThrows(RuntimeException.class, () -> Http.get(port, "/health/live"));
        } finally {
            adapter.stop();
        }
    }
}
