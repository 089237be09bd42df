package network.sovereign.pouw.adapters.web.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;
import network.sovereign.pouw.application.port.out.SubmitThrottle;

/**
 * The submit path's limits once it knows who really sent a batch: the per-DID permit of
 * {@link RateLimits} (spent only by a batch whose signatures verified), and a budget of
 * unauthenticated rejections stored per window, per client address and per DID
 * ({@code POUW_RATE_LIMIT_REJECTIONS}), so a flood of receipts whose signatures do not verify is
 * answered but never fills the rejections table.
 */
public final class SubmitLimits implements SubmitThrottle {

    private final RateLimits rateLimits;
    private final Budget byAddress;
    private final Budget byDid;

    /** Limits on the system's monotonic clock. */
    public SubmitLimits(RateLimits rateLimits, int rejectionsPerWindow, Duration window) {
        this(rateLimits, rejectionsPerWindow, window, KeyedRateLimiter.DEFAULT_MAX_KEYS, System::nanoTime);
    }

    /**
     * Limits on a given clock.
     *
     * @param rateLimits          the node's IP and DID limiters
     * @param rejectionsPerWindow unauthenticated rejections stored per window for one address, and for one DID
     * @param window              the window of that budget
     * @param maxKeys             the most addresses (and DIDs) tracked at once; the least recently seen go first
     * @param nanoClock           a monotonic nanosecond time source
     */
    public SubmitLimits(RateLimits rateLimits, int rejectionsPerWindow, Duration window, int maxKeys, LongSupplier nanoClock) {
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
        if (rejectionsPerWindow < 0) {
            throw new IllegalArgumentException("rejectionsPerWindow must not be negative: " + rejectionsPerWindow);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.byAddress = new Budget(rejectionsPerWindow, window.toNanos(), maxKeys, nanoClock);
        this.byDid = new Budget(rejectionsPerWindow, window.toNanos(), maxKeys, nanoClock);
    }

    @Override
    public OptionalLong admitDid(String did) {
        return rateLimits.tryAcquire(RateLimitScope.DID, did) instanceof RateLimitDecision.Denied denied
                ? OptionalLong.of(denied.retryAfterSeconds()) : OptionalLong.empty();
    }

    @Override
    public int storableUnauthenticatedRejections(String did, String origin, int count) {
        if (count <= 0) {
            return 0;
        }
        // Both budgets must have room; what one grants and the other does not is given back.
        int address = byAddress.take(origin, count);
        int granted = byDid.take(did, address);
        byAddress.giveBack(origin, address - granted);
        return granted;
    }

    /** Fixed windows per key in a bounded, access-ordered map. */
    private static final class Budget {
        private final int perWindow;
        private final long windowNanos;
        private final LongSupplier clock;
        private final Map<String, long[]> used;

        Budget(int perWindow, long windowNanos, int maxKeys, LongSupplier clock) {
            this.perWindow = perWindow;
            this.windowNanos = windowNanos;
            this.clock = Objects.requireNonNull(clock, "clock");
            this.used = new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                    return size() > maxKeys;
                }
            };
        }

        /** Takes up to {@code wanted} from the key's window; answers how many it took. */
        synchronized int take(String key, int wanted) {
            long now = clock.getAsLong();
            long[] window = used.get(key);
            if (window == null || now - window[0] >= windowNanos) {
                window = new long[] {now, 0};
                used.put(key, window);
            }
            int granted = (int) Math.min(wanted, Math.max(0, perWindow - window[1]));
            window[1] += granted;
            return granted;
        }

        synchronized void giveBack(String key, int count) {
            long[] window = used.get(key);
            if (window != null && count > 0) {
                window[1] = Math.max(0, window[1] - count);
            }
        }
    }
}
