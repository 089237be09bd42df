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
        /** The node's pool: fails fast at start, bounds every socket read (a dead peer cannot hang a thread). */
        RUNTIME,
        /** Liquibase's single connection: fails fast at start, no read timeout (a migration may take long). */
        MIGRATION,
        /** Starts even when the database is down and keeps trying (tests of outages and recovery). */
        LENIENT
    }

    /** Longest a single socket read may block on PostgreSQL in {@link Mode#RUNTIME}, unless the URL says otherwise. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

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
        long timeoutMs = settings.connectionTimeout().toMillis();
        config.setConnectionTimeout(timeoutMs);
        config.setValidationTimeout(Math.max(250, Math.min(1000, timeoutMs / 2)));
        // > 0: try that long to get the first connection, then throw; -1: start regardless.
        config.setInitializationFailTimeout(mode == Mode.LENIENT ? -1 : timeoutMs);
        if (dialectOf(url) == SQLDialect.POSTGRES) {
            // Driver defaults; a parameter in the URL wins over these (pgjdbc reads the URL last).
            int timeoutSeconds = (int) Math.max(1, settings.connectionTimeout().toSeconds());
            config.addDataSourceProperty("connectTimeout", timeoutSeconds);
            config.addDataSourceProperty("loginTimeout", timeoutSeconds);
            config.addDataSourceProperty("tcpKeepAlive", true);
            config.addDataSourceProperty("ApplicationName", "pouw-node");
            if (mode != Mode.MIGRATION && !hasParameter(url, "socketTimeout")) {
                config.addDataSourceProperty("socketTimeout", (int) SOCKET_TIMEOUT.toSeconds());
            }
        }
        return new HikariDataSource(config);
    }

    private static boolean hasParameter(String url, String name) {
        return url.toLowerCase(Locale.ROOT).matches(".*[?&;]" + name.toLowerCase(Locale.ROOT) + "=.*");
    }
}
