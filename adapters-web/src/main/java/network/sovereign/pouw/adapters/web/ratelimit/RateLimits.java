package network.sovereign.pouw.adapters.web.ratelimit;

import java.util.Objects;
import java.util.function.LongSupplier;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;

/**
 * The node's two rate limiters, one per client IP and one per DID, each with its own bounded store.
 *
 * <p>The HTTP filter resolves the client IP with {@link ClientAddressResolver}, calls
 * {@link #tryAcquire(RateLimitScope, String)} for {@link RateLimitScope#IP} (and, once the DID is
 * known, for {@link RateLimitScope#DID}), and on a {@link RateLimitDecision.Denied} answers 429 with
 * {@code Retry-After}, counts {@code pouw_rate_limit_denials_total{scope}} and logs the offender.
 * Limits are per node.
 */
public final class RateLimits {

    private final KeyedRateLimiter ip;
    private final KeyedRateLimiter did;

    /** Creates both limiters on the system's monotonic clock. */
    public RateLimits(RateLimitSettings settings) {
        this(settings, System::nanoTime);
    }

    /**
     * Creates both limiters.
     *
     * @param settings  limits, window and capacity
     * @param nanoClock a monotonic nanosecond time source ({@code System::nanoTime} in production)
     */
    public RateLimits(RateLimitSettings settings, LongSupplier nanoClock) {
        Objects.requireNonNull(settings, "settings");
        this.ip = new KeyedRateLimiter(RateLimitScope.IP.label(), settings.ipPolicy(), settings.maxKeysPerScope(), nanoClock);
        this.did = new KeyedRateLimiter(RateLimitScope.DID.label(), settings.didPolicy(), settings.maxKeysPerScope(), nanoClock);
    }

    /**
     * Takes one permit for the key in the scope; never blocks.
     *
     * @param scope IP or DID
     * @param key   the client IP (as {@link ClientAddressResolver} gives it) or the DID
     * @return allowed, or denied with the seconds for {@code Retry-After}
     */
    public RateLimitDecision tryAcquire(RateLimitScope scope, String key) {
        return limiter(scope).tryAcquire(key);
    }

    /** The limiter of one scope. */
    public KeyedRateLimiter limiter(RateLimitScope scope) {
        return switch (Objects.requireNonNull(scope, "scope")) {
            case IP -> ip;
            case DID -> did;
        };
    }

    /** Changes one scope's limit at runtime and keeps its window ({@code PATCH /settings}). */
    public void changeLimit(RateLimitScope scope, int limit) {
        limiter(scope).changeLimit(limit);
    }

    /** Changes one scope's limit and window at runtime (e.g. on a configuration reload). */
    public void changePolicy(RateLimitScope scope, RateLimitPolicy policy) {
        limiter(scope).changePolicy(policy);
    }
}
