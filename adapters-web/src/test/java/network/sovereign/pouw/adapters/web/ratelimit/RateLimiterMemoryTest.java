package network.sovereign.pouw.adapters.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;
import org.junit.jupiter.api.Test;

/**
 * The per-key state stays bounded: a million distinct IP addresses and a million distinct DIDs,
 * all inside one window (so nothing expires and only the bound can keep the store small), leave each
 * store at exactly its capacity; a window later they are all gone. RELIABILITY.md, scenario 5.
 */
class RateLimiterMemoryTest {

    private static final int DISTINCT = Integer.getInteger("pouw.reliability.keys", 1_000_000);

    @Test
    void a_million_distinct_ips_and_dids_never_grow_the_store_past_its_bound() {
        ManualNanoClock clock = new ManualNanoClock();
        RateLimitSettings settings = new RateLimitSettings(100, 50, Duration.ofSeconds(60), KeyedRateLimiter.DEFAULT_MAX_KEYS);
        RateLimits limits = new RateLimits(settings, clock);
        long heapBefore = heapAfterGc();

        int peakIp = 0;
        int peakDid = 0;
        for (int i = 0; i < DISTINCT; i++) {
            String ip = (i & 1) == 0
                    ? (10 + (i >>> 24)) + "." + ((i >>> 16) & 0xff) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff)
                    : "2001:db8::" + Integer.toHexString(i >>> 16) + ":" + Integer.toHexString(i & 0xffff);
            String did = "did:zhtp:" + String.format(Locale.ROOT, "%064x", i);
            assertTrue(limits.tryAcquire(RateLimitScope.IP, ip).allowed(), "a new key always has its budget");
            assertTrue(limits.tryAcquire(RateLimitScope.DID, did).allowed(), "a new key always has its budget");
            clock.advanceNanos(1_000); // a million requests within 1 s: one window, nothing expires
            if (i % 50_000 == 49_999) {
                peakIp = Math.max(peakIp, limits.limiter(RateLimitScope.IP).trackedKeys());
                peakDid = Math.max(peakDid, limits.limiter(RateLimitScope.DID).trackedKeys());
            }
        }
        long heapFull = heapAfterGc();

        for (RateLimitScope scope : RateLimitScope.values()) {
            KeyedRateLimiter.Snapshot s = limits.limiter(scope).snapshot();
            assertEquals(KeyedRateLimiter.DEFAULT_MAX_KEYS, s.maxKeys());
            assertTrue(s.trackedKeys() <= s.maxKeys(), scope + " tracked " + s.trackedKeys());
            assertTrue(s.trackedKeys() > s.maxKeys() * 9 / 10, "the store fills up to about its bound: " + s.trackedKeys());
            assertEquals(DISTINCT - s.trackedKeys(), s.evictionsTotal(), "everything beyond the bound was evicted");
            assertTrue(s.evicting(), "a store that evicts says so (health: degraded)");
        }
        assertTrue(peakIp <= KeyedRateLimiter.DEFAULT_MAX_KEYS && peakDid <= KeyedRateLimiter.DEFAULT_MAX_KEYS,
                "never above the bound: ip " + peakIp + ", did " + peakDid);

        clock.advance(Duration.ofSeconds(61));
        assertEquals(0, limits.limiter(RateLimitScope.IP).trackedKeys(), "idle keys expire after a window");
        assertEquals(0, limits.limiter(RateLimitScope.DID).trackedKeys(), "idle keys expire after a window");
        long heapEmpty = heapAfterGc();

        // Figures for docs/RELIABILITY.md; heap sizes are informative, GC is not deterministic enough to assert on.
        System.out.printf(Locale.ROOT, "reliability.memory keys=%d per scope, bound=%d per scope, peak ip=%d did=%d, "
                        + "heap after GC: before=%d MiB, full=%d MiB, expired=%d MiB%n",
                DISTINCT, KeyedRateLimiter.DEFAULT_MAX_KEYS, peakIp, peakDid, heapBefore >> 20, heapFull >> 20, heapEmpty >> 20);
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
