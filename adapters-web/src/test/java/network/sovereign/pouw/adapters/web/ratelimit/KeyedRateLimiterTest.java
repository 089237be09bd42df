package network.sovereign.pouw.adapters.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// A hang guard, not a speed assertion: were the resilience4j timeout not zero, a denied caller would
// park until the manual clock moved, which it never does by itself.
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KeyedRateLimiterTest {

    private static final Duration MINUTE = Duration.ofSeconds(60);

    private final ManualNanoClock clock = new ManualNanoClock();

    private KeyedRateLimiter limiter(int limit, Duration window, int maxKeys) {
        return new KeyedRateLimiter("ip", new RateLimitPolicy(limit, window), maxKeys, clock);
    }

    private static int allowedOf(KeyedRateLimiter limiter, String key, int calls) {
        int allowed = 0;
        for (int i = 0; i < calls; i++) {
            if (limiter.tryAcquire(key).allowed()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void allows_exactly_limit_permits_in_a_window_then_denies() {
        KeyedRateLimiter limiter = limiter(5, MINUTE, 100);

        for (int i = 0; i < 5; i++) {
            assertEquals(RateLimitDecision.ALLOWED, limiter.tryAcquire("192.0.2.1"), "call " + (i + 1));
        }
        assertEquals(new RateLimitDecision.Denied(60), limiter.tryAcquire("192.0.2.1"));
        assertEquals(0, allowedOf(limiter, "192.0.2.1", 10));
    }

    @Test
    void the_first_permit_after_the_window_rolls_over_is_allowed_and_one_nanosecond_before_it_is_not() {
        KeyedRateLimiter limiter = limiter(3, MINUTE, 100);
        assertEquals(3, allowedOf(limiter, "k", 3));

        clock.advance(MINUTE.minusNanos(1));
        assertEquals(new RateLimitDecision.Denied(1), limiter.tryAcquire("k"));

        clock.advanceNanos(1);
        assertEquals(3, allowedOf(limiter, "k", 10));
    }

    @Test
    void the_window_is_anchored_at_the_keys_first_request() {
        KeyedRateLimiter limiter = limiter(3, MINUTE, 100);
        assertTrue(limiter.tryAcquire("k").allowed());

        clock.advance(Duration.ofSeconds(59));
        assertEquals(2, allowedOf(limiter, "k", 5));
        assertEquals(new RateLimitDecision.Denied(1), limiter.tryAcquire("k"));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(3, allowedOf(limiter, "k", 5), "a new window began 60 s after the first request");
    }

    @Test
    void a_burst_at_one_instant_gets_exactly_limit_permits() {
        KeyedRateLimiter limiter = limiter(100, MINUTE, 100);

        assertEquals(100, allowedOf(limiter, "k", 1_000));
    }

    @Test
    void retry_after_is_the_rest_of_the_window_rounded_up_to_whole_seconds_and_at_least_one() {
        KeyedRateLimiter limiter = limiter(1, MINUTE, 100);
        assertTrue(limiter.tryAcquire("k").allowed());

        assertEquals(new RateLimitDecision.Denied(60), limiter.tryAcquire("k"));
        clock.advance(Duration.ofMillis(500));
        assertEquals(new RateLimitDecision.Denied(60), limiter.tryAcquire("k"), "59.5 s rounds up");
        clock.advance(Duration.ofMillis(29_500));
        assertEquals(new RateLimitDecision.Denied(30), limiter.tryAcquire("k"));
        clock.advance(Duration.ofMillis(29_999));
        assertEquals(new RateLimitDecision.Denied(1), limiter.tryAcquire("k"), "1 ms left is still 1 s");
    }

    @Test
    void retry_after_seconds_rounds_up_and_never_goes_below_one() {
        assertEquals(1, KeyedRateLimiter.retryAfterSeconds(-5));
        assertEquals(1, KeyedRateLimiter.retryAfterSeconds(0));
        assertEquals(1, KeyedRateLimiter.retryAfterSeconds(1));
        assertEquals(1, KeyedRateLimiter.retryAfterSeconds(1_000_000_000L));
        assertEquals(2, KeyedRateLimiter.retryAfterSeconds(1_000_000_001L));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitDecision.Denied(0));
    }

    @Test
    void keys_are_independent() {
        KeyedRateLimiter limiter = limiter(2, MINUTE, 100);
        assertEquals(2, allowedOf(limiter, "a", 5));

        assertEquals(2, allowedOf(limiter, "b", 5));
        assertEquals(2, allowedOf(limiter, "c", 5));
        assertFalse(limiter.tryAcquire("a").allowed());
    }

    @Test
    void a_limit_changed_at_runtime_applies_to_new_keys_at_once_and_to_existing_keys_from_their_next_window() {
        KeyedRateLimiter limiter = limiter(5, MINUTE, 100);
        assertEquals(5, allowedOf(limiter, "exhausted", 5));
        assertEquals(1, allowedOf(limiter, "light", 1));

        limiter.changeLimit(2);

        assertEquals(new RateLimitPolicy(2, MINUTE), limiter.policy());
        assertEquals(2, allowedOf(limiter, "new", 10), "a new key gets the new limit at once");
        assertEquals(0, allowedOf(limiter, "exhausted", 10));
        clock.advance(Duration.ofSeconds(59));
        assertEquals(4, allowedOf(limiter, "light", 10), "resilience4j keeps the current window's permits");
        assertEquals(0, allowedOf(limiter, "exhausted", 10));

        // The next window, one second later: the keys were seen a moment ago, so their limiters live on.
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, allowedOf(limiter, "exhausted", 10));
        assertEquals(2, allowedOf(limiter, "light", 10));

        limiter.changeLimit(4);
        assertEquals(0, allowedOf(limiter, "exhausted", 10), "a raised limit does not refill the current window");
        clock.advance(MINUTE);
        assertEquals(4, allowedOf(limiter, "exhausted", 10));
        assertEquals(1, limiter.trackedKeys(), "only \"exhausted\" was seen within the last window");
    }

    @Test
    void a_window_changed_at_runtime_gives_existing_keys_a_fresh_window_on_their_next_request() {
        KeyedRateLimiter limiter = limiter(2, MINUTE, 100);
        assertEquals(2, allowedOf(limiter, "k", 5));

        limiter.changePolicy(new RateLimitPolicy(2, Duration.ofSeconds(10)));

        assertEquals(2, allowedOf(limiter, "k", 5));
        assertEquals(new RateLimitDecision.Denied(10), limiter.tryAcquire("k"));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(2, allowedOf(limiter, "k", 5));
    }

    @Test
    void concurrent_callers_on_one_key_never_get_more_than_limit_permits_per_window() throws Exception {
        int limit = 1_000;
        int threads = 8;
        int callsPerThread = 5_000;
        KeyedRateLimiter limiter = limiter(limit, MINUTE, 100);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int window = 0; window < 3; window++) {
                assertEquals(limit, concurrentAllowed(pool, threads, callsPerThread, limiter, (t, i) -> "one-key"),
                        "window " + window);
                clock.advance(MINUTE);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void concurrent_callers_on_many_keys_keep_the_store_within_capacity_and_each_key_within_its_limit() throws Exception {
        int maxKeys = 2_048;
        KeyedRateLimiter limiter = limiter(3, MINUTE, maxKeys);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // 50 keys hammered by every thread (never evicted: always recently used) ...
            int allowed = concurrentAllowed(pool, 8, 2_000, limiter, (t, i) -> "hot-" + (i % 50));
            assertEquals(50 * 3, allowed);
            // ... then a flood of distinct keys that overflows the store.
            concurrentAllowed(pool, 8, 2_000, limiter, (t, i) -> "flood-" + t + "-" + i);
            assertTrue(limiter.trackedKeys() <= maxKeys, "tracked " + limiter.trackedKeys());
            assertEquals(8 * 2_000 + 50 - limiter.trackedKeys(), limiter.snapshot().evictionsTotal());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    /** Runs the tasks at once (each on its own thread) and counts the permits they got. */
    private static int concurrentAllowed(ExecutorService pool, int tasks, int callsPerTask,
                                         KeyedRateLimiter limiter, KeyOf keyOf) throws Exception {
        CountDownLatch ready = new CountDownLatch(tasks);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int task = t;
            results.add(pool.submit(() -> {
                ready.countDown();
                start.await();
                int allowed = 0;
                for (int i = 0; i < callsPerTask; i++) {
                    if (limiter.tryAcquire(keyOf.key(task, i)).allowed()) {
                        allowed++;
                    }
                }
                return allowed;
            }));
        }
        assertTrue(ready.await(60, TimeUnit.SECONDS), "the pool has a thread per task");
        start.countDown();
        int total = 0;
        for (Future<Integer> result : results) {
            total += result.get(60, TimeUnit.SECONDS);
        }
        return total;
    }

    /** The key a task uses on its i-th call. */
    @FunctionalInterface
    private interface KeyOf {
        String key(int task, int call);
    }

    @Test
    void the_store_never_holds_more_keys_than_its_capacity() {
        int maxKeys = 100_000;
        KeyedRateLimiter limiter = limiter(1, MINUTE, maxKeys);

        for (int i = 0; i < 100_000; i++) {
            limiter.tryAcquire(address(i));
        }
        int afterFirst = limiter.trackedKeys();
        assertTrue(afterFirst <= maxKeys, "tracked " + afterFirst);
        // Every key is tracked or was evicted; a stripe may fill up before the whole store does.
        assertEquals(100_000, afterFirst + limiter.snapshot().evictionsTotal());

        for (int i = 100_000; i < 200_000; i++) {
            limiter.tryAcquire(address(i));
        }
        assertEquals(maxKeys, limiter.trackedKeys(), "full, and not one key more");
        assertEquals(100_000, limiter.snapshot().evictionsTotal());
        assertTrue(limiter.snapshot().evicting());
    }

    private static String address(int i) {
        return "10." + (i >>> 16 & 0xFF) + "." + (i >>> 8 & 0xFF) + "." + (i & 0xFF);
    }

    @Test
    void entries_idle_for_a_full_window_expire() {
        KeyedRateLimiter limiter = limiter(1, MINUTE, 10_000);
        for (int i = 0; i < 1_000; i++) {
            limiter.tryAcquire("idle-" + i);
        }
        assertEquals(1_000, limiter.trackedKeys());

        clock.advance(MINUTE.minusNanos(1));
        assertEquals(1_000, limiter.trackedKeys());
        clock.advanceNanos(1);
        assertEquals(0, limiter.trackedKeys());
        assertEquals(0, limiter.snapshot().evictionsTotal(), "expiry is not eviction");
    }

    @Test
    void only_keys_idle_for_a_full_window_expire() {
        KeyedRateLimiter limiter = limiter(1, MINUTE, 100);
        limiter.tryAcquire("early");
        clock.advance(Duration.ofSeconds(30));
        limiter.tryAcquire("late");

        clock.advance(Duration.ofSeconds(30));
        assertEquals(1, limiter.trackedKeys());
        assertFalse(limiter.tryAcquire("late").allowed(), "late is still tracked and spent");
        assertTrue(limiter.tryAcquire("early").allowed(), "early expired and starts afresh");
    }

    @Test
    void at_capacity_the_least_recently_used_key_is_evicted_and_comes_back_with_a_fresh_budget() {
        KeyedRateLimiter limiter = limiter(1, MINUTE, 2);
        assertTrue(limiter.tryAcquire("a").allowed());
        assertTrue(limiter.tryAcquire("b").allowed());
        assertFalse(limiter.tryAcquire("a").allowed()); // a is now the most recently used

        assertTrue(limiter.tryAcquire("c").allowed()); // evicts b
        assertEquals(2, limiter.trackedKeys());
        assertFalse(limiter.tryAcquire("a").allowed(), "a survived: it was used more recently than b");
        assertTrue(limiter.tryAcquire("b").allowed(), "the documented trade-off: an evicted key starts afresh");
        assertEquals(2, limiter.snapshot().evictionsTotal());
    }

    @Test
    void the_store_reports_evicting_until_a_window_passes_without_an_eviction() {
        KeyedRateLimiter limiter = limiter(1, MINUTE, 1);
        limiter.tryAcquire("a");
        assertFalse(limiter.snapshot().evicting());

        limiter.tryAcquire("b");
        KeyedRateLimiter.Snapshot snapshot = limiter.snapshot();
        assertTrue(snapshot.evicting());
        assertEquals(new KeyedRateLimiter.Snapshot("ip", 1, 1, new RateLimitPolicy(1, MINUTE), 1, true), snapshot);

        clock.advance(MINUTE.minusNanos(1));
        assertTrue(limiter.snapshot().evicting());
        clock.advanceNanos(1);
        assertFalse(limiter.snapshot().evicting());
    }

    @Test
    void rejects_bad_arguments() {
        RateLimitPolicy policy = new RateLimitPolicy(1, MINUTE);
        assertThrows(IllegalArgumentException.class, () -> new KeyedRateLimiter("ip", policy, 0, clock));
        assertThrows(NullPointerException.class, () -> limiter(1, MINUTE, 1).tryAcquire(null));
        assertThrows(IllegalArgumentException.class, () -> limiter(1, MINUTE, 1).changeLimit(0));
    }
}
