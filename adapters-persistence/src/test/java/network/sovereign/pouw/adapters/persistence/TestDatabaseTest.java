package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The test harness tells a PostgreSQL server that is out of connections (SQLSTATE 53300, which a role
 * with a connection limit of 0 gets at once) from one that does not answer at all.
 */
class TestDatabaseTest {

    private static final String ADMIN_URL = System.getenv().getOrDefault("POUW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getenv().getOrDefault("POUW_TEST_PG_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("POUW_TEST_PG_PASSWORD", "");

    @Test
    void a_server_out_of_connections_is_not_a_missing_server() throws Exception {
        String role = "pouw_nolimit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        try (TestDatabase ignored = TestDatabase.postgres(); // the server answers
             Connection admin = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
             Statement s = admin.createStatement()) {
            s.execute("create role " + role + " login connection limit 0");
            try {
                SQLException full = assertThrows(SQLException.class, () -> DriverManager.getConnection(ADMIN_URL, role, "").close());
                assertTrue(TestDatabase.Postgres.outOfConnections(full), full.getSQLState() + " " + full.getMessage());
            } finally {
                s.execute("drop role " + role);
            }
        }
        SQLException refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=3", USER, PASSWORD).close());
        assertFalse(TestDatabase.Postgres.outOfConnections(refused), refused.getSQLState() + " " + refused.getMessage());
    }
}
