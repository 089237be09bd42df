package network.sovereign.pouw.adapters.persistence;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import network.sovereign.pouw.application.port.out.AdminAudit;
import network.sovereign.pouw.application.port.out.BlockList;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.DisputeStore;
import network.sovereign.pouw.application.port.out.ClientHistoryStore;
import network.sovereign.pouw.application.port.out.PayoutStore;
import network.sovereign.pouw.application.port.out.HealthIndicator;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.application.port.out.RetentionStore;
import network.sovereign.pouw.application.port.out.SettingsStore;
import org.jooq.DSLContext;

/**
 * The persistence adapter's one entry point: migrates the schema, owns the connection pool and the
 * jOOQ context, and hands out the port implementations. Closing it closes the pool.
 *
 * <p>Typical start-up: {@code Persistence.migrate(settings)}, then {@code Persistence.start(settings)},
 * both of which fail fast (within about the connection timeout) with a
 * {@link PersistenceStartupException} when the database does not answer.
 */
public final class Persistence implements AutoCloseable {

    private final PersistenceSettings settings;
    private final DatabaseAccess db;
    private final String product;
    private final JooqRetentionStore retentionStore;
    private final CachingClientDirectory clientDirectory;
    private final CachingChallengeStore challengeStore;
    private final JooqReceiptLedger receiptLedger;
    private final JooqBlockList blockList;
    private final JooqAdminAudit adminAudit;
    private final JooqDisputeStore disputeStore;
    private final JooqClientHistory clientHistory;
    private final JooqPayoutStore payouts;
    private final JooqSettingsStore settingsStore;
    private final HikariDataSource healthDataSource;
    private final DatabaseHealthIndicator health;
    private final PoolStatistics poolStatistics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Persistence(PersistenceSettings settings, HikariDataSource dataSource, HikariDataSource healthDataSource, String product) {
        this.settings = settings;
        this.db = new DatabaseAccess(dataSource, ConnectionPools.dialectOf(settings.jdbcUrl()));
        this.product = product;
        this.retentionStore = new JooqRetentionStore(db);
        this.clientDirectory = new CachingClientDirectory(new JooqClientDirectory(db), CachingClientDirectory.DEFAULT_TTL,
                CachingClientDirectory.DEFAULT_MAX_ENTRIES, System::nanoTime);
        this.challengeStore = new CachingChallengeStore(new JooqChallengeStore(db), CachingChallengeStore.DEFAULT_MAX_ENTRIES,
                () -> System.currentTimeMillis() / 1000);
        this.receiptLedger = new JooqReceiptLedger(db, settings.connectionTimeout());
        this.blockList = new JooqBlockList(db, clientDirectory::invalidate);
        this.adminAudit = new JooqAdminAudit(db);
        this.disputeStore = new JooqDisputeStore(db);
        this.clientHistory = new JooqClientHistory(db);
        this.payouts = new JooqPayoutStore(db);
        this.settingsStore = new JooqSettingsStore(db);
        this.healthDataSource = healthDataSource;
        this.health = new DatabaseHealthIndicator(healthDataSource, dataSource, ConnectionPools.HEALTH_TIMEOUT);
        this.poolStatistics = new PoolStatistics(dataSource);
    }

    /**
     * Applies every changeset the database does not have yet (idempotent; safe to run on every start
     * and from several nodes at once, Liquibase takes a lock in the database).
     *
     * @return the number of changesets applied, 0 when the schema was already up to date
     * @throws PersistenceStartupException when the database does not answer or a changeset fails
     */
    public static int migrate(PersistenceSettings settings) {
        Objects.requireNonNull(settings, "settings");
        try (HikariDataSource dataSource = openPool(settings, "pouw-migrate", 1, ConnectionPools.Mode.MIGRATION)) {
            return LiquibaseMigrator.migrate(dataSource);
        } catch (PersistenceStartupException e) {
            throw e;
        } catch (Exception e) {
            throw new PersistenceStartupException("database migration failed on " + settings.redactedUrl()
                    + ": " + migrationFailure(e), e);
        }
    }

    /**
     * Opens the pool and checks that the database answers.
     *
     * @throws PersistenceStartupException when the database does not answer within the connection timeout
     */
    public static Persistence start(PersistenceSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return open(settings, ConnectionPools.Mode.RUNTIME);
    }

