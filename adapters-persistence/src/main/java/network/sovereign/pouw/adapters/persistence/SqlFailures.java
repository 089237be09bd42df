package network.sovereign.pouw.adapters.persistence;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import network.sovereign.pouw.application.port.out.StoreUnavailableException;

/**
 * Classifies database failures and turns them into short, one-line messages, so that no JDBC or jOOQ
 * exception type leaves this module and no stack trace reaches an operator's screen.
 */
final class SqlFailures {

    /**
     * SQLState classes and codes that mean "the database cannot answer right now, try again":
     * 08 connection exception, 53 insufficient resources (too many connections), 57 operator
     * intervention (shutdown, statement timeout), 40 transaction rollback (serialization failure,
     * deadlock), 55P03 lock not available; H2's lock timeout (HYT00), concurrent update (90131), broken
     * connection (90067), closed database (90098, 90121). H2's "database may be already in use"
     * (90020) is not here: another process holds the file and waiting does not make it let go, see
     * {@link #isDatabaseInUse}.
     */
    private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "53", "57", "40");
    private static final Set<String> UNAVAILABLE_STATES = Set.of("55P03", "HYT00", "90131", "90067", "90098", "90121");

    private static final int MAX_MESSAGE = 300;

    private SqlFailures() {
    }

    /** The port-level exception for a failed database operation. */
    static RuntimeException translate(String operation, RuntimeException failure) {
        if (isUnavailable(failure)) {
            return new StoreUnavailableException("database unavailable (" + operation + "): " + describe(failure), failure);
        }
        return new IllegalStateException("database operation failed (" + operation + "): " + describe(failure), failure);
    }

    /**
     * True when the failure is H2's DATABASE_ALREADY_OPEN_1 (error code and SQLState 90020): another
     * process has the embedded database file open and locked.
     */
    static boolean isDatabaseInUse(Throwable failure) {
        return hasState(failure, Set.of("90020"));
    }

    /** True when the failure means the database is unreachable, overloaded or temporarily refusing work. */
    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (UNAVAILABLE_STATES.contains(state)
                        || state.length() >= 2 && UNAVAILABLE_CLASSES.contains(state.substring(0, 2))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when the failure is a unique-key violation (SQLState 23505 on both databases), e.g. a
     * concurrent writer that inserted the same key first.
     */
    static boolean isUniqueViolation(Throwable failure) {
        return hasState(failure, Set.of("23505"));
    }

    /**
     * True when the failure means a concurrent transaction got in the way and running the same
     * transaction again may succeed: serialization failure or deadlock (40001, 40P01), H2's
     * "concurrent update" (90131).
     */
    static boolean isConcurrencyConflict(Throwable failure) {
        return hasState(failure, Set.of("40001", "40P01", "90131"));
    }

    private static boolean hasState(Throwable failure, Set<String> states) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && states.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line saying what went wrong: the message of the deepest {@link SQLException} in the chain
     * (the database's or driver's own words), else of the root cause, prefixed by its simple class name
     * when the message alone would be unclear. Never a stack trace, at most 300 characters.
     */
    static String describe(Throwable failure) {
        Throwable best = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                best = t;
            }
            root = t;
        }
        Throwable chosen = best != null ? best : root;
        String message = chosen.getMessage();
        String text = message == null || message.isBlank()
                ? chosen.getClass().getSimpleName()
                : best == null ? chosen.getClass().getSimpleName() + ": " + message : message;
        return oneLine(text);
    }

    /** Collapses whitespace (including line breaks) and truncates to a readable length. */
    static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
