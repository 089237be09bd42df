package network.sovereign.pouw.adapters.web;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the HTTP edge listens: the API socket ({@code POUW_HTTP_HOST}:{@code POUW_HTTP_PORT}), the
 * metrics socket on the same host ({@code POUW_METRICS_PORT}), the optional metrics bearer token
 * ({@code POUW_METRICS_TOKEN}), the request body cap ({@code POUW_MAX_BODY_BYTES}) and how long
 * in-flight requests may run on shutdown. Port 0 means an ephemeral port.
 *
 * @param host          the address both sockets bind, e.g. {@code 0.0.0.0}
 * @param port          the API socket's port (8080 by default)
 * @param metricsPort   the metrics socket's port (9090 by default)
 * @param metricsToken  the bearer token {@code GET /metrics} requires, if any
 * @param maxBodyBytes  the largest request body accepted; larger ones get 413
 * @param shutdownGrace how long {@code stop()} lets in-flight requests finish
 */
public record WebSettings(String host, int port, int metricsPort, Optional<String> metricsToken, long maxBodyBytes,
                          Duration shutdownGrace) {

    /** The default body cap, 4 MiB (SPEC §4). */
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

    /** Checks the invariants. */
    public WebSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(metricsToken, "metricsToken");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        checkPort("port", port);
        checkPort("metricsPort", metricsPort);
        if (port != 0 && port == metricsPort) {
            throw new IllegalArgumentException("port and metricsPort must differ: " + port);
        }
        if (metricsToken.isPresent() && metricsToken.get().isBlank()) {
            throw new IllegalArgumentException("metricsToken must not be blank when present");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative: " + shutdownGrace);
        }
    }

    private static void checkPort(String name, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(name + " must be 0..65535: " + value);
        }
    }

    /** Never shows the token itself, so settings can be logged. */
    @Override
    public String toString() {
        return "WebSettings[host=" + host + ", port=" + port + ", metricsPort=" + metricsPort + ", metricsToken="
                + (metricsToken.isPresent() ? "<set>" : "<none>") + ", maxBodyBytes=" + maxBodyBytes
                + ", shutdownGrace=" + shutdownGrace + "]";
    }
}
