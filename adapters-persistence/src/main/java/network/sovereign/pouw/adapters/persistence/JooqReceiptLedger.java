package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.USED_NONCES;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.application.port.out.StoredReceipt;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.exception.DataAccessException;

/**
 * The receipt ledger on PostgreSQL and H2.
 *
 * <p>{@link #accept} runs one transaction: (1) claim the nonce with an insert into {@code used_nonces}
 * that does nothing on conflict, so the primary key decides races between threads and nodes; nothing
 * inserted means the nonce is taken, and the receipt that took it is returned; (2) consume the
 * challenge's budget with one conditional update, which nothing else may do in between (the row is
 * locked by it), and roll back when it matches no row; (3) insert the receipt; (4) credit its reward
 * (unique per receipt). Any failure rolls the whole transaction back, so a nonce is never consumed
 * without its receipt and credit, nor credited twice.
 *
 * <p>On H2, {@code ON CONFLICT DO NOTHING} is a MERGE, which a concurrent insert of the same nonce can
 * still beat with a unique violation: that, like the unique receipt nonce in {@code receipts}, is
 * answered by re-reading the winner after the rollback. Deadlocks or serialization failures, which the
 * statement order above should not produce, are retried a few times.
 *
 * <p>Group commit: concurrent {@link #accept} calls are coalesced ({@link GroupCommit}) into one
 * transaction per group, so a thousand clients submitting one receipt each share commits instead of
 * paying one WAL flush apiece. Each item runs the same four steps; an item that cannot be stored undoes
 * only its own nonce row (nothing else of it was written), so it never fails its neighbours; each
 * caller is answered only after the group's commit. If the group's transaction fails as a whole
 * (a unique violation of a race, a deadlock, one item the database refuses), nothing of it was committed and every
 * item is accepted again on its own, exactly as without grouping; when it fails because the database
 * or the pool does, every caller gets that failure (a store outage) at once.
 */
final class JooqReceiptLedger implements ReceiptLedger {

    /** {@code reward_entries.kind} of a receipt credit. */
    static final String KIND_RECEIPT = "receipt";

    /** Tries of one accept when a concurrent transaction got in the way. */
    private static final int MAX_ATTEMPTS = 5;

    /** Groups committed at once (each holds one pooled connection while it commits). */
    static final int GROUP_LANES = 4;

    /** The most receipts in one group transaction. */
    static final int MAX_GROUP = 64;

