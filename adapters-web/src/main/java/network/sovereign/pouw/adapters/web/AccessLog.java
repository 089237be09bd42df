package network.sovereign.pouw.adapters.web;

import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Locale;
import java.util.List;
import java.util.function.BiFunction;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The access log ({@code POUW_ACCESS_LOG=on}): one INFO line per request on the API socket, written
 * when the answer has been sent, {@code METHOD /path STATUS DURATIONms CLIENT}, e.g.
 * {@code GET /api/v1/pouw/node 200 1.3ms 203.0.113.7}. The path is the raw path without the query
 * (nothing a client puts after {@code ?} reaches the log); the client is the address the rate limiter
 * sees (the peer, or the {@code X-Forwarded-For} hop a trusted proxy vouches for). Lines go through
 * the node's log formatter, so {@code POUW_LOG_FORMAT=json} makes each one a JSON object. Switched on
 * and off while running (SIGHUP re-reads the setting). The lines are INFO: {@code POUW_LOG_LEVEL=warn}
 * or {@code error} hides them.
 */
final class AccessLog {

    /** The logger's name; the line formatter shows {@code AccessLog}. */
    static final String LOGGER = "network.sovereign.pouw.adapters.web.AccessLog";

    private static final System.Logger LOG = System.getLogger(LOGGER);

    private final BiFunction<String, List<String>, String> clientAddress;
    private volatile boolean enabled;

    /**
     * @param enabled       whether lines are written from the start
     * @param clientAddress (peer address, X-Forwarded-For values) to the client's address
     */
    AccessLog(boolean enabled, BiFunction<String, List<String>, String> clientAddress) {
        this.enabled = enabled;
        this.clientAddress = clientAddress;
    }

    void enabled(boolean on) {
        this.enabled = on;
    }

    boolean enabled() {
        return enabled;
    }

    /** The routing filter: times the request and logs it once its answer is sent. */
    void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!enabled) {
            chain.proceed();
            return;
        }
        long start = System.nanoTime();
        String method = req.prologue().method().text();
        String path = req.path().rawPath();
        SocketAddress address = req.remotePeer().address();
        String peer = address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
        List<String> forwarded = req.headers().values(io.helidon.http.HeaderNames.X_FORWARDED_FOR);
        res.whenSent(() -> {
            long micros = (System.nanoTime() - start) / 1_000;
            LOG.log(System.Logger.Level.INFO, line(method, path, res.status().code(), micros, clientAddress.apply(peer, forwarded)));
        });
        chain.proceed();
    }

    /** One access-log line; control characters and spaces in the path are escaped so the line keeps its fields. */
    static String line(String method, String path, int status, long micros, String client) {
        return method + ' ' + safe(path) + ' ' + status + ' '
                + String.format(Locale.ROOT, "%.1fms", micros / 1_000.0) + ' ' + client;
    }

    private static String safe(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format(Locale.ROOT, "%%%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
