package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.LEASES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.USED_NONCES;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import network.sovereign.pouw.application.port.out.RetentionStore;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.exception.IntegrityConstraintViolationException;

/**
 * Retention on PostgreSQL and H2: purges in bounded chunks (expired challenges, old nonces, old
 * rejections), archives receipts batch by batch (copy to
 * {@code receipts_archive}, then delete, in one transaction per batch), and keeps the cluster-wide
 * maintenance lease in the {@code leases} table.
 */
final class JooqRetentionStore implements RetentionStore {

    /** Rows deleted per purge statement, so that no purge holds locks or builds WAL for long. */
    static final int DEFAULT_PURGE_CHUNK = 10_000;

    /** Ceiling on receipts per archive transaction: the ids travel as bind values of an IN list. */
    static final int MAX_ARCHIVE_BATCH = 5_000;

    /** Dispute statuses still being worked on (SPEC: open, under investigation). */
    private static final List<String> UNSETTLED_DISPUTES = List.of("open", "under_investigation");

    private static final int MAX_LEASE_NAME = 64;
    private static final int MAX_LEASE_HOLDER = 256;

    private final DatabaseAccess db;
    private final int purgeChunk;

    JooqRetentionStore(DatabaseAccess db) {
        this(db, DEFAULT_PURGE_CHUNK);
    }

    JooqRetentionStore(DatabaseAccess db, int purgeChunk) {
        this.db = Objects.requireNonNull(db, "db");
        this.purgeChunk = purgeChunk;
    }

    @Override
    public long purgeChallengesExpiredBefore(Instant cutoff, boolean dryRun) {
        Objects.requireNonNull(cutoff, "cutoff");
        return purge("purge challenges", CHALLENGES, CHALLENGES.CHALLENGE_NONCE, CHALLENGES.EXPIRES_AT.lt(cutoff), dryRun);
    }

    @Override
    public long purgeNoncesCreatedBefore(Instant cutoff, boolean dryRun) {
        Objects.requireNonNull(cutoff, "cutoff");
        return purge("purge nonces", USED_NONCES, USED_NONCES.RECEIPT_NONCE, USED_NONCES.CREATED_AT.lt(cutoff), dryRun);
    }

    @Override
    public long purgeRejectionsSubmittedBefore(Instant cutoff, boolean dryRun) {
        Objects.requireNonNull(cutoff, "cutoff");
        // A rejection an unsettled dispute is about stays until the dispute is settled: it is the evidence.
        Condition old = REJECTIONS.SUBMITTED_AT.lt(cutoff)
                .andNotExists(selectOne().from(DISPUTES)
                        .where(DISPUTES.RECEIPT_ID.eq(REJECTIONS.REJECTION_ID))
                        .and(DISPUTES.STATUS.in(UNSETTLED_DISPUTES)));
        return purge("purge rejections", REJECTIONS, REJECTIONS.REJECTION_ID, old, dryRun);
    }

    /**
     * Deletes the matching rows a chunk at a time (each chunk commits) until a chunk finds none, or counts
     * them. A short chunk does not mean the end: another deleter (the runbook's SQL, a concurrent purge)
     * may have taken rows this chunk had chosen, so only an empty chunk does.
     */
    private <K> long purge(String operation, Table<?> table, Field<K> key, Condition condition, boolean dryRun) {
        return db.call(operation, dsl -> {
            if (dryRun) {
                return (long) dsl.fetchCount(table, condition);
            }
            long total = 0;
            int deleted;
            do {
                deleted = dsl.deleteFrom(table)
                        .where(key.in(select(key).from(table).where(condition).limit(purgeChunk)))
                        .execute();
                total += deleted;
            } while (deleted > 0);
            return total;
        });
    }