    /** Opens the pool in the given mode; {@link ConnectionPools.Mode#LENIENT} starts even when the database is down. */
    static Persistence open(PersistenceSettings settings, ConnectionPools.Mode mode) {
        HikariDataSource dataSource = openPool(settings, "pouw-db", settings.poolSize(), mode);
        String product = "database";
        if (mode != ConnectionPools.Mode.LENIENT) {
            try (Connection connection = dataSource.getConnection()) {
                DatabaseMetaData meta = connection.getMetaData();
                product = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
            } catch (SQLException | RuntimeException e) {
                dataSource.close();
                throw new PersistenceStartupException("cannot use the database at " + settings.redactedUrl()
                        + ": " + SqlFailures.describe(e), e);
            }
        }
        HikariDataSource healthDataSource;
        try {
            healthDataSource = openPool(settings, "pouw-db-health", 1, ConnectionPools.Mode.HEALTH);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Persistence(settings, dataSource, healthDataSource, product);
    }

    private static HikariDataSource openPool(PersistenceSettings settings, String name, int size, ConnectionPools.Mode mode) {
        try {
            return ConnectionPools.open(settings, name, size, mode);
        } catch (RuntimeException e) {
            throw new PersistenceStartupException("cannot connect to the database at " + settings.redactedUrl()
                    + ": " + SqlFailures.describe(e), e);
        }
    }

    /** "Migration failed for changeset X: reason" when Liquibase names the changeset, else the reason. */
    private static String migrationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof liquibase.exception.MigrationFailedException && t.getMessage() != null) {
                String first = t.getMessage().strip().split("\\R", 2)[0].replaceAll(":$", "");
                return SqlFailures.oneLine(first + ": " + SqlFailures.describe(t));
            }
        }
        return SqlFailures.describe(e);
    }

    /** Enrolled clients, their key history and blocked DIDs. */
    public ClientDirectory clientDirectory() {
        return clientDirectory;
    }

    /** Issued challenges with their budget. */
    public ChallengeStore challengeStore() {
        return challengeStore;
    }

    /** Accepted receipts (nonce, receipt, reward credit and challenge budget in one transaction) and rejections. */
    public ReceiptLedger receiptLedger() {
        return receiptLedger;
    }

    /** Blocked DIDs; each change is stored with its block event and audit entry in one transaction. */
    public BlockList blockList() {
        return blockList;
    }

    /** The admin audit trail. */
    public AdminAudit adminAudit() {
        return adminAudit;
    }

    /** Disputes and their events; status changes are conditional and carry their audit entry and compensation. */
    public DisputeStore disputeStore() {
        return disputeStore;
    }

    /** Operators' reads: receipts by id and client histories. */
    public ClientHistoryStore clientHistory() {
        return clientHistory;
    }

    /** Payouts per client per closed epoch and their settlement. */
    public PayoutStore payouts() {
        return payouts;
    }

    /** The runtime settings overrides shared by every node; a change is stored with its audit entry in one transaction. */
    public SettingsStore settingsStore() {
        return settingsStore;
    }

    /** Retention: purges, receipt archiving and the maintenance lease. */
    public RetentionStore retentionStore() {
        return retentionStore;
    }

    /**
     * The {@code database} health component, required for readiness. It has a connection of its own
     * (one more than the pool size), so that it answers within seconds even while every pooled
     * connection is busy or hung.
     */
    public HealthIndicator databaseHealth() {
        return health;
    }

    /** Live pool numbers for metrics. */
    public PoolStatistics poolStatistics() {
        return poolStatistics;
    }

    /** The database product and version as the driver reports them, e.g. for the start-up log line. */
    public String databaseProduct() {
        return product;
    }

    /** The settings this was started with. */
    public PersistenceSettings settings() {
        return settings;
    }

    /** The jOOQ context, for this module's tests. */
    DSLContext dsl() {
        return db.dsl();
    }

    /** Pool, dialect and jOOQ context, for this module's tests. */
    DatabaseAccess access() {
        return db;
    }

    /** Closes the pools (and with the last connection, an embedded H2 database). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                healthDataSource.close();
            } finally {
                db.dataSource().close();
            }
        }
    }

    @Override
    public String toString() {
        return "Persistence[" + product + " at " + settings.redactedUrl() + "]";
    }
}
