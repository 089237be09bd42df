package network.sovereign.pouw.adapters.persistence;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.HealthIndicator;

/**
 * The {@code database} health component: runs {@code select 1} on a connection of its own (a one-connection
 * pool apart from the node's pool), so that the check never waits behind requests that hold every pooled
 * connection, bounded by a network timeout, so that a database that does not answer (down, hung, or
 * behind a black-holed network) is reported unhealthy within a few seconds, which makes the node not
 * ready. Healthy when it answers; degraded when it answers but every connection of the node's pool is
 * busy (the node is saturated, the database is not the problem); unhealthy too while the node's pool
 * has not a single connection (reconnecting after an outage), since no request could be served.
 */
final class DatabaseHealthIndicator implements HealthIndicator {

    /** Runs the driver's network-timeout abort (pgjdbc closes the socket); a virtual thread per use. */
    private static final Executor ABORT = runnable -> Thread.ofVirtual().name("pouw-db-health-abort").start(runnable);

    private final HikariDataSource healthDataSource;
    private final HikariDataSource pool;
    private final int networkTimeoutMillis;
    /** "PostgreSQL 15.8": read from the first connection that answers. */
    private volatile String product;

    /**
     * @param healthDataSource the check's own pool of one connection (its connection timeout bounds the wait for it)
     * @param pool             the node's pool, only looked at for how busy it is
     * @param timeout          bound on {@code select 1} on the server; the read gives up a second later
     */
    DatabaseHealthIndicator(HikariDataSource healthDataSource, HikariDataSource pool, Duration timeout) {
        this.healthDataSource = Objects.requireNonNull(healthDataSource, "healthDataSource");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.networkTimeoutMillis = (int) timeout.plusSeconds(1).toMillis();
    }

    @Override
    public String componentName() {
        return "database";
    }

    @Override
    public boolean requiredForReadiness() {
        return true;
    }

    @Override
    public ComponentHealth check() {
        long started = System.nanoTime();
        if (pool.isClosed() || healthDataSource.isClosed()) {
            return new ComponentHealth(componentName(), ComponentHealth.Status.UNHEALTHY,
                    "database not answering: connection pool closed", 0);
        }
        try (Connection connection = healthDataSource.getConnection()) {
            // Bounds the read itself. No JDBC query timeout: pgjdbc's is a cancel request on a new connection,
            // which a silent server never answers, and the failed statement waits for it (up to 10 s); the pool's
            // session statement_timeout bounds the query on a server that does answer.
            try {
                connection.setNetworkTimeout(ABORT, networkTimeoutMillis);
            } catch (SQLFeatureNotSupportedException embedded) {
                // H2 in-process: there is no network to hang on.
            }
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("select 1")) {
                    rs.next();
                }
            }
            if (product == null) {
                product = describe(connection.getMetaData());
            }
        } catch (SQLException | RuntimeException e) {
            String reason = pool.isClosed() || healthDataSource.isClosed() ? "connection pool closed" : SqlFailures.describe(e);
            return new ComponentHealth(componentName(), ComponentHealth.Status.UNHEALTHY,
                    "database not answering: " + reason, elapsedMs(started));
        }
        long ms = elapsedMs(started);
        HikariPoolMXBean stats = pool.getHikariPoolMXBean();
        if (stats != null && stats.getTotalConnections() == 0) {
            // After an outage the pool reconnects with a back-off; until it has a connection, requests fail.
            return new ComponentHealth(componentName(), ComponentHealth.Status.UNHEALTHY,
                    product + " answers, but the node's pool has no connection yet (reconnecting)", ms);
        }
        if (stats != null && stats.getActiveConnections() >= pool.getMaximumPoolSize()) {
            // The database answers; the node's requests are holding every connection.
            return new ComponentHealth(componentName(), ComponentHealth.Status.DEGRADED,
                    "all " + pool.getMaximumPoolSize() + " pooled connections busy, " + stats.getThreadsAwaitingConnection()
                            + " threads waiting; " + product + " answered the health check in " + ms + " ms", ms);
        }
        return new ComponentHealth(componentName(), ComponentHealth.Status.HEALTHY,
                product + " answered in " + ms + " ms", ms);
    }

    /** E.g. "PostgreSQL 15.8" or "H2 2.5.252": the product and the first word of its version. */
    private static String describe(DatabaseMetaData meta) throws SQLException {
        String version = meta.getDatabaseProductVersion();
        String shortVersion = version == null ? "" : " " + version.strip().split("\\s+", 2)[0];
        return meta.getDatabaseProductName() + shortVersion;
    }

    private static long elapsedMs(long startedNanos) {
        return Math.max(0, (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
