package network.sovereign.pouw.adapters.web;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client, and all of them together, may hold of the API socket: the listener's connection cap
 * ({@code POUW_HTTP_MAX_CONNECTIONS}; Helidon accepts no more, further ones wait in the kernel's backlog,
 * so the process never runs out of file descriptors on connections), the connections one client address
 * may hold at once ({@code POUW_HTTP_MAX_CONNECTIONS_PER_IP}; past it, 429 and close) and how long a
 * request body may take after its headers ({@code POUW_HTTP_BODY_TIMEOUT_SECS}; past it, 408 and close).
 *
 * @param maxConnections        connections the API socket holds at once
 * @param maxConnectionsPerAddress connections one client address holds at once (trusted proxies are not counted)
 * @param bodyTimeout           how long a request body may take after its headers
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerAddress, Duration bodyTimeout) {

    /** The defaults: 10,000 connections, 64 per client address, 30 s per body. */
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(10_000, 64, Duration.ofSeconds(30));

    /** The metrics socket's connection cap (a handful of scrapers). */
    public static final int METRICS_MAX_CONNECTIONS = 64;

    /** Checks the invariants. */
    public ConnectionLimits {
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be positive: " + maxConnectionsPerAddress);
        }
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("bodyTimeout must be positive: " + bodyTimeout);
        }
    }
}
