package network.sovereign.pouw.adapters.web;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The slow-header (slowloris) guard: once a request line has arrived, its headers must be complete
 * within the deadline or the connection is closed. Helidon bounds the wait for the request line
 * itself (idle connection timeout) and every single read (socket read timeout), but not the headers as
 * a whole, so a client sending one header byte at a time would otherwise hold its connection for as
 * long as it likes.
 *
 * <p>One timer thread for the whole server; the map holds only connections between request line and
 * end of headers, so it is bounded by the number of open connections.
 */
final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {

    private final Duration deadline;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("pouw-header-deadline").factory());
    private final Map<ConnectionContext, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    HeaderDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        ScheduledFuture<?> close = timer.schedule(() -> {
            if (pending.remove(ctx) != null) {
                try {
                    ctx.serverSocket().close();
                } catch (RuntimeException e) {
                    // Already closed, or a connection type without a socket of its own.
                }
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = pending.put(ctx, close);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        ScheduledFuture<?> close = pending.remove(ctx);
        if (close != null) {
            close.cancel(false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pending.clear();
    }
}
