package network.sovereign.pouw.adapters.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;
import org.junit.jupiter.api.Test;

class DenialLogTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);

    private final ManualNanoClock clock = new ManualNanoClock();

    @Test
    void a_storm_logs_once_per_offender_and_window_and_the_next_line_counts_what_was_suppressed() {
        DenialLog log = new DenialLog(100, clock);
        assertEquals(OptionalLong.of(0), log.onDenial(RateLimitScope.IP, "203.0.113.9", WINDOW), "the first denial is logged");
        for (int i = 0; i < 999; i++) {
            assertEquals(OptionalLong.empty(), log.onDenial(RateLimitScope.IP, "203.0.113.9", WINDOW));
        }
        clock.advance(WINDOW.minusMillis(1));
        assertEquals(OptionalLong.empty(), log.onDenial(RateLimitScope.IP, "203.0.113.9", WINDOW), "still the same window");
        clock.advance(Duration.ofMillis(1));
        assertEquals(OptionalLong.of(1000), log.onDenial(RateLimitScope.IP, "203.0.113.9", WINDOW),
                "the first denial of the next window is logged with the 1000 suppressed before it");
        assertEquals(OptionalLong.empty(), log.onDenial(RateLimitScope.IP, "203.0.113.9", WINDOW));
        clock.advance(WINDOW.multipliedBy(5));
        assertEquals(OptionalLong.of(1), log.onDenial(RateLimitScope.IP, "203.0.113.9", WINDOW));
    }

    @Test
    void offenders_are_told_apart_by_scope_and_key() {
        DenialLog log = new DenialLog(100, clock);
        assertEquals(OptionalLong.of(0), log.onDenial(RateLimitScope.IP, "203.0.113.9", WINDOW));
        assertEquals(OptionalLong.of(0), log.onDenial(RateLimitScope.IP, "203.0.113.10", WINDOW));
        assertEquals(OptionalLong.of(0), log.onDenial(RateLimitScope.DID, "203.0.113.9", WINDOW), "another scope, another offender");
        assertEquals(OptionalLong.of(0), log.onDenial(RateLimitScope.DID, "did:sov:q", WINDOW));
        assertEquals(OptionalLong.empty(), log.onDenial(RateLimitScope.DID, "did:sov:q", WINDOW));
    }

    @Test
    void the_window_is_the_one_in_force_at_the_logged_denial() {
        DenialLog log = new DenialLog(100, clock);
        log.onDenial(RateLimitScope.DID, "did:sov:q", Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(OptionalLong.of(0), log.onDenial(RateLimitScope.DID, "did:sov:q", WINDOW));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(OptionalLong.empty(), log.onDenial(RateLimitScope.DID, "did:sov:q", WINDOW), "now a 60 s window");
    }

    @Test
    void memory_is_bounded_and_forgets_the_least_recently_denied_offender() {
        DenialLog log = new DenialLog(3, clock);
        for (int i = 0; i < 10_000; i++) {
            log.onDenial(RateLimitScope.IP, "198.51.100." + i, WINDOW);
        }
        assertEquals(3, log.rememberedOffenders());
        log.onDenial(RateLimitScope.IP, "a", WINDOW);
        log.onDenial(RateLimitScope.IP, "b", WINDOW);
        log.onDenial(RateLimitScope.IP, "c", WINDOW);
        assertEquals(OptionalLong.empty(), log.onDenial(RateLimitScope.IP, "a", WINDOW), "a is now the most recent");
        log.onDenial(RateLimitScope.IP, "d", WINDOW);
        assertEquals(OptionalLong.empty(), log.onDenial(RateLimitScope.IP, "a", WINDOW), "b was evicted, not a");
        assertEquals(OptionalLong.of(0), log.onDenial(RateLimitScope.IP, "b", WINDOW), "a forgotten offender is logged at once");
        assertEquals(3, log.rememberedOffenders());
    }

    @Test
    void refuses_a_capacity_below_one() {
        assertThrows(IllegalArgumentException.class, () -> new DenialLog(0, clock));
    }
}
