package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCKED_DIDS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCK_EVENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.PAYOUTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.out.BlockEvent;
import network.sovereign.pouw.application.port.out.ClientHistoryStore;
import network.sovereign.pouw.application.port.out.DisputeSummary;
import network.sovereign.pouw.application.port.out.EpochRewards;
import network.sovereign.pouw.application.port.out.HistoryCursor;
import network.sovereign.pouw.application.port.out.ReceiptHistoryItem;
import network.sovereign.pouw.application.port.out.ReceiptRecord;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.PayoutStatus;
import network.sovereign.pouw.domain.RejectionReason;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The operators' read views on PostgreSQL and H2. Every query is served by an index on the client's
 * DID ({@code ix_receipts_client_submitted}, {@code ix_receipts_archive_client_submitted},
 * {@code ix_rejections_client_submitted}, {@code ix_reward_entries_client_epoch},
 * {@code uq_payouts_client_epoch}, {@code ix_disputes_client_created}, {@code ix_block_events_did_created})
 * or a primary key. A history page reads at most {@code limit} rows from each of the three receipt
 * tables and merges them, so its cost does not grow with the history's length.
 */
final class JooqClientHistory implements ClientHistoryStore {

    private static final String KIND_COMPENSATION = "compensation";

    /** Newest first; ties by id, descending, as the queries order them. */
    private static final Comparator<ReceiptHistoryItem> NEWEST_FIRST = Comparator.comparing(ReceiptHistoryItem::submittedAt)
            .thenComparing(ReceiptHistoryItem::receiptId).reversed();

    private final DatabaseAccess db;

