package network.sovereign.pouw.adapters.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, empty database for one test class: a new PostgreSQL database on the test server, or a new
 * H2 file in a JUnit temporary directory. Closing it drops the PostgreSQL database.
 *
 * <p>The PostgreSQL server is {@code jdbc:postgresql://127.0.0.1:5432/postgres} as {@code postgres}
 * (trust authentication), or what {@code POUW_TEST_PG_URL}, {@code POUW_TEST_PG_USER} and
 * {@code POUW_TEST_PG_PASSWORD} say. When it does not answer, the tests fail, loudly: they are never
 * skipped.
 */
sealed interface TestDatabase extends AutoCloseable {

    /**
     * The pool size of {@link #settings()}: the contract tests' races (8 contenders over two nodes, 4 on
     * each) still run at full width (the lease race, 6 contenders on one node, runs 4 at a time), and a test class holds a few of the server's connections instead of
     * the node's default 10 per pool (Hikari opens them all at start), since other test JVMs and
     * benchmarks share the server. Tests of pool behaviour set their own size with {@code withPool}.
     */
    int POOL_SIZE = 4;

    /** Settings that reach this database. */
    PersistenceSettings settings();

    /** "PostgreSQL" or "H2", for messages. */
    String engine();

    @Override
    void close();

    /** Creates {@code pouw_test_<random>} on the test PostgreSQL server. */
    static TestDatabase postgres() {
        return Postgres.create();
    }

    /** An H2 database in {@code directory} (a JUnit {@code @TempDir}, which JUnit deletes afterwards). */
    static TestDatabase h2(Path directory) {
        return new H2(directory);
    }

    /** A database created on the test PostgreSQL server and dropped (with its connections) at close. */
    record Postgres(String adminUrl, String user, String password, String name) implements TestDatabase {

        /** How long a server out of connections is waited for before the tests give up. */
        static final long OUT_OF_CONNECTIONS_WAIT_NANOS = 60_000_000_000L;

        static Postgres create() {
            String adminUrl = env("POUW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
            String user = env("POUW_TEST_PG_USER", "postgres");
            String password = env("POUW_TEST_PG_PASSWORD", "");
            String name = "pouw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
            // A server that is up but out of connections (other test JVMs or benchmarks hold them) is not a missing
            // server: wait for connections to come free for a while, then say which of the two it is.
            long deadline = System.nanoTime() + OUT_OF_CONNECTIONS_WAIT_NANOS;
            while (true) {
                try (Connection c = DriverManager.getConnection(adminUrl + separator(adminUrl) + "connectTimeout=3", user, password);
                     Statement s = c.createStatement()) {
                    s.execute("create database " + name);
                    return new Postgres(adminUrl, user, password, name);
                } catch (SQLException e) {
                    if (!outOfConnections(e)) {
                        throw new IllegalStateException("These tests need PostgreSQL, which does not answer at " + adminUrl
                                + " as " + user + " (" + e.getMessage() + "). Start it (./dev test does:"
                                + " pg_ctlcluster --skip-systemctl-redirect 15 main start) or point POUW_TEST_PG_URL,"
                                + " POUW_TEST_PG_USER and POUW_TEST_PG_PASSWORD at a server where you may create databases.", e);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("PostgreSQL at " + adminUrl + " is running but out of connections ("
                                + e.getMessage() + ") for " + OUT_OF_CONNECTIONS_WAIT_NANOS / 1_000_000_000L + " s: other processes"
                                + " hold them (SELECT datname, count(*) FROM pg_stat_activity GROUP BY 1), stop them or raise"
                                + " max_connections.", e);
                    }
                    sleep();
                }
            }
        }

        /** SQLSTATE 53300 (too_many_connections), e.g. "FATAL: sorry, too many clients already", or 53xxx resources. */
        static boolean outOfConnections(SQLException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("53")) {
                    return true;
                }
            }
            return false;
        }

        private static void sleep() {
            try {
                Thread.sleep(500);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a free PostgreSQL connection", interrupted);
            }
        }

        @Override
        public PersistenceSettings settings() {
            String url = adminUrl.replaceFirst("(jdbc:postgresql://[^/?]*)/[^?]*", "$1/" + name);
            PersistenceSettings settings = PersistenceSettings.of(url, user, password);
            return settings.withPool(POOL_SIZE, settings.connectionTimeout());
        }

        @Override
        public String engine() {
            return "PostgreSQL";
        }

        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                 Statement s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test database " + name, e);
            }
        }

        private static String separator(String url) {
            return url.indexOf('?') < 0 ? "?" : "&";
        }
    }

    /** An H2 file database in its own directory. */
    record H2(Path directory) implements TestDatabase {

        @Override
        public PersistenceSettings settings() {
            PersistenceSettings settings = PersistenceSettings.h2(directory);
            return settings.withPool(POOL_SIZE, settings.connectionTimeout());
        }

        @Override
        public String engine() {
            return "H2";
        }

        @Override
        public void close() {
            // Nothing to drop: the database closes with its last connection, JUnit deletes the directory.
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
