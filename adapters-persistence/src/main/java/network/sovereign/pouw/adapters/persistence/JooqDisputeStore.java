package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTE_EVENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.DisputesRecord;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.DisputeCursor;
import network.sovereign.pouw.application.port.out.DisputeEvent;
import network.sovereign.pouw.application.port.out.DisputeResolution;
import network.sovereign.pouw.application.port.out.DisputeStore;
import network.sovereign.pouw.application.port.out.DisputeTransition;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.DisputeStatus;
import network.sovereign.pouw.domain.DisputeType;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Disputes on PostgreSQL and H2: {@code disputes} and {@code dispute_events}. A status change is an
 * {@code UPDATE ... WHERE dispute_id = ? AND status = expected}: of two nodes changing one dispute at
 * once, the second finds no row to update and writes nothing. The event, the compensation credit in
 * {@code reward_entries} (unique per dispute) and the {@code admin_audit} row commit with it.
 */
final class JooqDisputeStore implements DisputeStore {

    /** {@code reward_entries.kind} of a dispute compensation. */
    static final String KIND_COMPENSATION = "compensation";

    private static final int MAX_ATTEMPTS = 3;
    /** disputes.client_nonce is varchar(64). */
    private static final int MAX_NONCE = 64;

    private final DatabaseAccess db;

