package network.sovereign.pouw.adapters.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.ComponentHealth.Status;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;
import org.junit.jupiter.api.Test;

class RateLimiterHealthIndicatorTest {

    private final ManualNanoClock clock = new ManualNanoClock();

    private static void touch(RateLimits limits, RateLimitScope scope, int keys) {
        for (int i = 0; i < keys; i++) {
            limits.tryAcquire(scope, scope.label() + "-" + i);
        }
    }

    @Test
    void healthy_shows_keys_capacity_and_limits_per_scope() {
        RateLimits limits = new RateLimits(RateLimitSettings.defaults(), clock);
        touch(limits, RateLimitScope.IP, 12);
        touch(limits, RateLimitScope.DID, 3);
        RateLimiterHealthIndicator indicator = new RateLimiterHealthIndicator(limits);

        ComponentHealth health = indicator.check();

        assertEquals("rate_limiter", indicator.componentName());
        assertFalse(indicator.requiredForReadiness());
        assertEquals("rate_limiter", health.name());
        assertEquals(Status.HEALTHY, health.status());
        assertEquals("ip: 12 keys tracked (cap 100000, limit 100/60s); did: 3 keys tracked (cap 100000, limit 50/60s)",
                health.message());
    }

    @Test
    void degraded_while_a_store_is_full_and_evicting_then_healthy_again() {
        RateLimits limits = new RateLimits(new RateLimitSettings(100, 50, Duration.ofSeconds(60), 2), clock);
        touch(limits, RateLimitScope.IP, 5);
        RateLimiterHealthIndicator indicator = new RateLimiterHealthIndicator(limits);

        ComponentHealth health = indicator.check();

        assertEquals(Status.DEGRADED, health.status());
        assertEquals("ip: 2 keys tracked (cap 2, limit 100/60s), at capacity and evicting (3 evicted since start); "
                + "did: 0 keys tracked (cap 2, limit 50/60s)", health.message());

        clock.advance(Duration.ofSeconds(60));
        ComponentHealth later = indicator.check();
        assertEquals(Status.HEALTHY, later.status());
        assertEquals("ip: 0 keys tracked (cap 2, limit 100/60s); did: 0 keys tracked (cap 2, limit 50/60s)",
                later.message());
    }

    @Test
    void never_throws() {
        AtomicBoolean broken = new AtomicBoolean();
        LongSupplier clockThatBreaks = () -> {
            if (broken.get()) {
                throw new IllegalStateException("clock gone");
            }
            return 42L;
        };
        RateLimiterHealthIndicator indicator =
                new RateLimiterHealthIndicator(new RateLimits(RateLimitSettings.defaults(), clockThatBreaks));
        broken.set(true);

        ComponentHealth health = indicator.check();

        assertEquals(Status.DEGRADED, health.status());
        assertTrue(health.message().startsWith("rate limiter state unavailable"), health.message());
    }
}
