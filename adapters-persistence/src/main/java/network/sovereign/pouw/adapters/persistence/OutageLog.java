package network.sovereign.pouw.adapters.persistence;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What an operator reads in {@code journalctl -p err} during a database outage: one ERROR line when
 * calls start failing because the database or the pool cannot answer, and one INFO line when a call
 * is answered again, with how long it lasted and how many calls failed meanwhile. The failures in
 * between are logged at DEBUG only, so an outage under load does not write a line per request.
 */
final class OutageLog {

    /** The logger of both lines (one name an operator can filter on). */
    static final String LOGGER = "network.sovereign.pouw.database";

    private static final System.Logger LOG = System.getLogger(LOGGER);

    private final LongSupplier nanoClock;
    /** Read on every answered call without a lock; written under {@code this}. */
    private volatile boolean down;
    private long downSince;
    private long failures;

    OutageLog(LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** A call failed because the database or the pool could not answer. */
    void failed(String message) {
        synchronized (this) {
            if (!down) {
                down = true;
                downSince = nanoClock.getAsLong();
                failures = 1;
                LOG.log(Level.ERROR, "database unavailable, requests that need it are answered 503 until it answers again: " + message);
                return;
            }
            failures++;
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "database still unavailable: " + message);
        }
    }

    /** A call was answered by the database. */
    void answered() {
        if (!down) {
            return;
        }
        synchronized (this) {
            if (!down) {
                return;
            }
            down = false;
            long millis = (nanoClock.getAsLong() - downSince) / 1_000_000;
            LOG.log(Level.INFO, "database answers again after " + millis + " ms of outage (" + failures + " failed calls)");
        }
    }

    /** Whether the last call failed for want of the database. */
    boolean down() {
        return down;
    }
}