    JooqClientHistory(DatabaseAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public Optional<ReceiptRecord> findReceipt(String receiptId) {
        Objects.requireNonNull(receiptId, "receiptId");
        return db.call("find receipt", dsl -> accepted(dsl, RECEIPTS, receiptId, false)
                .or(() -> accepted(dsl, RECEIPTS_ARCHIVE, receiptId, true))
                .or(() -> dsl.selectFrom(REJECTIONS).where(REJECTIONS.REJECTION_ID.eq(receiptId)).fetchOptional()
                        .map(r -> new ReceiptRecord.Rejected(r.getRejectionId(),
                                RejectionReason.fromWireName(r.getReason()).orElseThrow(), r.getDetail(),
                                Optional.ofNullable(r.getClientDid()), Optional.ofNullable(r.getReceiptNonce()).map(Bytes::of),
                                Optional.ofNullable(r.getSigScheme()), r.getSubmittedAt(), Boolean.TRUE.equals(r.getAuthenticated())))));
    }

    /** Reads an accepted receipt from {@code receipts} or {@code receipts_archive}, which have the same columns. */
    private static Optional<ReceiptRecord> accepted(DSLContext dsl, Table<?> table, String receiptId, boolean archived) {
        return dsl.selectFrom(table).where(column(table, RECEIPTS.RECEIPT_ID).eq(receiptId)).fetchOptional()
                .map(r -> new ReceiptRecord.Accepted(r.get(column(table, RECEIPTS.RECEIPT_ID)), r.get(column(table, RECEIPTS.CLIENT_DID)),
                        bytes(r, table, RECEIPTS.CHALLENGE_NONCE), bytes(r, table, RECEIPTS.RECEIPT_NONCE),
                        bytes(r, table, RECEIPTS.TASK_ID), bytes(r, table, RECEIPTS.CONTENT_ID),
                        r.get(column(table, RECEIPTS.PROOF_TYPE)), r.get(column(table, RECEIPTS.BYTES_VERIFIED)),
                        r.get(column(table, RECEIPTS.RESULT_OK)), r.get(column(table, RECEIPTS.STARTED_AT)),
                        r.get(column(table, RECEIPTS.FINISHED_AT)), r.get(column(table, RECEIPTS.SIG_SCHEME)),
                        bytes(r, table, RECEIPTS.SIGNATURE), r.get(column(table, RECEIPTS.REWARD_ATOMS)),
                        r.get(column(table, RECEIPTS.EPOCH)), r.get(column(table, RECEIPTS.SUBMITTED_AT)),
                        r.get(column(table, RECEIPTS.VALIDATED_AT)), bytes(r, table, RECEIPTS.NODE_ID), archived));
    }

    /** The column of {@code table} named like {@code like} (receipts and receipts_archive share names and types). */
    private static <T> Field<T> column(Table<?> table, Field<T> like) {
        return Objects.requireNonNull(table.field(like.getName(), like.getType()), like.getName());
    }

    private static Bytes bytes(Record r, Table<?> table, Field<byte[]> like) {
        return Bytes.of(r.get(column(table, like)));
    }

    @Override
    public boolean isEnrolled(String did) {
        return db.call("find client", dsl -> dsl.fetchExists(CLIENTS, CLIENTS.DID.eq(did)));
    }

    @Override
    public boolean isBlocked(String did) {
        return db.call("find block", dsl -> dsl.fetchExists(BLOCKED_DIDS, BLOCKED_DIDS.DID.eq(did)));
    }

    @Override
    public List<ReceiptHistoryItem> receipts(String did, Optional<HistoryCursor> after, int limit) {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(after, "after");
        checkLimit(limit);
        return db.call("read receipt history", dsl -> {
            List<ReceiptHistoryItem> merged = new ArrayList<>(3 * limit);
            merged.addAll(acceptedItems(dsl, RECEIPTS, did, after, limit));
            merged.addAll(acceptedItems(dsl, RECEIPTS_ARCHIVE, did, after, limit));
            merged.addAll(dsl.select(REJECTIONS.REJECTION_ID, REJECTIONS.REASON, REJECTIONS.SUBMITTED_AT, REJECTIONS.AUTHENTICATED)
                    .from(REJECTIONS)
                    .where(REJECTIONS.CLIENT_DID.eq(did))
                    .and(before(REJECTIONS.SUBMITTED_AT, REJECTIONS.REJECTION_ID, after))
                    .orderBy(REJECTIONS.SUBMITTED_AT.desc(), REJECTIONS.REJECTION_ID.desc())
                    .limit(limit)
                    .fetch(r -> new ReceiptHistoryItem(r.value1(), false, Optional.of(r.value2()), Optional.empty(),
                            OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), r.value3(), Boolean.TRUE.equals(r.value4()))));
            merged.sort(NEWEST_FIRST);
            return List.copyOf(merged.subList(0, Math.min(limit, merged.size())));
        });
    }

    private static List<ReceiptHistoryItem> acceptedItems(DSLContext dsl, Table<?> table, String did, Optional<HistoryCursor> after,
                                                          int limit) {
        Field<String> id = column(table, RECEIPTS.RECEIPT_ID);
        Field<Instant> submitted = column(table, RECEIPTS.SUBMITTED_AT);
        Field<String> proofType = column(table, RECEIPTS.PROOF_TYPE);
        Field<Long> bytesVerified = column(table, RECEIPTS.BYTES_VERIFIED);
        Field<BigInteger> reward = column(table, RECEIPTS.REWARD_ATOMS);
        Field<Long> epoch = column(table, RECEIPTS.EPOCH);
        return dsl.select(id, submitted, proofType, bytesVerified, reward, epoch)
                .from(table)
                .where(column(table, RECEIPTS.CLIENT_DID).eq(did))
                .and(before(submitted, id, after))
                .orderBy(submitted.desc(), id.desc())
                .limit(limit)
                .fetch(r -> new ReceiptHistoryItem(r.value1(), true, Optional.empty(), Optional.of(r.value3()),
                        OptionalLong.of(r.value4()), Optional.of(r.value5()), OptionalLong.of(r.value6()), r.value2()));
    }

    /** Strictly after the cursor in newest-first order; written so the index range on submitted_at applies. */
    private static Condition before(Field<Instant> submitted, Field<String> id, Optional<HistoryCursor> after) {
        if (after.isEmpty()) {
            return DSL.noCondition();
        }
        HistoryCursor c = after.get();
        return submitted.le(c.submittedAt()).and(submitted.lt(c.submittedAt()).or(id.lt(c.receiptId())));
    }

