package network.sovereign.pouw.adapters.admin.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Counts wrong admin tokens per client address in fixed windows ({@code POUW_ADMIN_AUTH_FAILURES_MAX}
 * per {@code POUW_ADMIN_AUTH_WINDOW_SECS}): once an address has used up its failures, its admin
 * requests are refused (429) until its window ends, without the token being looked at. It also decides
 * which failures are logged, so a token-guessing flood writes a couple of lines per address and
 * window, not one per attempt, and at most {@link #MAX_LOGGED_ADDRESSES_PER_WINDOW} addresses are
 * logged per window in all. At most {@code maxAddresses} addresses are tracked (the least recently
 * seen is forgotten first), so memory does not grow with the number of attackers.
 */
public final class AuthFailureThrottle {

    /** How many distinct addresses get their own log lines in one window (the rest are counted). */
    static final int MAX_LOGGED_ADDRESSES_PER_WINDOW = 20;
    /** The default bound on tracked addresses. */
    static final int DEFAULT_MAX_ADDRESSES = 10_000;

    /** What to do with a failure just counted. */
    public enum Verdict {
        /** The first failure of the address in its window: log it. */
        LOG_FIRST,
        /** The failure that used up the address's allowance: log that it is throttled now. */
        LOG_THROTTLED,
        /** Counted only. */
        QUIET
    }

    private static final class Window {
        long startNanos;
        int failures;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    private final int maxFailures;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows;
    /** Guarded by {@code this}: the global log budget's window and what it has spent and suppressed. */
    private long logWindowStart;
    private int loggedAddresses;
    private long suppressed;

    /** A throttle on the system's monotonic clock. */
    public AuthFailureThrottle(int maxFailures, Duration window) {
        this(maxFailures, window, DEFAULT_MAX_ADDRESSES, System::nanoTime);
    }

    /**
     * A throttle.
     *
     * @param maxFailures  wrong tokens allowed per address and window (at least 1)
     * @param window       the window (positive)
     * @param maxAddresses addresses tracked at most
     * @param nanoClock    a monotonic nanosecond clock
     */
    public AuthFailureThrottle(int maxFailures, Duration window, int maxAddresses, LongSupplier nanoClock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || maxAddresses < 1) {
            throw new IllegalArgumentException("maxFailures, window and maxAddresses must be positive");
        }
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.windows = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > maxAddresses;
            }
        };
        this.logWindowStart = nanoClock.getAsLong();
    }

    /** The failures allowed per address and window. */
    public int maxFailures() {
        return maxFailures;
    }

    /**
     * Whether the address is throttled now.
     *
     * @return the seconds until its window ends, when it is throttled; empty when it may try
     */
    public synchronized OptionalLong throttled(String address) {
        Window w = current(address, false);
        if (w == null || w.failures < maxFailures) {
            return OptionalLong.empty();
        }
        long remaining = windowNanos - (nanoClock.getAsLong() - w.startNanos);
        return OptionalLong.of(Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L));
    }

    /** Counts one wrong token from the address and says whether to log it. */
    public synchronized Verdict failed(String address) {
        Window w = current(address, true);
        w.failures++;
        Verdict verdict = w.failures == 1 ? Verdict.LOG_FIRST : w.failures == maxFailures ? Verdict.LOG_THROTTLED : Verdict.QUIET;
        if (verdict == Verdict.QUIET) {
            return verdict;
        }
        long now = nanoClock.getAsLong();
        if (now - logWindowStart >= windowNanos) {
            logWindowStart = now;
            loggedAddresses = 0;
        }
        if (verdict == Verdict.LOG_FIRST && ++loggedAddresses > MAX_LOGGED_ADDRESSES_PER_WINDOW) {
            suppressed++;
            return Verdict.QUIET;
        }
        return verdict;
    }

    /** Wrong-token lines not logged since the last call (addresses beyond the per-window log budget). */
    public synchronized long takeSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }

    private Window current(String address, boolean create) {
        long now = nanoClock.getAsLong();
        Window w = windows.get(address);
        if (w != null && now - w.startNanos >= windowNanos) {
            w.startNanos = now;
            w.failures = 0;
        }
        if (w == null && create) {
            w = new Window(now);
            windows.put(address, w);
        }
        return w;
    }
}