    @Override
    public long archiveReceiptsSubmittedBefore(Instant cutoff, int batchSize, boolean dryRun) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        Condition old = RECEIPTS.SUBMITTED_AT.lt(cutoff);
        if (dryRun) {
            return db.call("count receipts to archive", dsl -> (long) dsl.fetchCount(RECEIPTS, old));
        }
        int batch = Math.min(batchSize, MAX_ARCHIVE_BATCH);
        long moved = 0;
        while (true) {
            Batch done = db.transaction("archive receipts", tx -> moveBatch(tx, old, batch));
            moved += done.moved();
            if (done.selected() < batch) {
                return moved;
            }
        }
    }

    private record Batch(int selected, int moved) {
    }

    /**
     * Locks up to {@code batch} old receipts, copies the ones the archive does not hold yet (a manual
     * run of the runbook's INSERT may have copied some already) and deletes them all.
     */
    private static Batch moveBatch(DSLContext tx, Condition old, int batch) {
        List<String> ids = tx.select(RECEIPTS.RECEIPT_ID)
                .from(RECEIPTS)
                .where(old)
                .orderBy(RECEIPTS.SUBMITTED_AT, RECEIPTS.RECEIPT_ID)
                .limit(batch)
                .forUpdate()
                .fetch(RECEIPTS.RECEIPT_ID);
        if (ids.isEmpty()) {
            return new Batch(0, 0);
        }
        // Column by column, by name: independent of the declaration order of the two tables.
        Field<?>[] source = RECEIPTS.fields();
        Field<?>[] target = Arrays.stream(source)
                .map(field -> Objects.requireNonNull(RECEIPTS_ARCHIVE.field(field.getName()), field.getName()))
                .toArray(Field<?>[]::new);
        tx.insertInto(RECEIPTS_ARCHIVE, target)
                .select(select(source)
                        .from(RECEIPTS)
                        .where(RECEIPTS.RECEIPT_ID.in(ids))
                        .andNotExists(selectOne().from(RECEIPTS_ARCHIVE)
                                .where(RECEIPTS_ARCHIVE.RECEIPT_ID.eq(RECEIPTS.RECEIPT_ID))))
                .execute();
        int deleted = tx.deleteFrom(RECEIPTS).where(RECEIPTS.RECEIPT_ID.in(ids)).execute();
        return new Batch(ids.size(), deleted);
    }

    @Override
    public boolean tryAcquireLease(String lease, String holder, Instant now, Duration ttl) {
        checkLeaseNames(lease, holder);
        Objects.requireNonNull(now, "now");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lease ttl must be positive, was " + ttl);
        }
        Instant until = now.plus(ttl);
        return db.call("acquire lease " + lease, dsl -> {
            // Renew our own lease or take over an expired one. On PostgreSQL a concurrent taker waits for
            // the row lock and then re-checks the condition against the new row, so only one wins.
            int updated = dsl.update(LEASES)
                    .set(LEASES.ACQUIRED_AT, when(LEASES.HOLDER.eq(holder), LEASES.ACQUIRED_AT).otherwise(now))
                    .set(LEASES.HOLDER, holder)
                    .set(LEASES.EXPIRES_AT, until)
                    .where(LEASES.NAME.eq(lease))
                    .and(LEASES.HOLDER.eq(holder).or(LEASES.EXPIRES_AT.le(now)))
                    .execute();
            if (updated > 0) {
                return true;
            }
            // No row, or someone else's live lease: try to create it; the primary key decides races.
            try {
                return dsl.insertInto(LEASES)
                        .set(LEASES.NAME, lease)
                        .set(LEASES.HOLDER, holder)
                        .set(LEASES.ACQUIRED_AT, now)
                        .set(LEASES.EXPIRES_AT, until)
                        .onConflict(LEASES.NAME).doNothing()
                        .execute() > 0;
            } catch (IntegrityConstraintViolationException lostRace) {
                // H2 runs ON CONFLICT as a MERGE, which a concurrent insert can still beat.
                return false;
            }
        });
    }

    @Override
    public void releaseLease(String lease, String holder) {
        checkLeaseNames(lease, holder);
        db.call("release lease " + lease, dsl -> dsl.deleteFrom(LEASES)
                .where(LEASES.NAME.eq(lease))
                .and(LEASES.HOLDER.eq(holder))
                .execute());
    }

    private static void checkLeaseNames(String lease, String holder) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(holder, "holder");
        if (lease.isBlank() || lease.length() > MAX_LEASE_NAME) {
            throw new IllegalArgumentException("lease name must have 1.." + MAX_LEASE_NAME + " characters");
        }
        if (holder.isBlank() || holder.length() > MAX_LEASE_HOLDER) {
            throw new IllegalArgumentException("lease holder must have 1.." + MAX_LEASE_HOLDER + " characters");
        }
    }
}