    JooqDisputeStore(DatabaseAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public boolean file(Dispute dispute, Bytes signature, String clientNonce, long signedAt) {
        Objects.requireNonNull(dispute, "dispute");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(clientNonce, "clientNonce");
        if (dispute.status() != DisputeStatus.OPEN || dispute.resolution().isPresent()) {
            throw new IllegalArgumentException("a dispute is filed open and unresolved");
        }
        if (!JooqClientDirectory.storable(dispute.clientDid())) {
            throw new IllegalArgumentException("a DID of at most 256 characters without NUL characters is required");
        }
        if (clientNonce.isEmpty() || clientNonce.length() > MAX_NONCE || clientNonce.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a client nonce is 1.." + MAX_NONCE + " characters without NUL");
        }
        try {
            return db.dsl().transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                // The unique key (client_did, client_nonce) decides a replay, also between two nodes at once.
                int inserted = tx.insertInto(DISPUTES)
                        .set(DISPUTES.DISPUTE_ID, dispute.disputeId())
                        .set(DISPUTES.CLIENT_DID, dispute.clientDid())
                        .set(DISPUTES.RECEIPT_ID, dispute.receiptId().orElse(null))
                        .set(DISPUTES.DISPUTE_TYPE, dispute.type().wireName())
                        .set(DISPUTES.DESCRIPTION, dispute.description())
                        .set(DISPUTES.SIGNATURE, signature.toArray())
                        .set(DISPUTES.STATUS, dispute.status().wireName())
                        .set(DISPUTES.CREATED_AT, dispute.createdAt())
                        .set(DISPUTES.CLIENT_NONCE, clientNonce)
                        .set(DISPUTES.SIGNED_AT, signedAt)
                        .onConflict(DISPUTES.CLIENT_DID, DISPUTES.CLIENT_NONCE).doNothing()
                        .execute();
                if (inserted == 0) {
                    return false;
                }
                event(tx, dispute.disputeId(), Optional.empty(), DisputeStatus.OPEN, DisputeEvent.CLIENT_ACTOR, Optional.empty(),
                        dispute.createdAt());
                return true;
            });
        } catch (DataAccessException e) {
            // H2 may answer a concurrent duplicate with a unique violation instead of doing nothing.
            if (SqlFailures.isUniqueViolation(e)) {
                return false;
            }
            throw db.failure("file dispute", e);
        }
    }

    @Override
    public boolean isReceiptOf(String receiptId, String clientDid) {
        Objects.requireNonNull(receiptId, "receiptId");
        Objects.requireNonNull(clientDid, "clientDid");
        if (receiptId.length() > Dispute.MAX_ID || receiptId.indexOf('\0') >= 0 || !JooqClientDirectory.storable(clientDid)) {
            return false;
        }
        return db.call("look up disputed receipt", dsl -> dsl.fetchExists(RECEIPTS,
                        RECEIPTS.RECEIPT_ID.eq(receiptId).and(RECEIPTS.CLIENT_DID.eq(clientDid)))
                || dsl.fetchExists(RECEIPTS_ARCHIVE, RECEIPTS_ARCHIVE.RECEIPT_ID.eq(receiptId).and(RECEIPTS_ARCHIVE.CLIENT_DID.eq(clientDid)))
                || dsl.fetchExists(REJECTIONS, REJECTIONS.REJECTION_ID.eq(receiptId).and(REJECTIONS.CLIENT_DID.eq(clientDid))));
    }

    @Override
    public Optional<Dispute> find(String disputeId) {
        Objects.requireNonNull(disputeId, "disputeId");
        if (!storableId(disputeId)) {
            return Optional.empty();
        }
        return db.call("find dispute", dsl -> dsl.selectFrom(DISPUTES).where(DISPUTES.DISPUTE_ID.eq(disputeId))
                .fetchOptional(JooqDisputeStore::dispute));
    }

    @Override
    public List<DisputeEvent> events(String disputeId) {
        Objects.requireNonNull(disputeId, "disputeId");
        if (!storableId(disputeId)) {
            return List.of();
        }
        return db.call("list dispute events", dsl -> dsl.selectFrom(DISPUTE_EVENTS)
                .where(DISPUTE_EVENTS.DISPUTE_ID.eq(disputeId))
                .orderBy(DISPUTE_EVENTS.EVENT_ID)
                .fetch(r -> new DisputeEvent(Optional.ofNullable(r.getFromStatus()).map(JooqDisputeStore::status),
                        status(r.getToStatus()), r.getActor(), Optional.ofNullable(r.getNote()), r.getCreatedAt())));
    }

    @Override
    public List<Dispute> list(Optional<DisputeStatus> status, Optional<String> clientDid, Optional<DisputeCursor> after, int limit) {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (clientDid.isPresent() && !JooqClientDirectory.storable(clientDid.get())) {
            return List.of();
        }
        Condition where = DSL.noCondition();
        if (status.isPresent()) {
            where = where.and(DISPUTES.STATUS.eq(status.get().wireName()));
        }
        if (clientDid.isPresent()) {
            where = where.and(DISPUTES.CLIENT_DID.eq(clientDid.get()));
        }
        if (after.isPresent()) {
            DisputeCursor c = after.get();
            where = where.and(DISPUTES.CREATED_AT.lt(c.createdAt())
                    .or(DISPUTES.CREATED_AT.eq(c.createdAt()).and(DISPUTES.DISPUTE_ID.lt(c.disputeId()))));
        }
        Condition filter = where;
        return db.call("list disputes", dsl -> dsl.selectFrom(DISPUTES)
                .where(filter)
                .orderBy(DISPUTES.CREATED_AT.desc(), DISPUTES.DISPUTE_ID.desc())
                .limit(limit)
                .fetch(JooqDisputeStore::dispute));
    }

    @Override
    public Optional<Dispute> transition(DisputeTransition t) {
        Objects.requireNonNull(t, "transition");
        if (!storableId(t.disputeId())) {
            return Optional.empty();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return db.dsl().transactionResult(tx -> transitionOnce(tx.dsl(), t));
            } catch (DataAccessException e) {
                // H2 may report a concurrent change of the row; the next attempt sees it and updates nothing.
                if (!SqlFailures.isConcurrencyConflict(e) || attempt == MAX_ATTEMPTS) {
                    throw db.failure("change dispute status", e);
                }
            }
        }
    }

    private static Optional<Dispute> transitionOnce(DSLContext tx, DisputeTransition t) {
        var update = tx.update(DISPUTES).set(DISPUTES.STATUS, t.next().wireName());
        if (t.resolution().isPresent()) {
            DisputeResolution r = t.resolution().get();
            update = update
                    .set(DISPUTES.RESOLUTION_TYPE, r.type().map(DisputeResolutionType::wireName).orElse(null))
                    .set(DISPUTES.EXPLANATION, r.explanation())
                    .set(DISPUTES.COMPENSATION_ATOMS, r.compensationAtoms().orElse(null))
                    .set(DISPUTES.RESOLVED_BY, r.resolvedBy())
                    .set(DISPUTES.RESOLVED_AT, r.resolvedAt());
        }
        int updated = update.where(DISPUTES.DISPUTE_ID.eq(t.disputeId()).and(DISPUTES.STATUS.eq(t.expected().wireName()))).execute();
        if (updated == 0) {
            return Optional.empty();
        }
        event(tx, t.disputeId(), Optional.of(t.expected()), t.next(), t.actor(), t.note(), t.at());
        Dispute dispute = tx.selectFrom(DISPUTES).where(DISPUTES.DISPUTE_ID.eq(t.disputeId())).fetchSingle(JooqDisputeStore::dispute);
        if (t.compensation().isPresent()) {
            // uq_reward_entries_dispute: one compensation per dispute, whatever happens.
            tx.insertInto(REWARD_ENTRIES)
                    .set(REWARD_ENTRIES.CLIENT_DID, dispute.clientDid())
                    .set(REWARD_ENTRIES.EPOCH, t.compensation().get().epoch())
                    .set(REWARD_ENTRIES.KIND, KIND_COMPENSATION)
                    .set(REWARD_ENTRIES.DISPUTE_ID, t.disputeId())
                    .set(REWARD_ENTRIES.AMOUNT_ATOMS, t.compensation().get().atoms())
                    .set(REWARD_ENTRIES.CREATED_AT, t.at())
                    .execute();
        }
        JooqAdminAudit.insert(tx, t.audit());
        return Optional.of(dispute);
    }

    private static void event(DSLContext tx, String disputeId, Optional<DisputeStatus> from, DisputeStatus to, String actor,
                              Optional<String> note, java.time.Instant at) {
        tx.insertInto(DISPUTE_EVENTS)
                .set(DISPUTE_EVENTS.DISPUTE_ID, disputeId)
                .set(DISPUTE_EVENTS.FROM_STATUS, from.map(DisputeStatus::wireName).orElse(null))
                .set(DISPUTE_EVENTS.TO_STATUS, to.wireName())
                .set(DISPUTE_EVENTS.ACTOR, actor)
                .set(DISPUTE_EVENTS.NOTE, note.orElse(null))
                .set(DISPUTE_EVENTS.CREATED_AT, at)
                .execute();
    }

    private static Dispute dispute(DisputesRecord r) {
        Optional<DisputeResolution> resolution = r.getResolvedAt() == null ? Optional.empty()
                : Optional.of(new DisputeResolution(
                        Optional.ofNullable(r.getResolutionType()).map(t -> DisputeResolutionType.fromWireName(t).orElseThrow(
                                () -> new IllegalStateException("unknown resolution_type in the database: " + t))),
                        Objects.requireNonNullElse(r.getExplanation(), ""),
                        Optional.ofNullable(r.getCompensationAtoms()),
                        Objects.requireNonNullElse(r.getResolvedBy(), ""), r.getResolvedAt()));
        return new Dispute(r.getDisputeId(), r.getClientDid(), Optional.ofNullable(r.getReceiptId()),
                DisputeType.fromWireName(r.getDisputeType()).orElseThrow(
                        () -> new IllegalStateException("unknown dispute_type in the database: " + r.getDisputeType())),
                r.getDescription(), status(r.getStatus()), r.getCreatedAt(), resolution);
    }

    private static DisputeStatus status(String text) {
        return DisputeStatus.fromWireName(text).orElseThrow(() -> new IllegalStateException("unknown dispute status in the database: " + text));
    }

    private static boolean storableId(String id) {
        return !id.isEmpty() && id.length() <= Dispute.MAX_ID && id.indexOf('\0') < 0;
    }
}
