package network.sovereign.pouw.adapters.persistence;

/**
 * The database could not be opened or migrated at start-up. The message is one line that names the
 * database (password masked) and the reason, fit to print before exiting; the cause keeps the details.
 */
public final class PersistenceStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean databaseUnavailable;
    private final boolean databaseInUse;

    PersistenceStartupException(String message, Throwable cause) {
        super(message, cause);
        this.databaseInUse = SqlFailures.isDatabaseInUse(cause);
        this.databaseUnavailable = !databaseInUse && SqlFailures.isUnavailable(cause);
    }

    /**
     * True when the database did not answer (refused, timed out, shutting down, too many connections),
     * so that trying again later may succeed; false when it answered and refused the work (bad
     * credentials, a failing changeset), where waiting does not help.
     */
    public boolean databaseUnavailable() {
        return databaseUnavailable;
    }

    /**
     * True when the embedded (H2) database file is open and locked by another process, typically a
     * second node started on the same data directory; waiting does not help, so this is never
     * {@link #databaseUnavailable()}.
     */
    public boolean databaseInUse() {
        return databaseInUse;
    }
}
