package network.sovereign.pouw.adapters.web.ratelimit;

import java.util.Objects;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.HealthIndicator;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;

/**
 * The {@code rate_limiter} health component: how many keys each store tracks, and degraded while a
 * store is full and evicting keys, which most likely means an attack from many addresses.
 */
public final class RateLimiterHealthIndicator implements HealthIndicator {

    /** The component name shown in {@code /health}. */
    public static final String COMPONENT_NAME = "rate_limiter";

    private final RateLimits rateLimits;

    /** Creates the indicator over the node's limiters. */
    public RateLimiterHealthIndicator(RateLimits rateLimits) {
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
    }

    @Override
    public String componentName() {
        return COMPONENT_NAME;
    }

    @Override
    public ComponentHealth check() {
        long started = System.nanoTime();
        try {
            ComponentHealth.Status status = ComponentHealth.Status.HEALTHY;
            StringBuilder message = new StringBuilder();
            for (RateLimitScope scope : RateLimitScope.values()) {
                KeyedRateLimiter.Snapshot snapshot = rateLimits.limiter(scope).snapshot();
                if (!message.isEmpty()) {
                    message.append("; ");
                }
                message.append(describe(snapshot));
                if (snapshot.evicting()) {
                    status = status.worst(ComponentHealth.Status.DEGRADED);
                }
            }
            return new ComponentHealth(COMPONENT_NAME, status, message.toString(), elapsedMillis(started));
        } catch (RuntimeException e) {
            // Never throw from a health check; the limiters themselves keep working.
            return new ComponentHealth(COMPONENT_NAME, ComponentHealth.Status.DEGRADED,
                    "rate limiter state unavailable: " + e.getClass().getSimpleName(), elapsedMillis(started));
        }
    }

    static String describe(KeyedRateLimiter.Snapshot s) {
        String text = s.name() + ": " + s.trackedKeys() + " keys tracked (cap " + s.maxKeys()
                + ", limit " + s.policy().describe() + ")";
        if (s.evicting()) {
            text += ", at capacity and evicting (" + s.evictionsTotal() + " evicted since start)";
        }
        return text;
    }

    private static long elapsedMillis(long startedNanos) {
        return Math.max(0, (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
