package network.sovereign.pouw.adapters.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureThrottleTest {

    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void an_address_is_throttled_after_its_failures_until_its_window_ends_and_logged_twice() {
        AuthFailureThrottle throttle = new AuthFailureThrottle(3, Duration.ofSeconds(60), 100, nanos::get);
        assertEquals(AuthFailureThrottle.Verdict.LOG_FIRST, throttle.failed("10.0.0.1"));
        assertEquals(AuthFailureThrottle.Verdict.QUIET, throttle.failed("10.0.0.1"));
        assertEquals(OptionalLong.empty(), throttle.throttled("10.0.0.1"));
        assertEquals(AuthFailureThrottle.Verdict.LOG_THROTTLED, throttle.failed("10.0.0.1"));
        assertEquals(OptionalLong.of(60), throttle.throttled("10.0.0.1"));
        assertEquals(OptionalLong.empty(), throttle.throttled("10.0.0.2"), "other addresses are not affected");

        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals(OptionalLong.of(1), throttle.throttled("10.0.0.1"));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(OptionalLong.empty(), throttle.throttled("10.0.0.1"), "a new window");
        assertEquals(AuthFailureThrottle.Verdict.LOG_FIRST, throttle.failed("10.0.0.1"));
    }

    @Test
    void at_most_a_bounded_number_of_addresses_are_logged_per_window_and_memory_is_bounded() {
        AuthFailureThrottle throttle = new AuthFailureThrottle(5, Duration.ofSeconds(60), 50, nanos::get);
        int logged = 0;
        for (int i = 0; i < 200; i++) {
            logged += throttle.failed("10.0.1." + i) == AuthFailureThrottle.Verdict.LOG_FIRST ? 1 : 0;
        }
        assertEquals(AuthFailureThrottle.MAX_LOGGED_ADDRESSES_PER_WINDOW, logged);
        assertEquals(200 - logged, throttle.takeSuppressed());
        assertEquals(0, throttle.takeSuppressed());
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.2.1");
        }
        assertTrue(throttle.throttled("10.0.2.1").isPresent());
    }
}
