package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.USED_NONCES;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.PAYOUTS;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.application.port.out.StoreUnavailableException;
import network.sovereign.pouw.application.port.out.StoredReceipt;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
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
 * <p>Group commit, statement by statement for the whole group: concurrent {@link #acceptAll} calls
 * (batches and single receipts alike) are coalesced ({@link GroupCommit}) into one transaction per
 * group, which (1) locks the group's challenges in nonce order ({@code SELECT ... FOR UPDATE}) and
 * decides in memory, in arrival order, which receipts their budgets still take; (2) claims every
 * receipt's nonce in one multi-row insert; (3) gives back the nonces of the receipts the budget refused
 * in one delete; (4) adds each challenge's use in one update per challenge (a JDBC batch); (5) inserts
 * the receipts and (6) their credits in one multi-row insert each; (7) moves credits dated in an epoch
 * whose payouts already exist into the first epoch after the last paid one (see below). A refused
 * receipt undoes only its own nonce row, so it never fails its neighbours; each caller is answered only
 * after the group's commit. If the group's transaction fails as a whole (a unique violation of a race,
 * a deadlock, one item the database refuses), nothing of it was committed and every item is accepted
 * again on its own with the single-receipt steps above, exactly as without grouping; when it fails
 * because the database or the pool does, every caller of the group gets that failure (a store outage)
 * at once, and so does every caller queued behind it (none of theirs was tried: nothing of it is stored).
 *
 * <p>Replay pre-checks of small batches ({@link #findByNonces} with at most {@link #COALESCED_READ_MAX}
 * nonces, single receipts above all) are coalesced the same way: concurrent ones share one statement
 * for all their nonces (one snapshot, as for one batch), each caller gets the rows of its own nonces;
 * when that statement fails because the database does, every pre-check queued behind it fails with
 * it at once (the requests answer 503) instead of each waiting for its own timeout.
 *
 * <p>Keys are looked up with {@link KeyLists}: long lists as literals, so each such lookup is planned
 * with the tables as they are.
 *
 * <p>Late credits: a credit whose transaction commits after its epoch's payouts were made would never
 * be paid. Payout materialisation therefore locks {@code reward_entries} against writers first
 * ({@code LOCK TABLE ... IN SHARE MODE} on PostgreSQL, {@link #PAYOUT_GATE} on H2), so it waits for
 * every accept in flight and sees its credits; and each accept transaction, after inserting its
 * credits, reads the last paid epoch and moves any credit dated at or before it past it.
 */
final class JooqReceiptLedger implements ReceiptLedger {

    /** {@code reward_entries.kind} of a receipt credit. */
    static final String KIND_RECEIPT = "receipt";

    /** Tries of one accept when a concurrent transaction got in the way. */
    private static final int MAX_ATTEMPTS = 5;

    /** Groups committed at once (each holds one pooled connection while it commits). */
    static final int GROUP_LANES = 4;

    /** The most receipts in one group transaction (19 bind values each stay far below PostgreSQL's 32,767). */
    static final int MAX_GROUP = 256;

    /** Pre-check statements run at once (each holds one pooled connection while it runs). */
    static final int READ_LANES = 4;

    /** The most pre-checks sharing one statement. */
    static final int MAX_READ_GROUP = 64;

    /** Pre-checks of at most this many nonces are coalesced; larger ones already amortise their statement. */
    static final int COALESCED_READ_MAX = 16;

    /** What is kept of a rejected receipt's canonical bytes (its SHA-256 covers all of them). */
    static final int MAX_STORED_REJECTED_BYTES = 512;
    /** What is kept of a rejected receipt's signature (its SHA-256 covers all of it). */
    static final int MAX_STORED_REJECTED_SIGNATURE = 64;

    /**
     * H2 (one process) has no table lock: accept transactions hold its read side, payout
     * materialisation its write side (PostgreSQL uses {@code LOCK TABLE reward_entries IN SHARE MODE}).
     */
    static final java.util.concurrent.locks.ReadWriteLock PAYOUT_GATE = new java.util.concurrent.locks.ReentrantReadWriteLock();

    private static final int MAX_ID = 40;
    private static final int MAX_DETAIL = 1024;
    private static final int MAX_SIG_SCHEME = 16;
    private static final BigInteger MAX_ATOMS = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);

    private static final AcceptResult STORED = new AcceptResult.Stored();
    private static final AcceptResult BUDGET_EXHAUSTED = new AcceptResult.BudgetExhausted();

    private final DatabaseAccess db;
    private final GroupCommit<AcceptedReceipt, AcceptResult> groups;
    private final GroupCommit<Collection<Bytes>, Map<Bytes, StoredReceipt>> reads;

    JooqReceiptLedger(DatabaseAccess db, Duration connectionTimeout) {
        this(db, GROUP_LANES, MAX_GROUP, connectionTimeout);
    }

    /**
     * A ledger committing at most {@code lanes} groups of at most {@code maxGroup} receipts at once. A
     * coalesced pre-check waits at most {@code connectionTimeout} (the pool's) for a read lane, as it
     * would for a connection: with every read lane stuck on a hung database the others are answered
     * 503 then, not when the stuck statements time out.
     */
    JooqReceiptLedger(DatabaseAccess db, int lanes, int maxGroup, Duration connectionTimeout) {
        this.db = Objects.requireNonNull(db, "db");
        this.groups = new GroupCommit<>(lanes, maxGroup, this::commitGroup, StoreUnavailableException.class::isInstance);
        this.reads = new GroupCommit<>(READ_LANES, MAX_READ_GROUP, this::readGroup, StoreUnavailableException.class::isInstance,
                connectionTimeout.toNanos(), () -> new StoreUnavailableException("no database connection for the replay pre-check within "
                        + connectionTimeout.toMillis() + " ms: the pre-checks ahead of it are waiting for the database", null));
    }

    @Override
    public Optional<StoredReceipt> findByNonce(Bytes receiptNonce) {
        Objects.requireNonNull(receiptNonce, "receiptNonce");
        return db.call("find receipt by nonce", dsl -> find(dsl, receiptNonce));
    }

    @Override
    public Map<Bytes, StoredReceipt> findByNonces(Collection<Bytes> receiptNonces) {
        Objects.requireNonNull(receiptNonces, "receiptNonces");
        if (receiptNonces.isEmpty()) {
            return Map.of();
        }
        if (receiptNonces.size() > COALESCED_READ_MAX) {
            return db.call("find receipts by nonce", dsl -> findAll(dsl, receiptNonces));
        }
        return reads.submit(List.copyOf(receiptNonces));
    }

    /** One statement for the nonces of every pre-check of the group; each gets the rows of its own. */
    private void readGroup(List<GroupCommit.Pending<Collection<Bytes>, Map<Bytes, StoredReceipt>>> group) {
        Set<Bytes> all = new LinkedHashSet<>();
        group.forEach(pending -> all.addAll(pending.item()));
        Map<Bytes, StoredReceipt> found = db.call("find receipts by nonce", dsl -> findAll(dsl, all));
        for (GroupCommit.Pending<Collection<Bytes>, Map<Bytes, StoredReceipt>> pending : group) {
            Map<Bytes, StoredReceipt> mine = new HashMap<>();
            for (Bytes nonce : pending.item()) {
                StoredReceipt stored = found.get(nonce);
                if (stored != null) {
                    mine.put(nonce, stored);
                }
            }
            pending.answer().complete(mine);
        }
    }

    /** The receipt that consumed a nonce (see {@link #findAll}). */
    private static Optional<StoredReceipt> find(DSLContext dsl, Bytes receiptNonce) {
        return Optional.ofNullable(findAll(dsl, List.of(receiptNonce)).get(receiptNonce));
    }

    /**
     * The receipts that consumed these nonces: by the unique nonce of {@code receipts} (which outlives
     * the {@code used_nonces} row), else through the {@code used_nonces} row to {@code receipts_archive}.
     * A nonce whose receipt is gone from both (deleted by hand) is still consumed: it is answered with
     * the nonce row's id and DID and no bytes, which no retry can match.
     *
     * <p>One statement for all the nonces, so one snapshot: read as two statements under READ
     * COMMITTED, a concurrent accept committing between them made the nonce row visible without its
     * receipt, and an identical retry racing on another node was answered {@code duplicate_nonce}
     * instead of replayed.
     */
    private static Map<Bytes, StoredReceipt> findAll(DSLContext dsl, Collection<Bytes> receiptNonces) {
        List<byte[]> nonces = receiptNonces.stream().distinct().map(Bytes::toArray).toList();
        var live = dsl.select(RECEIPTS.RECEIPT_NONCE, RECEIPTS.RECEIPT_ID, RECEIPTS.CLIENT_DID, RECEIPTS.SIGNED_BYTES,
                        RECEIPTS.REWARD_ATOMS, RECEIPTS.SIGNATURE, DSL.inline(1).as("pri"))
                .from(RECEIPTS)
                .where(KeyLists.in(RECEIPTS.RECEIPT_NONCE, nonces));
        var archived = dsl.select(USED_NONCES.RECEIPT_NONCE, RECEIPTS_ARCHIVE.RECEIPT_ID, RECEIPTS_ARCHIVE.CLIENT_DID,
                        RECEIPTS_ARCHIVE.SIGNED_BYTES, RECEIPTS_ARCHIVE.REWARD_ATOMS, RECEIPTS_ARCHIVE.SIGNATURE, DSL.inline(2).as("pri"))
                .from(USED_NONCES)
                .join(RECEIPTS_ARCHIVE).on(RECEIPTS_ARCHIVE.RECEIPT_ID.eq(USED_NONCES.RECEIPT_ID))
                .where(KeyLists.in(USED_NONCES.RECEIPT_NONCE, nonces));
        var nonceOnly = dsl.select(USED_NONCES.RECEIPT_NONCE, USED_NONCES.RECEIPT_ID, USED_NONCES.CLIENT_DID,
                        DSL.castNull(RECEIPTS.SIGNED_BYTES), DSL.castNull(RECEIPTS.REWARD_ATOMS), DSL.castNull(RECEIPTS.SIGNATURE),
                        DSL.inline(3).as("pri"))
                .from(USED_NONCES)
                .where(KeyLists.in(USED_NONCES.RECEIPT_NONCE, nonces));
        Map<Bytes, StoredReceipt> found = new HashMap<>();
        Map<Bytes, Integer> priority = new HashMap<>();
        for (Record r : dsl.selectFrom(live.unionAll(archived).unionAll(nonceOnly).asTable("found")).fetch()) {
            Bytes nonce = Bytes.of(r.get(0, byte[].class));
            int pri = r.get(6, Integer.class);
            Integer seen = priority.get(nonce);
            if (seen != null && seen <= pri) {
                continue;
            }
            priority.put(nonce, pri);
            found.put(nonce, new StoredReceipt(r.get(1, String.class), r.get(2, String.class), nonce,
                    r.get(3) == null ? Bytes.EMPTY : Bytes.of(r.get(3, byte[].class)),
                    r.get(4) == null ? BigInteger.ZERO : r.get(4, BigInteger.class),
                    r.get(5) == null ? Bytes.EMPTY : Bytes.of(r.get(5, byte[].class))));
        }
        return found;
    }

    @Override
    public AcceptResult accept(AcceptedReceipt accepted) {
        return acceptAll(List.of(accepted)).getFirst();
    }

    @Override
    public List<AcceptResult> acceptAll(List<AcceptedReceipt> receipts) {
        Objects.requireNonNull(receipts, "receipts");
        for (AcceptedReceipt accepted : receipts) {
            Objects.requireNonNull(accepted, "accepted");
            checkId("receipt id", accepted.receiptId());
            if (!JooqClientDirectory.storable(accepted.signed().receipt().clientDid())) {
                throw new IllegalArgumentException("a DID of at most 256 characters without NUL characters is required");
            }
            if (accepted.rewardAtoms().signum() < 0 || accepted.rewardAtoms().compareTo(MAX_ATOMS) > 0) {
                throw new IllegalArgumentException("reward must be 0..10^38-1 atoms, was " + accepted.rewardAtoms());
            }
        }
        return receipts.isEmpty() ? List.of() : groups.submitAll(receipts);
    }

    /** Answers every receipt of a group: one transaction for all, or each on its own when that fails. */
    private void commitGroup(List<GroupCommit.Pending<AcceptedReceipt, AcceptResult>> group) {
        {
            List<AcceptResult> results;
            try {
                results = gated(() -> db.dsl().transactionResult(tx -> acceptGroup(tx.dsl(), group)));
            } catch (DataAccessException e) {
                boolean race = SqlFailures.isUniqueViolation(e) || SqlFailures.isConcurrencyConflict(e);
                if (!race && (db.dataSource().isClosed() || SqlFailures.isUnavailable(e))) {
                    // The database or the pool failed: no receipt of the group is answered as stored (if the
                    // commit did land, a retry is answered as a replay), and trying each receipt on its own
                    // would only make every caller wait for the same failure again.
                    // Thrown, so that GroupCommit fails the group with it and, for an outage, everything queued behind it.
                    throw db.failure("accept receipts", e);
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
                    pending.answer().complete(gated(() -> acceptAlone(pending.item())));
                } catch (RuntimeException e) {
                    pending.answer().completeExceptionally(e);
                }
            }
        }
    }

    /** Runs an accept transaction on the read side of the H2 payout gate (PostgreSQL locks in the database). */
    private <T> T gated(java.util.function.Supplier<T> work) {
        if (db.dialect() != org.jooq.SQLDialect.H2) {
            return work.get();
        }
        Lock lock = PAYOUT_GATE.readLock();
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The group's transaction, statement by statement for all of its receipts (see the class comment).
     * Returns one answer per item; null where an item must be accepted alone after the group (a nonce
     * that appears twice in the group: the second waits for the first's commit).
     */
    private static List<AcceptResult> acceptGroup(DSLContext tx, List<GroupCommit.Pending<AcceptedReceipt, AcceptResult>> group) {
        List<AcceptedReceipt> items = new ArrayList<>(group.size());
        AcceptResult[] results = new AcceptResult[group.size()];
        List<Integer> inTx = new ArrayList<>(group.size());
        Set<Bytes> nonces = new HashSet<>();
        for (int i = 0; i < group.size(); i++) {
            AcceptedReceipt item = group.get(i).item();
            items.add(item);
            if (nonces.add(item.signed().receipt().receiptNonce())) {
                inTx.add(i);
            }
        }

        // (1) Lock the challenges in nonce order, then decide the budgets in arrival order.
        Map<Bytes, long[]> budgets = new TreeMap<>(Comparator.comparing(Bytes::hex));
        for (int i : inTx) {
            budgets.put(items.get(i).signed().receipt().challengeNonce(), null);
        }
        List<byte[]> challengeNonces = budgets.keySet().stream().map(Bytes::toArray).toList();
        for (var r : tx.select(CHALLENGES.CHALLENGE_NONCE, CHALLENGES.USED_RECEIPTS, CHALLENGES.MAX_RECEIPTS,
                        CHALLENGES.USED_BYTES, CHALLENGES.MAX_BYTES_TOTAL)
                .from(CHALLENGES)
                .where(KeyLists.in(CHALLENGES.CHALLENGE_NONCE, challengeNonces))
                .orderBy(CHALLENGES.CHALLENGE_NONCE)
                .forUpdate()
                .fetch()) {
            // {used receipts, max receipts, used bytes, max bytes, receipts added, bytes added}
            budgets.put(Bytes.of(r.value1()), new long[] {r.value2(), r.value3(), r.value4(), r.value5(), 0, 0});
        }
        List<Integer> fits = new ArrayList<>(inTx.size());
        List<Integer> refused = new ArrayList<>();
        for (int i : inTx) {
            Receipt receipt = items.get(i).signed().receipt();
            long[] b = budgets.get(receipt.challengeNonce());
            long bytes = receipt.bytesVerified();
            // bytes_verified is a uint64: one of 2^63 or more (a negative long) exceeds any budget.
            if (b != null && bytes >= 0 && b[0] + b[4] < b[1] && b[2] + b[5] <= b[3] - bytes) {
                b[4]++;
                b[5] += bytes;
                fits.add(i);
            } else {
                refused.add(i);
            }
        }

        // (2) Claim every nonce (the refused ones too, so a racing twin on another node decides first:
        // a conflict fails the group, and each receipt is then accepted alone).
        var claim = tx.insertInto(USED_NONCES, USED_NONCES.RECEIPT_NONCE, USED_NONCES.CLIENT_DID, USED_NONCES.RECEIPT_ID,
                USED_NONCES.CHALLENGE_NONCE, USED_NONCES.CREATED_AT);
        for (int i : inTx) {
            AcceptedReceipt a = items.get(i);
            Receipt r = a.signed().receipt();
            claim = claim.values(r.receiptNonce().toArray(), r.clientDid(), a.receiptId(), r.challengeNonce().toArray(), a.submittedAt());
        }
        claim.execute();

        // (3) The refused give their nonces back.
        if (!refused.isEmpty()) {
            tx.deleteFrom(USED_NONCES)
                    .where(KeyLists.in(USED_NONCES.RECEIPT_NONCE, refused.stream().map(i -> items.get(i).signed().receipt().receiptNonce().toArray()).toList()))
                    .execute();
            refused.forEach(i -> results[i] = BUDGET_EXHAUSTED);
        }
        if (fits.isEmpty()) {
            return Arrays.asList(results);
        }

        // (4) One budget update per challenge.
        List<Query> updates = new ArrayList<>();
        budgets.forEach((nonce, b) -> {
            if (b != null && b[4] > 0) {
                updates.add(tx.update(CHALLENGES)
                        .set(CHALLENGES.USED_RECEIPTS, CHALLENGES.USED_RECEIPTS.plus((int) b[4]))
                        .set(CHALLENGES.USED_BYTES, CHALLENGES.USED_BYTES.plus(b[5]))
                        .where(CHALLENGES.CHALLENGE_NONCE.eq(nonce.toArray())));
            }
        });
        if (updates.size() == 1) {
            updates.getFirst().execute();
        } else {
            tx.batch(updates).execute();
        }

        // (5) The receipts, with what the signature covers, for audit.
        var receipts = tx.insertInto(RECEIPTS, RECEIPTS.RECEIPT_ID, RECEIPTS.CLIENT_DID, RECEIPTS.CHALLENGE_NONCE, RECEIPTS.TASK_ID,
                RECEIPTS.RECEIPT_NONCE, RECEIPTS.CONTENT_ID, RECEIPTS.PROOF_TYPE, RECEIPTS.BYTES_VERIFIED, RECEIPTS.RESULT_OK,
                RECEIPTS.STARTED_AT, RECEIPTS.FINISHED_AT, RECEIPTS.SIG_SCHEME, RECEIPTS.SIGNED_BYTES, RECEIPTS.SIGNATURE,
                RECEIPTS.REWARD_ATOMS, RECEIPTS.EPOCH, RECEIPTS.SUBMITTED_AT, RECEIPTS.VALIDATED_AT, RECEIPTS.NODE_ID);
        for (int i : fits) {
            AcceptedReceipt a = items.get(i);
            Receipt r = a.signed().receipt();
            receipts = receipts.values(a.receiptId(), r.clientDid(), r.challengeNonce().toArray(), r.taskId().toArray(),
                    r.receiptNonce().toArray(), r.contentId().toArray(), r.proofType().jsonName(), r.bytesVerified(), r.resultOk(),
                    r.startedAt(), r.finishedAt(), a.scheme().wireName(), a.canonicalBytes().toArray(), a.signed().signature().toArray(),
                    a.rewardAtoms(), a.epoch(), a.submittedAt(), a.submittedAt(), a.nodeId().toArray());
        }
        receipts.execute();

        // (6) The credits: uq_reward_entries_receipt makes them one per receipt.
        var credits = tx.insertInto(REWARD_ENTRIES, REWARD_ENTRIES.CLIENT_DID, REWARD_ENTRIES.EPOCH, REWARD_ENTRIES.KIND,
                REWARD_ENTRIES.RECEIPT_ID, REWARD_ENTRIES.AMOUNT_ATOMS, REWARD_ENTRIES.CREATED_AT);
        long firstEpoch = Long.MAX_VALUE;
        for (int i : fits) {
            AcceptedReceipt a = items.get(i);
            credits = credits.values(a.signed().receipt().clientDid(), a.epoch(), KIND_RECEIPT, a.receiptId(), a.rewardAtoms(), a.submittedAt());
            firstEpoch = Math.min(firstEpoch, a.epoch());
        }
        credits.execute();

        // (7) Credits dated in a paid epoch move past the last paid one.
        moveLateCredits(tx, fits.stream().map(i -> items.get(i).receiptId()).toList(), firstEpoch);

        fits.forEach(i -> results[i] = STORED);
        return Arrays.asList(results);
    }

    /**
     * Moves these receipts' credits (and the receipts' {@code epoch}) out of epochs whose payouts exist,
     * into the epoch after the last paid one. Runs after the credits are inserted: their row locks make a
     * concurrent payout materialisation wait for this commit, and one that committed before sees to it
     * that this read finds its payouts.
     */
    private static void moveLateCredits(DSLContext tx, List<String> receiptIds, long firstEpoch) {
        Long lastPaid = tx.select(DSL.max(PAYOUTS.EPOCH)).from(PAYOUTS).fetchOne(0, Long.class);
        if (lastPaid == null || lastPaid < firstEpoch) {
            return;
        }
        tx.update(REWARD_ENTRIES)
                .set(REWARD_ENTRIES.EPOCH, lastPaid + 1)
                .where(REWARD_ENTRIES.RECEIPT_ID.in(receiptIds))
                .and(REWARD_ENTRIES.EPOCH.le(lastPaid))
                .execute();
        tx.update(RECEIPTS)
                .set(RECEIPTS.EPOCH, lastPaid + 1)
                .where(RECEIPTS.RECEIPT_ID.in(receiptIds))
                .and(RECEIPTS.EPOCH.le(lastPaid))
                .execute();
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
        moveLateCredits(tx, List.of(accepted.receiptId()), accepted.epoch());
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
        recordRejections(List.of(rejection));
    }

    /**
     * Stores the rejections in one multi-row insert, each bounded: at most the first
     * {@value #MAX_STORED_REJECTED_BYTES} canonical bytes and {@value #MAX_STORED_REJECTED_SIGNATURE}
     * signature bytes are kept, with the SHA-256 of each whole, so no client can make a rejection row
     * large.
     */
    @Override
    public void recordRejections(List<RejectedReceipt> rejections) {
        Objects.requireNonNull(rejections, "rejections");
        if (rejections.isEmpty()) {
            return;
        }
        rejections.forEach(rejection -> checkId("rejection id", Objects.requireNonNull(rejection, "rejection").rejectionId()));
        db.call("record rejections", dsl -> {
            var insert = dsl.insertInto(REJECTIONS, REJECTIONS.REJECTION_ID, REJECTIONS.CLIENT_DID, REJECTIONS.RECEIPT_NONCE,
                    REJECTIONS.CHALLENGE_NONCE, REJECTIONS.REASON, REJECTIONS.DETAIL, REJECTIONS.SIG_SCHEME, REJECTIONS.SIGNED_BYTES,
                    REJECTIONS.SIGNATURE, REJECTIONS.SUBMITTED_AT, REJECTIONS.AUTHENTICATED, REJECTIONS.SIGNED_BYTES_SHA256,
                    REJECTIONS.SIGNATURE_SHA256);
            for (RejectedReceipt rejection : rejections) {
                String did = rejection.clientDid().filter(JooqClientDirectory::storable).orElse(null);
                String scheme = SigScheme.fromWireName(rejection.sigScheme()).map(SigScheme::wireName)
                        .filter(name -> name.length() <= MAX_SIG_SCHEME).orElse(null);
                insert = insert.values(rejection.rejectionId(), did,
                        rejection.receiptNonce().map(JooqReceiptLedger::storableId).orElse(null),
                        rejection.challengeNonce().map(JooqReceiptLedger::storableId).orElse(null),
                        rejection.reason().wireName(), clip(rejection.detail()), scheme,
                        prefix(rejection.signedBytes(), MAX_STORED_REJECTED_BYTES), prefix(rejection.signature(), MAX_STORED_REJECTED_SIGNATURE),
                        rejection.submittedAt(), rejection.authenticated(), sha256(rejection.signedBytes()), sha256(rejection.signature()));
            }
            return insert.execute();
        });
    }

    /** A nonce as stored with a rejection: a well-formed one (at most 32 bytes) whole, else its first 32 bytes. */
    private static byte[] storableId(Bytes id) {
        return prefix(id, 32);
    }

    private static byte[] prefix(Bytes bytes, int max) {
        if (bytes.isEmpty()) {
            return null;
        }
        byte[] all = bytes.toArray();
        return all.length <= max ? all : Arrays.copyOf(all, max);
    }

    private static byte[] sha256(Bytes bytes) {
        if (bytes.isEmpty()) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes.toArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
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
