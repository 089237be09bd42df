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

        static Postgres create() {
            String adminUrl = env("POUW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
            String user = env("POUW_TEST_PG_USER", "postgres");
            String password = env("POUW_TEST_PG_PASSWORD", "");
            String name = "pouw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
            try (Connection c = DriverManager.getConnection(adminUrl + separator(adminUrl) + "connectTimeout=3", user, password);
                 Statement s = c.createStatement()) {
                s.execute("create database " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("These tests need PostgreSQL, which does not answer at " + adminUrl
                        + " as " + user + " (" + e.getMessage() + "). Start it (./dev test does:"
                        + " pg_ctlcluster --skip-systemctl-redirect 15 main start) or point POUW_TEST_PG_URL,"
                        + " POUW_TEST_PG_USER and POUW_TEST_PG_PASSWORD at a server where you may create databases.", e);
            }
            return new Postgres(adminUrl, user, password, name);
        }

        @Override
        public PersistenceSettings settings() {
            String url = adminUrl.replaceFirst("(jdbc:postgresql://[^/?]*)/[^?]*", "$1/" + name);
            return PersistenceSettings.of(url, user, password);
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
            return PersistenceSettings.h2(directory);
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