    private static final int MAX_ID = 40;
    private static final int MAX_DETAIL = 1024;
    private static final int MAX_SIG_SCHEME = 16;
    private static final BigInteger MAX_ATOMS = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);

    private static final AcceptResult STORED = new AcceptResult.Stored();
    private static final AcceptResult BUDGET_EXHAUSTED = new AcceptResult.BudgetExhausted();

    private final DatabaseAccess db;
    private final GroupCommit<AcceptedReceipt, AcceptResult> groups;

    JooqReceiptLedger(DatabaseAccess db) {
        this(db, GROUP_LANES, MAX_GROUP);
    }

    /** A ledger committing at most {@code lanes} groups of at most {@code maxGroup} receipts at once. */
    JooqReceiptLedger(DatabaseAccess db, int lanes, int maxGroup) {
        this.db = Objects.requireNonNull(db, "db");
        this.groups = new GroupCommit<>(lanes, maxGroup, this::commitGroup);
    }

    @Override
    public Optional<StoredReceipt> findByNonce(Bytes receiptNonce) {
        Objects.requireNonNull(receiptNonce, "receiptNonce");
        return db.call("find receipt by nonce", dsl -> find(dsl, receiptNonce));
    }

    /**
     * The receipt that consumed a nonce: by the unique nonce of {@code receipts} (which outlives the
     * {@code used_nonces} row), else through the {@code used_nonces} row to {@code receipts_archive}.
     * A nonce whose receipt is gone from both (deleted by hand) is still consumed: it is answered with
     * the nonce row's id and DID and no bytes, which no retry can match.
     *
     * <p>One statement, so one snapshot: read as two statements under READ COMMITTED, a concurrent
     * accept committing between them made the nonce row visible without its receipt, and an
     * identical retry racing on another node was answered {@code duplicate_nonce} instead of replayed.
     */
    private static Optional<StoredReceipt> find(DSLContext dsl, Bytes receiptNonce) {
        byte[] nonce = receiptNonce.toArray();
        var live = dsl.select(RECEIPTS.RECEIPT_ID, RECEIPTS.CLIENT_DID, RECEIPTS.SIGNED_BYTES, RECEIPTS.REWARD_ATOMS,
                        DSL.inline(1).as("pri"))
                .from(RECEIPTS)
                .where(RECEIPTS.RECEIPT_NONCE.eq(nonce));
        var archived = dsl.select(RECEIPTS_ARCHIVE.RECEIPT_ID, RECEIPTS_ARCHIVE.CLIENT_DID, RECEIPTS_ARCHIVE.SIGNED_BYTES,
                        RECEIPTS_ARCHIVE.REWARD_ATOMS, DSL.inline(2).as("pri"))
                .from(USED_NONCES)
                .join(RECEIPTS_ARCHIVE).on(RECEIPTS_ARCHIVE.RECEIPT_ID.eq(USED_NONCES.RECEIPT_ID))
                .where(USED_NONCES.RECEIPT_NONCE.eq(nonce));
        var nonceOnly = dsl.select(USED_NONCES.RECEIPT_ID, USED_NONCES.CLIENT_DID, DSL.castNull(RECEIPTS.SIGNED_BYTES),
                        DSL.castNull(RECEIPTS.REWARD_ATOMS), DSL.inline(3).as("pri"))
                .from(USED_NONCES)
                .where(USED_NONCES.RECEIPT_NONCE.eq(nonce));
        return dsl.selectFrom(live.unionAll(archived).unionAll(nonceOnly).asTable("found"))
                .orderBy(DSL.field(DSL.name("pri")))
                .limit(1)
                .fetchOptional(r -> new StoredReceipt(r.get(0, String.class), r.get(1, String.class), receiptNonce,
                        r.get(2) == null ? Bytes.EMPTY : Bytes.of(r.get(2, byte[].class)),
                        r.get(3) == null ? BigInteger.ZERO : r.get(3, BigInteger.class)));
    }

    @Override
    public AcceptResult accept(AcceptedReceipt accepted) {
        Objects.requireNonNull(accepted, "accepted");
        checkId("receipt id", accepted.receiptId());
        if (!JooqClientDirectory.storable(accepted.signed().receipt().clientDid())) {
            throw new IllegalArgumentException("a DID of at most 256 characters without NUL characters is required");
        }
        if (accepted.rewardAtoms().signum() < 0 || accepted.rewardAtoms().compareTo(MAX_ATOMS) > 0) {
            throw new IllegalArgumentException("reward must be 0..10^38-1 atoms, was " + accepted.rewardAtoms());
        }
        return groups.submit(accepted);
    }

    /** Answers every receipt of a group: one transaction for all, or each on its own when that fails. */
    private void commitGroup(List<GroupCommit.Pending<AcceptedReceipt, AcceptResult>> group) {
        if (group.size() > 1) {
            List<AcceptResult> results;
            try {
                results = db.dsl().transactionResult(tx -> {
                    List<AcceptResult> inGroup = new ArrayList<>(group.size());
                    for (GroupCommit.Pending<AcceptedReceipt, AcceptResult> pending : group) {
                        inGroup.add(acceptOnce(tx.dsl(), pending.item(), true));
                    }
                    return inGroup;
                });
            } catch (DataAccessException e) {
                boolean race = SqlFailures.isUniqueViolation(e) || SqlFailures.isConcurrencyConflict(e);
                if (!race && (db.dataSource().isClosed() || SqlFailures.isUnavailable(e))) {
                    // The database or the pool failed: no receipt of the group is answered as stored (if the
                    // commit did land, a retry is answered as a replay), and trying each receipt on its own
                    // would only make every caller wait for the same failure again.
                    RuntimeException failure = db.failure("accept receipts", e);
                    group.forEach(pending -> pending.answer().completeExceptionally(failure));
                    return;
                }
                // A race or one bad item rolled the group back as a whole: nothing of it was written. Each on its own, below.
                results = null;
            } catch (RuntimeException e) {
                results = null;
            }
            if (results != null) {
                for (int i = 0; i < group.size(); i++) {
                    if (results.get(i) != null) {
                        group.get(i).answer().complete(results.get(i));
                    }
                }
            }
        }
        for (GroupCommit.Pending<AcceptedReceipt, AcceptResult> pending : group) {
            if (!pending.answer().isDone()) {
                try {
                    pending.answer().complete(acceptAlone(pending.item()));
                } catch (RuntimeException e) {
                    pending.answer().completeExceptionally(e);
                }
            }
        }
    }

    /** One receipt in a transaction of its own, tried again when a concurrent transaction got in the way. */
    private AcceptResult acceptAlone(AcceptedReceipt accepted) {
        Bytes nonce = accepted.signed().receipt().receiptNonce();
        for (int attempt = 1; ; attempt++) {
            try {
                return db.dsl().transactionResult(tx -> acceptOnce(tx.dsl(), accepted, false));
            } catch (RolledBack outcome) {
                if (outcome.result != null) {
                    return outcome.result;
                }
                // The nonce row vanished between the conflict and the read (purged): try again.
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("receipt nonce " + nonce.hex() + " is neither free nor readable");
                }
            } catch (DataAccessException e) {
                if (SqlFailures.isUniqueViolation(e)) {
                    // A concurrent writer consumed the nonce first (H2), or the nonce row is gone but the
                    // receipt with this nonce is still there. Nothing of ours was written.
                    Optional<StoredReceipt> winner = findByNonce(nonce);
                    if (winner.isPresent()) {
                        return new AcceptResult.NonceTaken(winner.get());
                    }
                } else if (!SqlFailures.isConcurrencyConflict(e)) {
                    throw db.failure("accept receipt", e);
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw db.failure("accept receipt", e);
                }
            }
        }
    }

    /**
     * One try. Alone ({@code inGroup} false): returns {@code Stored} to commit, throws {@link RolledBack}
     * to roll back with another answer. In a group: returns the answer, having undone its own nonce row
     * when the budget refuses it, or null when it wrote nothing and must be tried alone after the group.
     */
    private static AcceptResult acceptOnce(DSLContext tx, AcceptedReceipt accepted, boolean inGroup) {
        Receipt receipt = accepted.signed().receipt();
        byte[] receiptNonce = receipt.receiptNonce().toArray();
        byte[] challengeNonce = receipt.challengeNonce().toArray();
        long bytes = receipt.bytesVerified();

        // (1) The nonce: the primary key of used_nonces decides.
        int claimed = tx.insertInto(USED_NONCES)
                .set(USED_NONCES.RECEIPT_NONCE, receiptNonce)
                .set(USED_NONCES.CLIENT_DID, receipt.clientDid())
                .set(USED_NONCES.RECEIPT_ID, accepted.receiptId())
                .set(USED_NONCES.CHALLENGE_NONCE, challengeNonce)
                .set(USED_NONCES.CREATED_AT, accepted.submittedAt())
                .onConflict(USED_NONCES.RECEIPT_NONCE).doNothing()
                .execute();
        if (claimed == 0) {
            AcceptResult taken = find(tx, receipt.receiptNonce()).<AcceptResult>map(AcceptResult.NonceTaken::new).orElse(null);
            if (inGroup) {
                return taken;
            }
            throw new RolledBack(taken);
        }

        // (2) The budget, in one conditional update: "used + this <= max", written so that it cannot
        // overflow. bytes_verified is a uint64; one of 2^63 or more (a negative long) exceeds any budget.
        if (bytes < 0) {
            return refuseBudget(tx, receiptNonce, inGroup);
        }
        int budgeted = tx.update(CHALLENGES)
                .set(CHALLENGES.USED_RECEIPTS, CHALLENGES.USED_RECEIPTS.plus(1))
                .set(CHALLENGES.USED_BYTES, CHALLENGES.USED_BYTES.plus(bytes))
                .where(CHALLENGES.CHALLENGE_NONCE.eq(challengeNonce))
                .and(CHALLENGES.USED_RECEIPTS.lt(CHALLENGES.MAX_RECEIPTS))
                .and(CHALLENGES.USED_BYTES.le(CHALLENGES.MAX_BYTES_TOTAL.minus(bytes)))
                .execute();
        if (budgeted == 0) {
            return refuseBudget(tx, receiptNonce, inGroup);
        }

        // (3) The receipt, with what the signature covers, for audit.
        tx.insertInto(RECEIPTS)
                .set(RECEIPTS.RECEIPT_ID, accepted.receiptId())
                .set(RECEIPTS.CLIENT_DID, receipt.clientDid())
                .set(RECEIPTS.CHALLENGE_NONCE, challengeNonce)
                .set(RECEIPTS.TASK_ID, receipt.taskId().toArray())
                .set(RECEIPTS.RECEIPT_NONCE, receiptNonce)
                .set(RECEIPTS.CONTENT_ID, receipt.contentId().toArray())
                .set(RECEIPTS.PROOF_TYPE, receipt.proofType().jsonName())
                .set(RECEIPTS.BYTES_VERIFIED, bytes)
                .set(RECEIPTS.RESULT_OK, receipt.resultOk())
                .set(RECEIPTS.STARTED_AT, receipt.startedAt())
                .set(RECEIPTS.FINISHED_AT, receipt.finishedAt())
                .set(RECEIPTS.SIG_SCHEME, accepted.scheme().wireName())
                .set(RECEIPTS.SIGNED_BYTES, accepted.canonicalBytes().toArray())
                .set(RECEIPTS.SIGNATURE, accepted.signed().signature().toArray())
                .set(RECEIPTS.REWARD_ATOMS, accepted.rewardAtoms())
                .set(RECEIPTS.EPOCH, accepted.epoch())
                .set(RECEIPTS.SUBMITTED_AT, accepted.submittedAt())
                .set(RECEIPTS.VALIDATED_AT, accepted.submittedAt())
                .set(RECEIPTS.NODE_ID, accepted.nodeId().toArray())
                .execute();

        // (4) The credit: uq_reward_entries_receipt makes it one per receipt.
        tx.insertInto(REWARD_ENTRIES)
                .set(REWARD_ENTRIES.CLIENT_DID, receipt.clientDid())
                .set(REWARD_ENTRIES.EPOCH, accepted.epoch())
                .set(REWARD_ENTRIES.KIND, KIND_RECEIPT)
                .set(REWARD_ENTRIES.RECEIPT_ID, accepted.receiptId())
                .set(REWARD_ENTRIES.AMOUNT_ATOMS, accepted.rewardAtoms())
                .set(REWARD_ENTRIES.CREATED_AT, accepted.submittedAt())
                .execute();
        return STORED;
    }

    /** The budget refused the receipt after its nonce was claimed: undo the claim (in a group) or roll back. */
    private static AcceptResult refuseBudget(DSLContext tx, byte[] receiptNonce, boolean inGroup) {
        if (!inGroup) {
            throw new RolledBack(BUDGET_EXHAUSTED);
        }
        tx.deleteFrom(USED_NONCES).where(USED_NONCES.RECEIPT_NONCE.eq(receiptNonce)).execute();
        return BUDGET_EXHAUSTED;
    }

    @Override
    public void recordRejection(RejectedReceipt rejection) {
        Objects.requireNonNull(rejection, "rejection");
        checkId("rejection id", rejection.rejectionId());
        String did = rejection.clientDid().filter(JooqClientDirectory::storable).orElse(null);
        String scheme = SigScheme.fromWireName(rejection.sigScheme()).map(SigScheme::wireName)
                .filter(name -> name.length() <= MAX_SIG_SCHEME).orElse(null);
        db.call("record rejection", dsl -> dsl.insertInto(REJECTIONS)
                .set(REJECTIONS.REJECTION_ID, rejection.rejectionId())
                .set(REJECTIONS.CLIENT_DID, did)
                .set(REJECTIONS.RECEIPT_NONCE, rejection.receiptNonce().map(Bytes::toArray).orElse(null))
                .set(REJECTIONS.CHALLENGE_NONCE, rejection.challengeNonce().map(Bytes::toArray).orElse(null))
                .set(REJECTIONS.REASON, rejection.reason().wireName())
                .set(REJECTIONS.DETAIL, clip(rejection.detail()))
                .set(REJECTIONS.SIG_SCHEME, scheme)
                .set(REJECTIONS.SIGNED_BYTES, orNull(rejection.signedBytes()))
                .set(REJECTIONS.SIGNATURE, orNull(rejection.signature()))
                .set(REJECTIONS.SUBMITTED_AT, rejection.submittedAt())
                .execute());
    }

    /** The detail as the column takes it: at most 1024 characters (a pair never split), no NUL. */
    static String clip(String detail) {
        String text = detail.replace('\0', '\uFFFD');
        if (text.length() <= MAX_DETAIL) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_DETAIL - 2)) ? MAX_DETAIL - 2 : MAX_DETAIL - 1;
        return text.substring(0, end) + "…";
    }

    private static byte[] orNull(Bytes bytes) {
        return bytes.isEmpty() ? null : bytes.toArray();
    }

    private static void checkId(String what, String id) {
        if (id.isEmpty() || id.length() > MAX_ID) {
            throw new IllegalArgumentException(what + " must have 1.." + MAX_ID + " characters, was '" + id + "'");
        }
    }

    /**
     * Ends a try of {@link #accept} with a rollback and an answer: NonceTaken or BudgetExhausted, or
     * null to try again. jOOQ rolls back on any exception and rethrows unchecked ones unchanged.
     */
    private static final class RolledBack extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient AcceptResult result;

        RolledBack(AcceptResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
