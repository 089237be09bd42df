package network.sovereign.pouw.adapters.persistence;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.HealthIndicator;

/**
 * The {@code database} health component: borrows a pooled connection and runs {@code select 1} with a
 * short timeout. Healthy when it answers; degraded when the database is up but every pooled connection
 * is busy; unhealthy otherwise, which makes the node not ready.
 */
final class DatabaseHealthIndicator implements HealthIndicator {

    private final HikariDataSource dataSource;
    private final int queryTimeoutSeconds;
    /** "PostgreSQL 15.8": read from the first connection that answers. */
    private volatile String product;

    /**
     * @param dataSource   the node's pool (its connection timeout bounds the wait for a connection)
     * @param queryTimeout bound on {@code select 1} itself, rounded up to whole seconds (JDBC's unit)
     */
    DatabaseHealthIndicator(HikariDataSource dataSource, Duration queryTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
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
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rs = statement.executeQuery("select 1")) {
                rs.next();
            }
            if (product == null) {
                product = describe(connection.getMetaData());
            }
            long ms = elapsedMs(started);
            return new ComponentHealth(componentName(), ComponentHealth.Status.HEALTHY,
                    product + " answered in " + ms + " ms", ms);
        } catch (SQLException | RuntimeException e) {
            long ms = elapsedMs(started);
            HikariPoolMXBean pool = dataSource.isClosed() ? null : dataSource.getHikariPoolMXBean();
            // Timed out because every connection is lent out: the database answers, the node is saturated.
            if (pool != null && pool.getTotalConnections() > 0
                    && pool.getActiveConnections() >= dataSource.getMaximumPoolSize()) {
                return new ComponentHealth(componentName(), ComponentHealth.Status.DEGRADED,
                        "all " + dataSource.getMaximumPoolSize() + " pooled connections busy, "
                                + pool.getThreadsAwaitingConnection() + " threads waiting", ms);
            }
            String reason = dataSource.isClosed() ? "connection pool closed" : SqlFailures.describe(e);
            return new ComponentHealth(componentName(), ComponentHealth.Status.UNHEALTHY,
                    "database not answering: " + reason, ms);
        }
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
