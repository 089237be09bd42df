package network.sovereign.pouw.adapters.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private final ManualNanoClock clock = new ManualNanoClock();

    private static int allowedOf(RateLimits limits, RateLimitScope scope, String key, int calls) {
        int allowed = 0;
        for (int i = 0; i < calls; i++) {
            if (limits.tryAcquire(scope, key).allowed()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void each_scope_has_its_own_limit_and_store() {
        RateLimits limits = new RateLimits(new RateLimitSettings(4, 2, Duration.ofSeconds(60), 10), clock);

        assertEquals(4, allowedOf(limits, RateLimitScope.IP, "same-key", 10));
        assertEquals(2, allowedOf(limits, RateLimitScope.DID, "same-key", 10), "the IP scope's use does not count");
        assertEquals("ip", limits.limiter(RateLimitScope.IP).name());
        assertEquals("did", limits.limiter(RateLimitScope.DID).name());
        assertEquals(10, limits.limiter(RateLimitScope.DID).maxKeys());
    }

    @Test
    void changing_one_scopes_limit_leaves_the_other_alone() {
        RateLimits limits = new RateLimits(new RateLimitSettings(4, 2, Duration.ofSeconds(60), 10), clock);

        limits.changeLimit(RateLimitScope.IP, 7);

        assertEquals(new RateLimitPolicy(7, Duration.ofSeconds(60)), limits.limiter(RateLimitScope.IP).policy());
        assertEquals(new RateLimitPolicy(2, Duration.ofSeconds(60)), limits.limiter(RateLimitScope.DID).policy());
        assertEquals(7, allowedOf(limits, RateLimitScope.IP, "k", 10));
        assertEquals(2, allowedOf(limits, RateLimitScope.DID, "k", 10));

        limits.changePolicy(RateLimitScope.DID, new RateLimitPolicy(1, Duration.ofSeconds(5)));
        assertTrue(limits.tryAcquire(RateLimitScope.DID, "other").allowed());
        assertEquals(new RateLimitDecision.Denied(5), limits.tryAcquire(RateLimitScope.DID, "other"));
    }

    @Test
    void the_defaults_are_the_spec_defaults() {
        RateLimitSettings defaults = RateLimitSettings.defaults();

        assertEquals(new RateLimitSettings(100, 50, Duration.ofSeconds(60), 100_000), defaults);
        assertEquals(new RateLimitPolicy(100, Duration.ofSeconds(60)), defaults.ipPolicy());
        assertEquals(new RateLimitPolicy(50, Duration.ofSeconds(60)), defaults.didPolicy());
    }

    @Test
    void settings_and_policies_check_their_invariants() {
        Duration minute = Duration.ofSeconds(60);
        assertThrows(IllegalArgumentException.class, () -> new RateLimitSettings(0, 50, minute));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitSettings(100, 0, minute));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitSettings(100, 50, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitSettings(100, 50, minute, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitPolicy(1, Duration.ofNanos(999_999)));
        assertThrows(NullPointerException.class, () -> new RateLimitPolicy(1, null));
    }

    @Test
    void a_policy_describes_itself_briefly() {
        assertEquals("100/60s", new RateLimitPolicy(100, Duration.ofSeconds(60)).describe());
        assertEquals("5/1500ms", new RateLimitPolicy(5, Duration.ofMillis(1_500)).describe());
    }

    @Test
    void decisions_tell_whether_the_request_may_go_on() {
        assertTrue(RateLimitDecision.ALLOWED.allowed());
        assertFalse(new RateLimitDecision.Denied(3).allowed());
    }
}
