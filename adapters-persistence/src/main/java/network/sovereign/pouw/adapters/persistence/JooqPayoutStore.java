package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.PAYOUTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.PayoutsRecord;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.Payout;
import network.sovereign.pouw.application.port.out.PayoutStore;
import network.sovereign.pouw.domain.PayoutStatus;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Payouts on PostgreSQL and H2.
 *
 * <p>A payout's id is derived from what it pays: {@code r<16 hex digits of the epoch, sign bit
 * flipped>-<first 10 bytes of SHA-256(client DID), hex>}, so two nodes making the same row make the
 * same id, and ids sort by epoch (lists page newest epoch first by id, on the primary key). Rows are
 * inserted with {@code ON CONFLICT DO NOTHING}; the unique {@code (client_did, epoch)} key and the
 * primary key agree, and a unique violation from a concurrent insert (H2's MERGE) means another node
 * made the row, which is kept.
 *
 * <p>A settlement step is one conditional {@code UPDATE ... WHERE status IN (allowed)} plus the audit
 * row, in one transaction: no read-then-write race between admins on two nodes.
 */
final class JooqPayoutStore implements PayoutStore {

    private static final String KIND_COMPENSATION = "compensation";
    private static final HexFormat HEX = HexFormat.of();

    private final DatabaseAccess db;

    JooqPayoutStore(DatabaseAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** The payout id of a client's epoch (see the class comment). */
    static String payoutId(String clientDid, long epoch) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(clientDid.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        return "r" + HEX.toHexDigits(epoch ^ Long.MIN_VALUE) + "-" + HEX.formatHex(digest, 0, 10);
    }

    @Override
    public int materialise(OptionalLong epoch, long firstOpenEpoch, BigInteger capAtoms, Instant now) {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(capAtoms, "capAtoms");
        Objects.requireNonNull(now, "now");
        if (epoch.isPresent() && epoch.getAsLong() >= firstOpenEpoch) {
            throw new IllegalArgumentException("epoch " + epoch.getAsLong() + " is not closed");
        }
        // No credit may commit into an epoch after its payouts were made (JooqReceiptLedger, "late credits"):
        // writers of reward_entries are held off while the payouts are made, and in-flight ones are waited for.
        java.util.concurrent.locks.Lock gate = JooqReceiptLedger.PAYOUT_GATE.writeLock();
        boolean h2 = db.dialect() == org.jooq.SQLDialect.H2;
        if (h2) {
            gate.lock();
        }
        try {
            return db.transaction("make payouts", dsl -> {
                if (!h2) {
                    dsl.execute("lock table reward_entries in share mode");
                }
                List<Long> epochs = epoch.isPresent() ? List.of(epoch.getAsLong()) : epochsWithoutPayouts(dsl, firstOpenEpoch);
                int inserted = 0;
                for (long e : epochs) {
                    inserted += materialiseEpoch(dsl, e, capAtoms, now);
                }
                return inserted;
            });
        } finally {
            if (h2) {
                gate.unlock();
            }
        }
    }

    /** Closed epochs with ledger entries and no payout row at all (an index-only scan of ix_reward_entries_epoch). */
    private static List<Long> epochsWithoutPayouts(DSLContext dsl, long firstOpenEpoch) {
        return dsl.selectDistinct(REWARD_ENTRIES.EPOCH)
                .from(REWARD_ENTRIES)
                .where(REWARD_ENTRIES.EPOCH.lt(firstOpenEpoch))
                .andNotExists(DSL.selectOne().from(PAYOUTS).where(PAYOUTS.EPOCH.eq(REWARD_ENTRIES.EPOCH)))
                .orderBy(REWARD_ENTRIES.EPOCH)
                .fetch(REWARD_ENTRIES.EPOCH);
    }

    private static int materialiseEpoch(DSLContext dsl, long epoch, BigInteger capAtoms, Instant now) {
        Field<BigInteger> receipts = DSL.sum(DSL.when(REWARD_ENTRIES.KIND.eq(JooqReceiptLedger.KIND_RECEIPT), REWARD_ENTRIES.AMOUNT_ATOMS)
                .otherwise(BigInteger.ZERO)).cast(REWARD_ENTRIES.AMOUNT_ATOMS.getDataType());
        Field<BigInteger> compensation = DSL.sum(DSL.when(REWARD_ENTRIES.KIND.eq(KIND_COMPENSATION), REWARD_ENTRIES.AMOUNT_ATOMS)
                .otherwise(BigInteger.ZERO)).cast(REWARD_ENTRIES.AMOUNT_ATOMS.getDataType());
        var missing = dsl.select(REWARD_ENTRIES.CLIENT_DID, receipts, compensation)
                .from(REWARD_ENTRIES)
                .where(REWARD_ENTRIES.EPOCH.eq(epoch))
                .andNotExists(DSL.selectOne().from(PAYOUTS)
                        .where(PAYOUTS.CLIENT_DID.eq(REWARD_ENTRIES.CLIENT_DID)).and(PAYOUTS.EPOCH.eq(epoch)))
                .groupBy(REWARD_ENTRIES.CLIENT_DID)
                .fetch();
        int inserted = 0;
        for (var row : missing) {
            BigInteger credits = row.value2() == null ? BigInteger.ZERO : row.value2();
            BigInteger compensated = row.value3() == null ? BigInteger.ZERO : row.value3();
            BigInteger amount = credits.min(capAtoms).add(compensated);
            try {
                inserted += dsl.insertInto(PAYOUTS)
                        .set(PAYOUTS.PAYOUT_ID, payoutId(row.value1(), epoch))
                        .set(PAYOUTS.CLIENT_DID, row.value1())
                        .set(PAYOUTS.EPOCH, epoch)
                        .set(PAYOUTS.AMOUNT_ATOMS, amount)
                        .set(PAYOUTS.STATUS, PayoutStatus.PENDING.wireName())
                        .set(PAYOUTS.CREATED_AT, now)
                        .set(PAYOUTS.UPDATED_AT, now)
                        .onConflictDoNothing()
                        .execute();
            } catch (DataAccessException e) {
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
                // Another node inserted this row first: it stays as that node made it.
            }
        }
        return inserted;
    }

    @Override
    public List<Payout> list(OptionalLong epoch, Optional<PayoutStatus> status, Optional<String> afterId, int limit) {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(afterId, "afterId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        Condition where = DSL.noCondition();
        if (epoch.isPresent()) {
            where = where.and(PAYOUTS.EPOCH.eq(epoch.getAsLong()));
        }
        if (status.isPresent()) {
            where = where.and(PAYOUTS.STATUS.eq(status.get().wireName()));
        }
        if (afterId.isPresent()) {
            where = where.and(PAYOUTS.PAYOUT_ID.lt(afterId.get()));
        }
        Condition condition = where;
        return db.call("list payouts", dsl -> dsl.selectFrom(PAYOUTS)
                .where(condition)
                .orderBy(PAYOUTS.PAYOUT_ID.desc())
                .limit(limit)
                .fetch(JooqPayoutStore::payout));
    }

    @Override
    public TransitionResult transition(String rewardId, Set<PayoutStatus> allowedFrom, PayoutStatus target, Optional<String> txHash,
                                       Instant at, AuditEntry audit) {
        Objects.requireNonNull(rewardId, "rewardId");
        Objects.requireNonNull(allowedFrom, "allowedFrom");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(audit, "audit");
        if (allowedFrom.isEmpty()) {
            throw new IllegalArgumentException("no status may move to " + target.wireName());
        }
        return db.transaction("settle payout", tx -> {
            var update = tx.update(PAYOUTS)
                    .set(PAYOUTS.STATUS, target.wireName())
                    .set(PAYOUTS.UPDATED_AT, at);
            if (txHash.isPresent()) {
                update = update.set(PAYOUTS.TX_HASH, txHash.get());
            }
            int changed = update.where(PAYOUTS.PAYOUT_ID.eq(rewardId))
                    .and(PAYOUTS.STATUS.in(allowedFrom.stream().map(PayoutStatus::wireName).toList()))
                    .execute();
            Optional<Payout> current = tx.selectFrom(PAYOUTS).where(PAYOUTS.PAYOUT_ID.eq(rewardId)).fetchOptional(JooqPayoutStore::payout);
            if (changed == 0) {
                return current.<TransitionResult>map(TransitionResult.Conflict::new).orElseGet(TransitionResult.NotFound::new);
            }
            JooqAdminAudit.insert(tx, audit);
            return new TransitionResult.Changed(current.orElseThrow());
        });
    }

    private static Payout payout(PayoutsRecord r) {
        return new Payout(r.getPayoutId(), r.getClientDid(), r.getEpoch(), r.getAmountAtoms(),
                PayoutStatus.fromWireName(r.getStatus()).orElseThrow(), Optional.ofNullable(r.getTxHash()),
                r.getCreatedAt(), r.getUpdatedAt());
    }
}
