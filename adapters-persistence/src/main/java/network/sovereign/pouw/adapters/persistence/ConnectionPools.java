package network.sovereign.pouw.adapters.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Locale;
import org.jooq.SQLDialect;

/** Builds HikariCP pools and picks the jOOQ dialect for a {@link PersistenceSettings}. */
final class ConnectionPools {

    /** How a pool behaves while the database does not answer. */
    enum Mode {
        /**
         * The node's pool: fails fast at start, bounds every statement (statement timeout) and every socket
         * read (socket timeout), so that neither a hung server nor a dead peer can hold a thread for long.
         */
        RUNTIME,
        /** Liquibase's single connection: fails fast at start, no statement or read timeout (a migration may take long). */
        MIGRATION,
        /** Like {@link #RUNTIME}, but starts even when the database is down and keeps trying (tests of outages and recovery). */
        LENIENT,
        /**
         * The health check's own connection, apart from the node's pool so that a check never waits behind
         * busy requests: starts regardless, and bounds its wait for a connection and every read by
         * {@link #HEALTH_TIMEOUT}-sized limits, so a database that does not answer is reported within seconds.
         */
        HEALTH
    }

    /** Bound on the health check's wait for its connection and on its {@code select 1} (socket read included). */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private ConnectionPools() {
    }

    /** The jOOQ dialect for a JDBC URL. */
    static SQLDialect dialectOf(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return SQLDialect.POSTGRES;
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return SQLDialect.H2;
        }
        throw new IllegalArgumentException("unsupported JDBC URL: " + PersistenceSettings.redact(jdbcUrl));
    }

    /**
     * The URL the pool connects with: PostgreSQL URLs get {@code reWriteBatchedInserts=true} (jOOQ's
     * batches become multi-row inserts) when they do not set it themselves.
     */
    static String effectiveUrl(String jdbcUrl) {
        if (dialectOf(jdbcUrl) != SQLDialect.POSTGRES || hasParameter(jdbcUrl, "reWriteBatchedInserts")) {
            return jdbcUrl;
        }
        return jdbcUrl + (jdbcUrl.indexOf('?') < 0 ? "?" : "&") + "reWriteBatchedInserts=true";
    }

    /**
     * Opens a pool. In the fail-fast modes the constructor throws
     * {@code HikariPool.PoolInitializationException} when no connection can be made within the
     * connection timeout.
     */
    static HikariDataSource open(PersistenceSettings settings, String poolName, int maxSize, Mode mode) {
        HikariConfig config = new HikariConfig();
        String url = effectiveUrl(settings.jdbcUrl());
        config.setJdbcUrl(url);
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setPoolName(poolName);
        config.setMaximumPoolSize(maxSize);
        long timeoutMs = mode == Mode.HEALTH
                ? Math.min(settings.connectionTimeout().toMillis(), HEALTH_TIMEOUT.toMillis())
                : settings.connectionTimeout().toMillis();
        config.setConnectionTimeout(timeoutMs);
        config.setValidationTimeout(Math.max(250, Math.min(1000, timeoutMs / 2)));
        // > 0: try that long to get the first connection, then throw; -1: start regardless.
        config.setInitializationFailTimeout(mode == Mode.LENIENT || mode == Mode.HEALTH ? -1 : timeoutMs);
        SQLDialect dialect = dialectOf(url);
        if (mode != Mode.MIGRATION) {
            Duration statementTimeout = mode == Mode.HEALTH ? HEALTH_TIMEOUT : settings.statementTimeout();
            // Every connection of the pool starts with it, so that no statement can run (or wait on a lock) longer.
            config.setConnectionInitSql(dialect == SQLDialect.POSTGRES
                    ? "SET statement_timeout = " + statementTimeout.toMillis()
                    : "SET QUERY_TIMEOUT " + statementTimeout.toMillis());
        }
        if (dialect == SQLDialect.POSTGRES) {
            // Driver defaults; a parameter in the URL wins over these (pgjdbc reads the URL last). Strings only:
            // Hikari hands them to the driver as java.util.Properties, whose getProperty ignores other types, so
            // an Integer value is silently dropped (the socket timeout was, until it was passed as text).
            String timeoutSeconds = String.valueOf(Math.max(1, Duration.ofMillis(timeoutMs).toSeconds()));
            config.addDataSourceProperty("connectTimeout", timeoutSeconds);
            config.addDataSourceProperty("loginTimeout", timeoutSeconds);
            config.addDataSourceProperty("tcpKeepAlive", "true");
            config.addDataSourceProperty("ApplicationName", "pouw-node");
            // pgjdbc sends a query-timeout cancel on a new connection and makes the failed statement wait
            // for it, up to this (default 10 s): a silent server must not stretch a bounded wait by that.
            config.addDataSourceProperty("cancelSignalTimeout", "1");
            if (mode != Mode.MIGRATION) {
                // Hikari then checks an idle connection under a network timeout alone (no JDBC query timeout,
                // hence no cancel request), so a borrow from a frozen link gives up within the validation timeout.
                config.setConnectionTestQuery("SELECT 1");
            }
            if (mode == Mode.HEALTH) {
                // The check must give up on a silent server within seconds (it also sets the connection's
                // network timeout itself, which holds even when the URL names a longer socketTimeout).
                config.addDataSourceProperty("socketTimeout", String.valueOf(HEALTH_TIMEOUT.toSeconds() + 1));
            } else if (mode != Mode.MIGRATION && !hasParameter(url, "socketTimeout")) {
                config.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1, settings.socketTimeout().toSeconds())));
            }
        }
        return new HikariDataSource(config);
    }

    private static boolean hasParameter(String url, String name) {
        return url.toLowerCase(Locale.ROOT).matches(".*[?&;]" + name.toLowerCase(Locale.ROOT) + "=.*");
    }
}