    @Override
    public List<EpochRewards> rewards(String did, int limit) {
        Objects.requireNonNull(did, "did");
        checkLimit(limit);
        Field<BigInteger> receipts = DSL.sum(DSL.when(REWARD_ENTRIES.KIND.eq(JooqReceiptLedger.KIND_RECEIPT), REWARD_ENTRIES.AMOUNT_ATOMS)
                .otherwise(BigInteger.ZERO)).cast(REWARD_ENTRIES.AMOUNT_ATOMS.getDataType()).as("receipt_atoms");
        Field<BigInteger> compensation = DSL.sum(DSL.when(REWARD_ENTRIES.KIND.eq(KIND_COMPENSATION), REWARD_ENTRIES.AMOUNT_ATOMS)
                .otherwise(BigInteger.ZERO)).cast(REWARD_ENTRIES.AMOUNT_ATOMS.getDataType()).as("compensation_atoms");
        return db.call("read reward history", dsl -> {
            var totals = dsl.select(REWARD_ENTRIES.EPOCH, receipts, compensation)
                    .from(REWARD_ENTRIES)
                    .where(REWARD_ENTRIES.CLIENT_DID.eq(did))
                    .groupBy(REWARD_ENTRIES.EPOCH)
                    .orderBy(REWARD_ENTRIES.EPOCH.desc())
                    .limit(limit)
                    .fetch();
            if (totals.isEmpty()) {
                return List.of();
            }
            long oldest = totals.getLast().value1();
            long newest = totals.getFirst().value1();
            Map<Long, String> statuses = new HashMap<>();
            dsl.select(PAYOUTS.EPOCH, PAYOUTS.STATUS).from(PAYOUTS)
                    .where(PAYOUTS.CLIENT_DID.eq(did)).and(PAYOUTS.EPOCH.between(oldest, newest))
                    .forEach(r -> statuses.put(r.value1(), r.value2()));
            return totals.map(r -> new EpochRewards(r.value1(), orZero(r.value2()), orZero(r.value3()),
                    Optional.ofNullable(statuses.get(r.value1())).flatMap(PayoutStatus::fromWireName)));
        });
    }

    @Override
    public List<DisputeSummary> disputes(String did, int limit) {
        Objects.requireNonNull(did, "did");
        checkLimit(limit);
        return db.call("read dispute history", dsl -> dsl
                .select(DISPUTES.DISPUTE_ID, DISPUTES.DISPUTE_TYPE, DISPUTES.STATUS, DISPUTES.CREATED_AT, DISPUTES.RESOLVED_AT)
                .from(DISPUTES)
                .where(DISPUTES.CLIENT_DID.eq(did))
                .orderBy(DISPUTES.CREATED_AT.desc(), DISPUTES.DISPUTE_ID.desc())
                .limit(limit)
                .fetch(r -> new DisputeSummary(r.value1(), r.value2(), r.value3(), r.value4(), Optional.ofNullable(r.value5()))));
    }

    @Override
    public List<BlockEvent> blockEvents(String did, int limit) {
        Objects.requireNonNull(did, "did");
        checkLimit(limit);
        return db.call("read block history", dsl -> dsl
                .select(BLOCK_EVENTS.ACTION, BLOCK_EVENTS.REASON, BLOCK_EVENTS.ACTOR, BLOCK_EVENTS.CREATED_AT)
                .from(BLOCK_EVENTS)
                .where(BLOCK_EVENTS.DID.eq(did))
                .orderBy(BLOCK_EVENTS.CREATED_AT.desc(), BLOCK_EVENTS.EVENT_ID.desc())
                .limit(limit)
                .fetch(r -> new BlockEvent(r.value1(), Optional.ofNullable(r.value2()), r.value3(), r.value4())));
    }

    private static BigInteger orZero(BigInteger value) {
        return value == null ? BigInteger.ZERO : value;
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
