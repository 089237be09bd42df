package network.sovereign.pouw.adapters.web.ratelimit;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Limits each key (an IP address or a DID) to {@code limit} permits per window, with one resilience4j
 * limiter per key kept in a bounded, expiring store.
 *
 * <h2>Decision path</h2>
 * Every decision is resilience4j's: each key owns an {@link AtomicRateLimiter} configured with
 * {@code limitForPeriod = limit}, {@code limitRefreshPeriod = window} and
 * {@code timeoutDuration = Duration.ZERO}, and {@link #tryAcquire} returns what its
 * {@code acquirePermission()} answers. With a zero timeout resilience4j never reserves a future
 * permit and never parks the calling thread: a key without a permit is denied at once. The
 * {@code Retry-After} value is resilience4j's own estimate
 * ({@code getDetailedMetrics().getNanosToWait()}) rounded up to whole seconds, at least 1.
 * {@code AtomicRateLimiter} takes a nanosecond time source in its public constructor, so the same
 * injected clock drives resilience4j, idle expiry and the health view: tests run on a manual clock,
 * production on {@link System#nanoTime()}. {@code AtomicRateLimiter} lives in resilience4j's
 * {@code internal} package but is public, documented and what {@code RateLimiter.of(...)} returns;
 * we name it because only it exposes the wait estimate.
 *
 * <h2>Window semantics</h2>
 * resilience4j splits time into fixed cycles of one window, counted from the moment the key's limiter
 * was created (the key's first request). A key thus gets at most {@code limit} permits in each of its
 * windows; as with any fixed window, a client may spend one budget at the end of a window and the next
 * at the start of the following one.
 *
 * <h2>Bounded, expiring store</h2>
 * Memory does not grow with the number of distinct keys: the store holds at most {@code maxKeys}
 * entries (default {@value #DEFAULT_MAX_KEYS} per scope; each entry costs roughly half a kilobyte, so
 * about 50 MB at the default). It is split into up to 16 stripes, each a {@link LinkedHashMap} in
 * access order guarded by its own lock, so concurrent callers on different keys rarely meet; the
 * lock covers only the map, never the permit accounting, which is resilience4j's lock-free CAS.
 * <ul>
 *   <li>Expiry: an entry idle for a full window or longer is dropped when its stripe is next touched
 *   (and by {@link #trackedKeys()}). This is lossless: after a full idle window resilience4j would
 *   grant the full budget anyway, and a fresh limiter grants no more than that.</li>
 *   <li>Eviction: when a stripe is full, its least-recently-used entry is evicted to make room (LRU
 *   per stripe, so approximately LRU overall; as keys never spread perfectly evenly, a stripe may
 *   start evicting a little before the whole store holds {@code maxKeys}). The trade-off: an
 *   evicted key that comes back gets a fresh budget, and a caller that fetched a key's limiter just
 *   before it was evicted may take a permit from the old one while the next caller starts a new
 *   one. LRU makes the victims the keys that have been quiet longest, so an active abuser stays
 *   tracked while a flood of new addresses mostly evicts its own older addresses. A store that
 *   evicts is reported as degraded ({@link #snapshot()}), as it most likely means an attack.</li>
 * </ul>
 *
 * <h2>Changing the policy at runtime</h2>
 * {@link #changePolicy} takes effect for new keys at once. Existing keys pick it up on their next
 * request: a changed limit through resilience4j's {@code changeLimitForPeriod}, which (by
 * resilience4j's design) leaves the permits left in the key's current window as they are and
 * applies the new limit from the key's next window on; a changed window replaces the key's limiter,
 * which starts a fresh window and budget for that key.
 *
 * <p>Thread-safe.
 */
public final class KeyedRateLimiter {

    /** The default number of keys one store tracks. */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    private static final int MAX_STRIPES = 16;
    private static final int MIN_KEYS_PER_STRIPE = 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String name;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final Supplier<Long> resilienceClock;
    private final Stripe[] stripes;
    private final LongAdder evictions = new LongAdder();
    private volatile Current current;
    private volatile boolean everEvicted;
    private volatile long lastEvictionNanos;

    /**
     * Creates a limiter on the system's monotonic clock.
     *
     * @param name    a short name for the scope (e.g. {@code ip}), used in messages
     * @param policy  the limit and window
     * @param maxKeys the most keys tracked at once, at least 1
     */
    public KeyedRateLimiter(String name, RateLimitPolicy policy, int maxKeys) {
        this(name, policy, maxKeys, System::nanoTime);
    }

    /**
     * Creates a limiter.
     *
     * @param name      a short name for the scope (e.g. {@code ip}), used in messages
     * @param policy    the limit and window
     * @param maxKeys   the most keys tracked at once, at least 1
     * @param nanoClock a monotonic nanosecond time source ({@code System::nanoTime} in production)
     */
    public KeyedRateLimiter(String name, RateLimitPolicy policy, int maxKeys, LongSupplier nanoClock) {
        this.name = Objects.requireNonNull(name, "name");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.resilienceClock = nanoClock::getAsLong;
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.current = Current.of(Objects.requireNonNull(policy, "policy"));
        int stripeCount = Integer.highestOneBit(Math.clamp(maxKeys / MIN_KEYS_PER_STRIPE, 1, MAX_STRIPES));
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            // Spread the capacity so that the stripes add up to exactly maxKeys.
            stripes[i] = new Stripe(maxKeys / stripeCount + (i < maxKeys % stripeCount ? 1 : 0));
        }
    }

    /**
     * Takes one permit for the key if it has one; never blocks.
     *
     * @param key the IP address or DID
     * @return allowed, or denied with the seconds until the key's next permit
     */
    public RateLimitDecision tryAcquire(String key) {
        Objects.requireNonNull(key, "key");
        Current now = current;
        AtomicRateLimiter limiter = stripeFor(key).limiterFor(key, nanoClock.getAsLong(), now);
        if (limiter.acquirePermission()) {
            return RateLimitDecision.ALLOWED;
        }
        return new RateLimitDecision.Denied(retryAfterSeconds(limiter.getDetailedMetrics().getNanosToWait()));
    }

    /**
     * Changes the limit and window; new keys get it at once, existing keys on their next request (see
     * the class comment for what happens to a key's current window).
     */
    public void changePolicy(RateLimitPolicy policy) {
        current = Current.of(Objects.requireNonNull(policy, "policy"));
    }

    /** Changes the limit and keeps the window (the admin API's {@code rate_limit_ip}/{@code rate_limit_did}). */
    public void changeLimit(int limit) {
        changePolicy(current.policy.withLimit(limit));
    }

    /** The policy in force for new requests. */
    public RateLimitPolicy policy() {
        return current.policy;
    }

    /** The scope name given at construction. */
    public String name() {
        return name;
    }

    /** The most keys tracked at once. */
    public int maxKeys() {
        return maxKeys;
    }

    /** The number of keys tracked now, after dropping those idle for a full window. */
    public int trackedKeys() {
        long now = nanoClock.getAsLong();
        long windowNanos = current.windowNanos;
        int total = 0;
        for (Stripe stripe : stripes) {
            total += stripe.purgeAndCount(now, windowNanos);
        }
        return total;
    }

    /** A point-in-time view for health and metrics. */
    public Snapshot snapshot() {
        int tracked = trackedKeys();
        Current now = current;
        boolean evictingNow = everEvicted && nanoClock.getAsLong() - lastEvictionNanos < now.windowNanos;
        return new Snapshot(name, tracked, maxKeys, now.policy, evictions.sum(), evictingNow);
    }

    /**
     * A point-in-time view of one store.
     *
     * @param name           the scope name
     * @param trackedKeys    keys tracked now
     * @param maxKeys        the capacity
     * @param policy         the policy in force
     * @param evictionsTotal keys evicted for room since start
     * @param evicting       true when a key was evicted within the last window (the store is full)
     */
    public record Snapshot(String name, int trackedKeys, int maxKeys, RateLimitPolicy policy,
                           long evictionsTotal, boolean evicting) {
    }

    static long retryAfterSeconds(long nanosToWait) {
        if (nanosToWait <= 0) {
            // The window rolled over between the denial and the estimate: try again at once, i.e. in 1 s.
            return 1;
        }
        return Math.max(1, Math.ceilDiv(nanosToWait, NANOS_PER_SECOND));
    }

    private Stripe stripeFor(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        return stripes[h & (stripes.length - 1)];
    }

    private AtomicRateLimiter newLimiter(Current now) {
        return new AtomicRateLimiter(name, now.config, resilienceClock);
    }

    private void recordEviction(long nowNanos) {
        evictions.increment();
        lastEvictionNanos = nowNanos;
        everEvicted = true;
    }

    /** The policy with its resilience4j configuration, swapped as one. */
    private record Current(RateLimitPolicy policy, RateLimiterConfig config, long windowNanos) {

        static Current of(RateLimitPolicy policy) {
            RateLimiterConfig config = RateLimiterConfig.custom()
                    .limitForPeriod(policy.limit())
                    .limitRefreshPeriod(policy.window())
                    .timeoutDuration(Duration.ZERO) // deny at once, never park the caller
                    .build();
            return new Current(policy, config, policy.window().toNanos());
        }
    }

    /** One key's limiter and when the key was last seen. Guarded by its stripe's lock. */
    private static final class Entry {
        AtomicRateLimiter limiter;
        RateLimitPolicy policy;
        long lastAccessNanos;

        Entry(AtomicRateLimiter limiter, RateLimitPolicy policy, long lastAccessNanos) {
            this.limiter = limiter;
            this.policy = policy;
            this.lastAccessNanos = lastAccessNanos;
        }
    }

    /** A slice of the store: an access-ordered map under one lock. */
    private final class Stripe {
        private final ReentrantLock lock = new ReentrantLock();
        // Access order: the head is always the entry seen longest ago, for both expiry and eviction.
        private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
        private final int capacity;

        Stripe(int capacity) {
            this.capacity = capacity;
        }

        AtomicRateLimiter limiterFor(String key, long nowNanos, Current now) {
            lock.lock();
            try {
                purgeExpired(nowNanos, now.windowNanos);
                Entry entry = entries.get(key);
                if (entry == null) {
                    if (entries.size() >= capacity) {
                        evictEldest(nowNanos);
                    }
                    entry = new Entry(newLimiter(now), now.policy, nowNanos);
                    entries.put(key, entry);
                    return entry.limiter;
                }
                entry.lastAccessNanos = nowNanos;
                if (entry.policy != now.policy) {
                    if (!entry.policy.window().equals(now.policy.window())) {
                        entry.limiter = newLimiter(now);
                    } else if (entry.policy.limit() != now.policy.limit()) {
                        entry.limiter.changeLimitForPeriod(now.policy.limit());
                    }
                    entry.policy = now.policy;
                }
                return entry.limiter;
            } finally {
                lock.unlock();
            }
        }

        int purgeAndCount(long nowNanos, long windowNanos) {
            lock.lock();
            try {
                purgeExpired(nowNanos, windowNanos);
                return entries.size();
            } finally {
                lock.unlock();
            }
        }

        private void purgeExpired(long nowNanos, long windowNanos) {
            Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
            while (it.hasNext()) {
                if (nowNanos - it.next().getValue().lastAccessNanos < windowNanos) {
                    return; // the rest were seen more recently
                }
                it.remove();
            }
        }

        private void evictEldest(long nowNanos) {
            Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
            it.next();
            it.remove();
            recordEviction(nowNanos);
        }
    }
}
