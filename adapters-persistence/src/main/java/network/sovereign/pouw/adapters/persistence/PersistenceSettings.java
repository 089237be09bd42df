package network.sovereign.pouw.adapters.persistence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the database: a PostgreSQL or H2 JDBC URL, credentials and pool limits.
 *
 * <p>{@code toString()} never shows the password.
 *
 * @param jdbcUrl           {@code jdbc:postgresql://...} or {@code jdbc:h2:...}
 * @param user              user name, or {@code null} to take it from the URL
 * @param password          password, or {@code null} to take it from the URL
 * @param poolSize          maximum number of pooled connections
 * @param connectionTimeout longest wait for a pooled connection; keep it short (default 2 s) so that a
 *                          database outage fails requests fast instead of piling them up
 * @param statementTimeout  longest a single statement may run on the server ({@code statement_timeout} on
 *                          PostgreSQL, {@code QUERY_TIMEOUT} on H2), default 10 s: a statement stuck on a
 *                          lock or an overloaded server fails (and its request answers 503) instead of waiting
 * @param socketTimeout     longest a read from PostgreSQL may block (pgjdbc {@code socketTimeout}), default
 *                          15 s: a hung server or a black-holed network cannot hold a request longer; must be
 *                          longer than the statement timeout, so that the server's own cancel arrives first
 */
public record PersistenceSettings(String jdbcUrl, String user, String password, int poolSize,
                                  Duration connectionTimeout, Duration statementTimeout, Duration socketTimeout) {

    /** Pool size when none is configured ({@code POUW_DB_POOL_SIZE}). */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** Connection timeout when none is configured. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    /** Statement timeout when none is configured ({@code POUW_DB_STATEMENT_TIMEOUT_SECS}). */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);

    /** Socket read timeout when none is configured ({@code POUW_DB_SOCKET_TIMEOUT_SECS}). */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(15);

    /** The file name (without H2's {@code .mv.db} suffix) of the embedded database in the data directory. */
    public static final String H2_DATABASE_NAME = "pouw";

    /**
     * Flags of the embedded H2 database, each chosen so that H2 behaves like PostgreSQL for our SQL:
     * <ul>
     *   <li>{@code MODE=PostgreSQL}: PostgreSQL syntax and semantics where H2 has a choice;</li>
     *   <li>{@code DATABASE_TO_LOWER=TRUE}: unquoted names fold to lower case, as in PostgreSQL, so the
     *       unquoted lower-case names jOOQ renders match the tables Liquibase created;</li>
     *   <li>{@code DEFAULT_NULL_ORDERING=HIGH}: NULLs sort as PostgreSQL sorts them (last ascending), so
     *       ordered and paginated queries return the same pages on both databases;</li>
     *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 must not close itself from its own shutdown hook while the
     *       node drains in-flight requests after SIGTERM; the node closes the pool, which closes H2;</li>
     *   <li>{@code WRITE_DELAY=0}: every commit is handed to the operating system at once (H2 waits up to
     *       500 ms by default), so an accepted receipt and its consumed nonce survive {@code kill -9};</li>
     *   <li>{@code LOCK_TIMEOUT=10000}: wait up to 10 s for a row lock (H2's default is 1 s), as
     *       concurrent writers on PostgreSQL would wait, instead of failing under load;</li>
     *   <li>{@code TRACE_LEVEL_FILE=0}: no {@code pouw.trace.db} beside the database; failures reach the
     *       node's log through the exceptions instead.</li>
     * </ul>
     */
    public static final String H2_FLAGS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000;TRACE_LEVEL_FILE=0";

    /** Checks the invariants. */
    public PersistenceSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("unsupported database URL '" + redact(jdbcUrl)
                    + "': use jdbc:postgresql://..., postgres://user:pass@host:port/db or embedded H2");
        }
        if (poolSize < 1 || poolSize > 500) {
            throw new IllegalArgumentException("pool size must be between 1 and 500, was " + poolSize);
        }
        if (connectionTimeout.compareTo(Duration.ofMillis(250)) < 0 || connectionTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("connection timeout must be between 250 ms and 1 min, was " + connectionTimeout);
        }
        if (statementTimeout.compareTo(Duration.ofSeconds(1)) < 0 || statementTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("statement timeout must be between 1 s and 1 h, was " + statementTimeout);
        }
        if (socketTimeout.compareTo(statementTimeout) <= 0 || socketTimeout.compareTo(Duration.ofHours(2)) > 0) {
            throw new IllegalArgumentException("socket timeout must be longer than the statement timeout (" + statementTimeout
                    + ") and at most 2 h, was " + socketTimeout);
        }
    }

    /** Settings with the default statement and socket timeouts. */
    public PersistenceSettings(String jdbcUrl, String user, String password, int poolSize, Duration connectionTimeout) {
        this(jdbcUrl, user, password, poolSize, connectionTimeout, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT);
    }

    /** Settings for a JDBC URL with the default pool size and connection timeout. */
    public static PersistenceSettings of(String jdbcUrl, String user, String password) {
        return new PersistenceSettings(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT);
    }

    /** Settings for the embedded H2 database in {@code dataDir} (see {@link #h2Url(Path)}). */
    public static PersistenceSettings h2(Path dataDir) {
        // H2 creates the database with this user as its administrator; the file permissions protect it.
        return of(h2Url(dataDir), "sa", "");
    }

    /**
     * The JDBC URL of the embedded database: the file {@code pouw.mv.db} in {@code dataDir}, opened with
     * {@link #H2_FLAGS}. The directory is made absolute, as H2 refuses implicitly relative paths.
     */
    public static String h2Url(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve(H2_DATABASE_NAME);
        String path = file.toString().replace('\\', '/');
        if (path.contains(";")) {
            // H2 would read the rest of the path as settings.
            throw new IllegalArgumentException("the data directory must not contain ';': " + dataDir);
        }
        return "jdbc:h2:file:" + path + H2_FLAGS;
    }

    /** A copy with another pool size and connection timeout. */
    public PersistenceSettings withPool(int newPoolSize, Duration newConnectionTimeout) {
        return new PersistenceSettings(jdbcUrl, user, password, newPoolSize, newConnectionTimeout, statementTimeout, socketTimeout);
    }

    /** A copy with other statement and socket timeouts. */
    public PersistenceSettings withTimeouts(Duration newStatementTimeout, Duration newSocketTimeout) {
        return new PersistenceSettings(jdbcUrl, user, password, poolSize, connectionTimeout, newStatementTimeout, newSocketTimeout);
    }

    /** True for the embedded H2 database, false for PostgreSQL. */
    public boolean isH2() {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    /** The JDBC URL with any password in it masked, for log lines and error messages. */
    public String redactedUrl() {
        return redact(jdbcUrl);
    }

    @Override
    public String toString() {
        return "PersistenceSettings[jdbcUrl=" + redactedUrl() + ", user=" + user
                + ", password=" + (password == null ? "null" : "***") + ", poolSize=" + poolSize
                + ", connectionTimeout=" + connectionTimeout + ", statementTimeout=" + statementTimeout
                + ", socketTimeout=" + socketTimeout + "]";
    }

    /** Masks {@code password=...} parameters and {@code user:password@} user info. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
                .replaceAll("(://[^/:@]*):[^/@]*@", "$1:***@");
    }
}
