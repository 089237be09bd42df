package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.junit.jupiter.api.Test;

/** How start-up failures are classified: worth waiting for, or not. */
class PersistenceStartupExceptionTest {

    @Test
    void a_locked_h2_file_is_in_use_and_not_worth_waiting_for() {
        // H2 raises DATABASE_ALREADY_OPEN_1 as a non-transient *connection* exception, which alone would read as "unavailable".
        SQLException locked = new SQLNonTransientConnectionException("Database may be already in use", "90020", 90020);
        PersistenceStartupException e = new PersistenceStartupException("cannot connect", new RuntimeException(locked));
        assertTrue(e.databaseInUse());
        assertFalse(e.databaseUnavailable());
    }

    @Test
    void a_refused_connection_is_unavailable_and_not_in_use() {
        PersistenceStartupException e = new PersistenceStartupException("cannot connect",
                new SQLNonTransientConnectionException("Connection refused", "08001"));
        assertFalse(e.databaseInUse());
        assertTrue(e.databaseUnavailable());
    }
}
