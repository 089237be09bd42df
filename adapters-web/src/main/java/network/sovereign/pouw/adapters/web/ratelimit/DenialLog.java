package network.sovereign.pouw.adapters.web.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;

/**
 * Decides which rate-limit denials are logged: at most one line per offender (scope and key) per
 * rate-limit window, so a storm of denials writes one WARN per offender and window instead of one per
 * request. The logged line says how many of the offender's denials were not logged since its previous
 * line.
 *
 * <p>An offender's log window starts at its logged denial and lasts one rate-limit window of its scope
 * (as in force at that denial); its first denial after that window is logged again, carrying the count
 * of the denials suppressed in between. The count of an offender's last window is thus reported only if
 * it is denied again later; {@code pouw_rate_limit_denials_total} counts every denial.
 *
 * <p>Memory is bounded: at most {@code maxOffenders} offenders are remembered, the least recently denied
 * one is forgotten to make room (its suppressed count is lost and its next denial is logged at once), and
 * an offender whose window has passed is forgotten on its next denial. Thread-safe.
 */
public final class DenialLog {

    /** The default number of offenders remembered (both scopes together); about 3 MB at most. */
    public static final int DEFAULT_MAX_OFFENDERS = 10_000;

    private final LongSupplier nanoClock;
    private final Map<String, Offender> offenders;

    /**
     * Creates the log decision.
     *
     * @param maxOffenders the most offenders remembered at once, at least 1
     * @param nanoClock    a monotonic nanosecond time source ({@code System::nanoTime} in production)
     */
    public DenialLog(int maxOffenders, LongSupplier nanoClock) {
        if (maxOffenders < 1) {
            throw new IllegalArgumentException("maxOffenders must be at least 1, was " + maxOffenders);
        }
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.offenders = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Offender> eldest) {
                return size() > maxOffenders;
            }
        };
    }

    /**
     * Records one denial.
     *
     * @param scope  IP or DID
     * @param key    the offender within the scope (as it will be logged)
     * @param window the scope's rate-limit window
     * @return present when this denial is to be logged, holding the number of the offender's denials not
     *         logged since its previous line (0 for its first); empty when it is to be suppressed
     */
    public OptionalLong onDenial(RateLimitScope scope, String key, Duration window) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        long now = nanoClock.getAsLong();
        long windowNanos = Math.max(1, Objects.requireNonNull(window, "window").toNanos());
        String id = scope.label() + ' ' + key;
        synchronized (offenders) {
            Offender offender = offenders.get(id);
            if (offender != null && now - offender.loggedAtNanos < offender.windowNanos) {
                offender.suppressed++;
                return OptionalLong.empty();
            }
            long suppressed = offender == null ? 0 : offender.suppressed;
            offenders.put(id, new Offender(now, windowNanos));
            return OptionalLong.of(suppressed);
        }
    }

    /** The number of offenders remembered now. */
    public int rememberedOffenders() {
        synchronized (offenders) {
            return offenders.size();
        }
    }

    private static final class Offender {
        final long loggedAtNanos;
        final long windowNanos;
        long suppressed;

        Offender(long loggedAtNanos, long windowNanos) {
            this.loggedAtNanos = loggedAtNanos;
            this.windowNanos = windowNanos;
        }
    }
}
