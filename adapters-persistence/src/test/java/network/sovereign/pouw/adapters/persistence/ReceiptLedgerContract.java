package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.BASE_ATOMS;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.NODE_ID;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.accepted;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.challenge;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.key;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.receipt;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.unique;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.PAYOUTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.USED_NONCES;
import static org.jooq.impl.DSL.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ChallengesRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ReceiptsRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.RejectionsRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.RewardEntriesRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.UsedNoncesRecord;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.application.port.out.ReceiptLedger.AcceptResult;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.application.port.out.StoreUnavailableException;
import network.sovereign.pouw.application.port.out.StoredReceipt;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ReceiptLedger} on every database the node supports: an accepted receipt
 * consumes its nonce, is stored with its credit and uses its challenge's budget, all or nothing; a
 * nonce is consumed once however many threads and nodes race for it; rejections are kept.
 */
abstract class ReceiptLedgerContract extends ProtocolStoreContract {

    private static final String DID = "did:sov:alice";
    private static final String OTHER_DID = "did:sov:bob";
    private static final BigInteger MERKLE_CREDIT = BASE_ATOMS.multiply(BigInteger.TWO);

    private ReceiptLedger ledger;

    @BeforeEach
    void enrolClients() {
        ledger = node.receiptLedger();
        node.clientDirectory().enrol(key(DID, SigScheme.ED25519, 1), T0.minus(Duration.ofDays(30)));
        node.clientDirectory().enrol(key(OTHER_DID, SigScheme.ED25519, 2), T0.minus(Duration.ofDays(30)));
    }

    @Test
    void an_accepted_receipt_consumes_its_nonce_and_is_stored_with_its_credit_and_budget() {
        Challenge challenge = saved(challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE)));
        SignedReceipt signed = receipt(challenge, 4096);
        Receipt r = signed.receipt();
        Instant at = T0.plusSeconds(30);
        AcceptedReceipt accepted = accepted("rcpt-1", signed, at);

        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(accepted));

        UsedNoncesRecord nonce = dsl.fetchSingle(USED_NONCES);
        assertArrayEquals(r.receiptNonce().toArray(), nonce.getReceiptNonce());
        assertEquals(DID, nonce.getClientDid());
        assertEquals("rcpt-1", nonce.getReceiptId());
        assertArrayEquals(r.challengeNonce().toArray(), nonce.getChallengeNonce());
        assertEquals(at, nonce.getCreatedAt());

        ReceiptsRecord row = dsl.fetchSingle(RECEIPTS);
        assertEquals("rcpt-1", row.getReceiptId());
        assertEquals(DID, row.getClientDid());
        assertArrayEquals(r.challengeNonce().toArray(), row.getChallengeNonce());
        assertArrayEquals(r.taskId().toArray(), row.getTaskId());
        assertArrayEquals(r.receiptNonce().toArray(), row.getReceiptNonce());
        assertArrayEquals(r.contentId().toArray(), row.getContentId());
        assertEquals("merkle", row.getProofType());
        assertEquals(4096L, row.getBytesVerified());
        assertTrue(row.getResultOk());
        assertEquals(r.startedAt(), row.getStartedAt());
        assertEquals(-1L, row.getFinishedAt(), "uint64 max keeps its bit pattern");
        assertEquals("ed25519", row.getSigScheme());
        assertArrayEquals(accepted.canonicalBytes().toArray(), row.getSignedBytes());
        assertArrayEquals(signed.signature().toArray(), row.getSignature());
        assertEquals(MERKLE_CREDIT, row.getRewardAtoms());
        assertEquals(at.getEpochSecond() / 3600, row.getEpoch());
        assertEquals(at, row.getSubmittedAt());
        assertEquals(at, row.getValidatedAt());
        assertArrayEquals(NODE_ID.toArray(), row.getNodeId());

        RewardEntriesRecord credit = dsl.fetchSingle(REWARD_ENTRIES);
        assertEquals(DID, credit.getClientDid());
        assertEquals("receipt", credit.getKind());
        assertEquals("rcpt-1", credit.getReceiptId());
        assertNull(credit.getDisputeId());
        assertEquals(MERKLE_CREDIT, credit.getAmountAtoms());
        assertEquals(row.getEpoch(), credit.getEpoch());
        assertEquals(at, credit.getCreatedAt());

        assertBudget(challenge, 1, 4096);
        assertEquals(Optional.of(new StoredReceipt("rcpt-1", DID, r.receiptNonce(), accepted.canonicalBytes(), MERKLE_CREDIT, accepted.signed().signature())),
                ledger.findByNonce(r.receiptNonce()));
        assertEquals(1, node.challengeStore().find(r.challengeNonce()).orElseThrow().usedReceipts(),
                "the challenge store sees the budget used");
    }

    @Test
    void a_second_accept_of_a_nonce_answers_the_first_receipt_and_writes_nothing() {
        Challenge challenge = saved(challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE)));
        SignedReceipt signed = receipt(challenge, 4096);
        AcceptedReceipt first = accepted("rcpt-1", signed, T0.plusSeconds(30));
        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(first));
        StoredReceipt expected = new StoredReceipt("rcpt-1", DID, signed.receipt().receiptNonce(), first.canonicalBytes(), MERKLE_CREDIT, signed.signature());

        // The same receipt again (a retry, as another node would give it another id) ...
        AcceptResult retry = otherNode.receiptLedger().accept(accepted("rcpt-2", signed, T0.plusSeconds(40)));
        // ... and a different receipt reusing the nonce.
        SignedReceipt reuse = receipt(challenge, 8192, signed.receipt().receiptNonce());
        AcceptResult duplicate = ledger.accept(accepted("rcpt-3", reuse, T0.plusSeconds(50)));

        assertEquals(new AcceptResult.NonceTaken(expected), retry);
        assertEquals(new AcceptResult.NonceTaken(expected), duplicate);
        assertRows(1, 1, 1);
        assertBudget(challenge, 1, 4096);
    }

    @Test
    void the_receipt_budget_is_never_exceeded_and_a_refused_receipt_leaves_no_rows() {
        Challenge challenge = saved(challenge(DID, 2, 1_000_000L, List.of(ProofType.MERKLE)));
        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(accepted("rcpt-1", receipt(challenge, 2000), T0)));
        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(accepted("rcpt-2", receipt(challenge, 2000), T0)));
        SignedReceipt third = receipt(challenge, 2000);

        assertEquals(new AcceptResult.BudgetExhausted(), ledger.accept(accepted("rcpt-3", third, T0)));

        assertRows(2, 2, 2);
        assertBudget(challenge, 2, 4000);
        assertEquals(Optional.empty(), ledger.findByNonce(third.receipt().receiptNonce()), "its nonce is not consumed");
    }

    @Test
    void the_byte_budget_is_never_exceeded_even_by_uint64_values_beyond_a_long() {
        Challenge challenge = saved(challenge(DID, 20, 10_000L, List.of(ProofType.MERKLE)));
        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(accepted("rcpt-1", receipt(challenge, 6000), T0)));
        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(accepted("rcpt-2", receipt(challenge, 4000), T0)),
                "exactly the budget fits");

        for (long bytes : new long[] {1, 10_001, Long.MAX_VALUE, -1L, Long.MIN_VALUE}) {
            SignedReceipt signed = receipt(challenge, bytes);
            assertEquals(new AcceptResult.BudgetExhausted(), ledger.accept(accepted("rcpt-x", signed, T0)),
                    "bytes_verified " + Long.toUnsignedString(bytes));
            assertEquals(Optional.empty(), ledger.findByNonce(signed.receipt().receiptNonce()));
        }
        Challenge fresh = saved(challenge(DID, 20, Long.MAX_VALUE, List.of(ProofType.MERKLE)));
        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(accepted("rcpt-3", receipt(fresh, Long.MAX_VALUE), T0)),
                "the largest budget takes the largest signed value without overflow");
        assertEquals(new AcceptResult.BudgetExhausted(), ledger.accept(accepted("rcpt-4", receipt(fresh, 1), T0)));

        assertRows(3, 3, 3);
        assertBudget(challenge, 2, 10_000);
        assertBudget(fresh, 1, Long.MAX_VALUE);
    }

    @Test
    void a_receipt_for_a_challenge_that_is_gone_is_refused_without_rows() {
        Challenge unsaved = challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE));

        assertEquals(new AcceptResult.BudgetExhausted(), ledger.accept(accepted("rcpt-1", receipt(unsaved, 4096), T0)));

        assertRows(0, 0, 0);
    }

    @Test
    void a_nonce_stays_consumed_after_its_nonce_row_is_purged_or_its_receipt_archived() {
        Challenge challenge = saved(challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE)));
        SignedReceipt purged = receipt(challenge, 4096);
        SignedReceipt archived = receipt(challenge, 4096);
        AcceptedReceipt purgedAccept = accepted("rcpt-purged", purged, T0);
        AcceptedReceipt archivedAccept = accepted("rcpt-archived", archived, T0.plusSeconds(1));
        ledger.accept(purgedAccept);
        ledger.accept(archivedAccept);
        dsl.deleteFrom(USED_NONCES).where(USED_NONCES.RECEIPT_ID.eq("rcpt-purged")).execute();
        dsl.insertInto(RECEIPTS_ARCHIVE).select(dsl.selectFrom(RECEIPTS).where(RECEIPTS.RECEIPT_ID.eq("rcpt-archived"))).execute();
        dsl.deleteFrom(RECEIPTS).where(RECEIPTS.RECEIPT_ID.eq("rcpt-archived")).execute();
        StoredReceipt purgedStored = new StoredReceipt("rcpt-purged", DID, purged.receipt().receiptNonce(),
                purgedAccept.canonicalBytes(), MERKLE_CREDIT, purged.signature());
        StoredReceipt archivedStored = new StoredReceipt("rcpt-archived", DID, archived.receipt().receiptNonce(),
                archivedAccept.canonicalBytes(), MERKLE_CREDIT, archived.signature());

        assertEquals(Optional.of(purgedStored), ledger.findByNonce(purged.receipt().receiptNonce()));
        assertEquals(Optional.of(archivedStored), ledger.findByNonce(archived.receipt().receiptNonce()));
        assertEquals(new AcceptResult.NonceTaken(purgedStored), ledger.accept(accepted("rcpt-again", purged, T0.plusSeconds(9))));
        assertEquals(new AcceptResult.NonceTaken(archivedStored), ledger.accept(accepted("rcpt-again", archived, T0.plusSeconds(9))));
        assertBudget(challenge, 2, 8192);
        assertEquals(2, dsl.fetchCount(REWARD_ENTRIES));
    }

    @Test
    void a_consumed_nonce_whose_receipt_was_deleted_by_hand_is_still_taken() {
        Challenge challenge = saved(challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE)));
        SignedReceipt signed = receipt(challenge, 4096);
        ledger.accept(accepted("rcpt-1", signed, T0));
        dsl.deleteFrom(RECEIPTS).execute();
        StoredReceipt remnant = new StoredReceipt("rcpt-1", DID, signed.receipt().receiptNonce(), Bytes.EMPTY, BigInteger.ZERO, Bytes.EMPTY);

        assertEquals(Optional.of(remnant), ledger.findByNonce(signed.receipt().receiptNonce()));
        assertEquals(new AcceptResult.NonceTaken(remnant), ledger.accept(accepted("rcpt-2", signed, T0)));
    }

    @Test
    void an_unknown_nonce_finds_nothing() {
        assertEquals(Optional.empty(), ledger.findByNonce(unique(32)));
        assertEquals(Optional.empty(), ledger.findByNonce(Bytes.EMPTY));
    }

    @Test
    void a_rejection_is_stored_with_what_could_be_read() {
        Challenge challenge = challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE));
        SignedReceipt signed = receipt(challenge, 4096);
        Bytes canonical = ProtocolFixtures.canonicalBytes(signed);

        ledger.recordRejection(new RejectedReceipt("rej-1", Optional.of(DID), Optional.of(signed.receipt().receiptNonce()),
                Optional.of(signed.receipt().challengeNonce()), RejectionReason.INVALID_SIGNATURE,
                "the signature does not verify with the enrolled key", "ed25519", canonical, signed.signature(), T0, true));

        RejectionsRecord row = dsl.fetchSingle(REJECTIONS);
        assertEquals("rej-1", row.getRejectionId());
        assertEquals(DID, row.getClientDid());
        assertArrayEquals(signed.receipt().receiptNonce().toArray(), row.getReceiptNonce());
        assertArrayEquals(signed.receipt().challengeNonce().toArray(), row.getChallengeNonce());
        assertEquals("invalid_signature", row.getReason());
        assertEquals("the signature does not verify with the enrolled key", row.getDetail());
        assertEquals("ed25519", row.getSigScheme());
        assertArrayEquals(canonical.toArray(), row.getSignedBytes());
        assertArrayEquals(signed.signature().toArray(), row.getSignature());
        assertEquals(T0, row.getSubmittedAt());
        assertRows(0, 0, 0);
    }

    @Test
    void a_rejection_of_garbage_keeps_nulls_and_clipped_text_instead_of_failing() {
        String hugeDetail = "x".repeat(5000);
        String nulDetail = "bad\0detail";

        ledger.recordRejection(new RejectedReceipt("rej-1", Optional.empty(), Optional.empty(), Optional.empty(),
                RejectionReason.MALFORMED_RECEIPT, hugeDetail, "", Bytes.EMPTY, Bytes.EMPTY, T0, false));
        ledger.recordRejection(new RejectedReceipt("rej-2", Optional.of("did:sov:" + "y".repeat(300)), Optional.of(unique(64)),
                Optional.empty(), RejectionReason.INVALID_SIGNATURE, nulDetail, "rsa-4096-with-a-very-long-name",
                Bytes.of(new byte[] {1}), Bytes.of(new byte[] {2}), T0, false));
        ledger.recordRejection(new RejectedReceipt("rej-3", Optional.of("did:sov:a\0b"), Optional.empty(), Optional.empty(),
                RejectionReason.UNKNOWN_CLIENT, "", "ml-dsa-87", Bytes.EMPTY, Bytes.EMPTY, T0, false));

        Map<String, RejectionsRecord> rows = new HashMap<>();
        dsl.selectFrom(REJECTIONS).fetch().forEach(r -> rows.put(r.getRejectionId(), r));
        RejectionsRecord garbage = rows.get("rej-1");
        assertNull(garbage.getClientDid());
        assertNull(garbage.getReceiptNonce());
        assertNull(garbage.getChallengeNonce());
        assertNull(garbage.getSigScheme());
        assertNull(garbage.getSignedBytes());
        assertNull(garbage.getSignature());
        assertEquals(1024, garbage.getDetail().length());
        assertTrue(garbage.getDetail().endsWith("…"));
        RejectionsRecord longDid = rows.get("rej-2");
        assertNull(longDid.getClientDid(), "a DID too long for the column is dropped");
        assertNull(longDid.getSigScheme(), "an unknown scheme is dropped");
        assertEquals("bad\uFFFDdetail", longDid.getDetail());
        assertEquals(32, longDid.getReceiptNonce().length, "what is kept of a nonce is bounded");
        RejectionsRecord nulDid = rows.get("rej-3");
        assertNull(nulDid.getClientDid());
        assertEquals("ml-dsa-87", nulDid.getSigScheme());
        assertEquals("", nulDid.getDetail());
    }

    @Test
    void a_closed_pool_answers_store_unavailable_and_never_a_jooq_exception() {
        Persistence closed = Persistence.start(node.settings().withPool(1, node.settings().connectionTimeout()));
        closed.close();
        Challenge challenge = challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE));
        AcceptedReceipt accepted = accepted("rcpt-1", receipt(challenge, 4096), T0);

        assertThrows(StoreUnavailableException.class, () -> closed.receiptLedger().accept(accepted));
        assertThrows(StoreUnavailableException.class, () -> closed.receiptLedger().findByNonce(unique(32)));
        assertThrows(StoreUnavailableException.class, () -> closed.receiptLedger().findByNonces(List.of(unique(32), unique(32))));
        assertThrows(StoreUnavailableException.class, () -> closed.challengeStore().findAll(List.of(unique(32))));
        assertThrows(StoreUnavailableException.class, () -> closed.receiptLedger().recordRejection(new RejectedReceipt("rej-1",
                Optional.empty(), Optional.empty(), Optional.empty(), RejectionReason.MALFORMED_RECEIPT, "x", "", Bytes.EMPTY, Bytes.EMPTY, T0, false)));
        assertThrows(StoreUnavailableException.class, () -> closed.challengeStore().save(challenge));
        assertThrows(StoreUnavailableException.class, () -> closed.challengeStore().find(unique(32)));
        assertThrows(StoreUnavailableException.class, () -> closed.clientDirectory().findKey(DID));
        assertThrows(StoreUnavailableException.class, () -> closed.clientDirectory().isBlocked(DID));
        assertThrows(StoreUnavailableException.class, () -> closed.clientDirectory().enrol(key(DID, SigScheme.ED25519, 3), T0));
    }

    /**
     * Eight threads, half on each of two nodes, each submit the same 200 receipts (over four challenges
     * and two clients) in their own order, each try with its own receipt id as a node would give it.
     */
    @Test
    void concurrent_accepts_of_the_same_receipts_from_two_nodes_store_each_exactly_once() throws Exception {
        int threads = 8;
        int receiptsPerChallenge = 50;
        List<Challenge> challenges = List.of(
                saved(challenge(DID, 1000, 1L << 40, List.of(ProofType.MERKLE))),
                saved(challenge(DID, 1000, 1L << 40, List.of(ProofType.MERKLE))),
                saved(challenge(OTHER_DID, 1000, 1L << 40, List.of(ProofType.MERKLE))),
                saved(challenge(OTHER_DID, 1000, 1L << 40, List.of(ProofType.MERKLE))));
        List<SignedReceipt> receipts = new ArrayList<>();
        long totalBytes = 0;
        for (Challenge challenge : challenges) {
            for (int i = 0; i < receiptsPerChallenge; i++) {
                long bytes = 1024 + receipts.size();
                receipts.add(receipt(challenge, bytes));
                totalBytes += bytes;
            }
        }

        List<Map<Bytes, AcceptResult>> results = race(threads, receipts);

        for (int i = 0; i < receipts.size(); i++) {
            Bytes nonce = receipts.get(i).receipt().receiptNonce();
            List<Integer> winners = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                if (results.get(t).get(nonce) instanceof AcceptResult.Stored) {
                    winners.add(t);
                }
            }
            assertEquals(1, winners.size(), "threads that stored receipt " + i + " on " + engine());
            String winnerId = receiptId(i, winners.get(0));
            for (int t = 0; t < threads; t++) {
                if (t != winners.get(0)) {
                    AcceptResult.NonceTaken taken = assertInstanceOf(AcceptResult.NonceTaken.class, results.get(t).get(nonce));
                    assertEquals(winnerId, taken.existing().receiptId());
                    assertEquals(ProtocolFixtures.canonicalBytes(receipts.get(i)), taken.existing().canonicalBytes());
                }
            }
        }
        int distinct = receipts.size();
        assertRows(distinct, distinct, distinct);
        assertEquals(distinct, dsl.fetchCount(dsl.selectDistinct(RECEIPTS.RECEIPT_NONCE).from(RECEIPTS)));
        assertEquals(MERKLE_CREDIT.multiply(BigInteger.valueOf(distinct)), sumOf(REWARD_ENTRIES.AMOUNT_ATOMS), "credited atoms");
        assertEquals(BigInteger.valueOf(distinct), sumOf(CHALLENGES.USED_RECEIPTS), "budget receipts used");
        assertEquals(BigInteger.valueOf(totalBytes), sumOf(CHALLENGES.USED_BYTES), "budget bytes used");
        for (Challenge challenge : challenges) {
            assertBudget(challenge, receiptsPerChallenge, -1);
        }
    }

    /** Eight threads on two nodes race 40 receipts into a challenge that takes 25: exactly 25 get in. */
    @Test
    void concurrent_accepts_never_overspend_a_challenge() throws Exception {
        int threads = 8;
        int budget = 25;
        Challenge challenge = saved(challenge(DID, budget, 1L << 40, List.of(ProofType.MERKLE)));
        List<SignedReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            receipts.add(receipt(challenge, 2048));
        }

        List<Map<Bytes, AcceptResult>> results = race(threads, receipts);

        int stored = 0;
        for (SignedReceipt signed : receipts) {
            Bytes nonce = signed.receipt().receiptNonce();
            long wins = results.stream().filter(m -> m.get(nonce) instanceof AcceptResult.Stored).count();
            assertTrue(wins <= 1, "stored at most once");
            if (wins == 1) {
                stored++;
                assertTrue(results.stream().allMatch(m -> !(m.get(nonce) instanceof AcceptResult.BudgetExhausted)),
                        "a stored receipt's nonce answers NonceTaken, never BudgetExhausted");
            } else {
                assertTrue(results.stream().allMatch(m -> m.get(nonce) instanceof AcceptResult.BudgetExhausted));
                assertFalse(ledger.findByNonce(nonce).isPresent());
            }
        }
        assertEquals(budget, stored, "on " + engine());
        assertRows(budget, budget, budget);
        assertBudget(challenge, budget, budget * 2048L);
    }

    /** Concurrent accepts on a closed pool (grouped or alone) all answer store-unavailable, none a jOOQ exception. */
    @Test
    void concurrent_accepts_on_a_closed_pool_all_answer_store_unavailable() throws Exception {
        Persistence closed = Persistence.start(node.settings().withPool(1, node.settings().connectionTimeout()));
        closed.close();
        Challenge challenge = challenge(DID, 100, 1L << 40, List.of(ProofType.MERKLE));
        Map<Integer, Throwable> failures = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 32; i++) {
                int index = i;
                AcceptedReceipt accepted = accepted("down-" + i, receipt(challenge, 4096), T0);
                pool.submit(() -> {
                    start.await();
                    try {
                        closed.receiptLedger().accept(accepted);
                    } catch (RuntimeException e) {
                        failures.put(index, e);
                    }
                    return null;
                });
            }
            start.countDown();
        }
        assertEquals(32, failures.size(), "every caller failed");
        failures.values().forEach(e -> assertInstanceOf(StoreUnavailableException.class, e, e.toString()));
    }

    /**
     * Group commit: 96 callers at once (virtual threads, half per node) each accept one receipt, as
     * single-receipt submissions do; 4 challenges take 10 each and get 16 each, and 16 more callers reuse
     * a nonce of another with different bytes. Refused receipts share groups with stored ones and fail
     * none of them; every receipt answered Stored is already committed when its caller hears so.
     */
    @Test
    void concurrent_single_accepts_share_commits_without_failing_each_other_and_are_answered_only_after_commit() throws Exception {
        int budget = 10;
        List<Challenge> challenges = new ArrayList<>();
        List<SignedReceipt> receipts = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Challenge challenge = saved(challenge(c % 2 == 0 ? DID : OTHER_DID, budget, 1L << 40, List.of(ProofType.MERKLE)));
            challenges.add(challenge);
            for (int i = 0; i < 16; i++) {
                receipts.add(receipt(challenge, 2048));
            }
        }
        Challenge roomy = saved(challenge(DID, 1000, 1L << 40, List.of(ProofType.MERKLE)));
        List<SignedReceipt> originals = new ArrayList<>();
        List<SignedReceipt> impostors = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            SignedReceipt original = receipt(roomy, 4096);
            originals.add(original);
            impostors.add(receipt(roomy, 8192, original.receipt().receiptNonce()));
        }
        receipts.addAll(originals);
        receipts.addAll(impostors);

        Map<Integer, AcceptResult> results = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, Throwable> failures = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, Boolean> visibleOnReturn = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        // Two nodes share PostgreSQL; embedded H2 serves one node per data directory (README), where two
        // pools on one file only measure H2's lock timeouts.
        boolean twoNodes = engine().equals("PostgreSQL");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < receipts.size(); i++) {
                int index = i;
                ReceiptLedger via = (i % 2 == 0 || !twoNodes ? node : otherNode).receiptLedger();
                pool.submit(() -> {
                    start.await();
                    try {
                        AcceptResult result = via.accept(accepted("single-" + index, receipts.get(index), T0));
                        if (result instanceof AcceptResult.Stored) {
                            visibleOnReturn.put(index, dsl.fetchExists(RECEIPTS, RECEIPTS.RECEIPT_ID.eq("single-" + index)));
                        }
                        results.put(index, result);
                    } catch (RuntimeException e) {
                        failures.put(index, e);
                    }
                    return null;
                });
            }
            start.countDown();
        }

        assertEquals(Map.of(), failures, "no caller failed on " + engine());
        assertEquals(receipts.size(), results.size(), "every caller answered");
        assertTrue(visibleOnReturn.values().stream().allMatch(Boolean::booleanValue), "a Stored answer is committed: " + visibleOnReturn);
        for (int c = 0; c < 4; c++) {
            long stored = 0;
            for (int i = c * 16; i < (c + 1) * 16; i++) {
                AcceptResult result = results.get(i);
                assertTrue(result instanceof AcceptResult.Stored || result instanceof AcceptResult.BudgetExhausted, "receipt " + i + ": " + result);
                if (result instanceof AcceptResult.Stored) {
                    stored++;
                } else {
                    assertFalse(ledger.findByNonce(receipts.get(i).receipt().receiptNonce()).isPresent(), "a refused receipt left its nonce");
                }
            }
            assertEquals(budget, stored, "challenge " + c + " on " + engine());
            assertBudget(challenges.get(c), budget, budget * 2048L);
        }
        int firstOriginal = 64;
        for (int i = 0; i < 16; i++) {
            AcceptResult original = results.get(firstOriginal + i);
            AcceptResult impostor = results.get(firstOriginal + 16 + i);
            boolean originalWon = original instanceof AcceptResult.Stored;
            assertTrue(originalWon ^ impostor instanceof AcceptResult.Stored, "exactly one of a nonce's two receipts is stored");
            AcceptResult.NonceTaken loser = assertInstanceOf(AcceptResult.NonceTaken.class, originalWon ? impostor : original);
            assertEquals("single-" + (originalWon ? firstOriginal + i : firstOriginal + 16 + i), loser.existing().receiptId());
        }
        int stored = 4 * budget + 16;
        assertRows(stored, stored, stored);
        assertEquals(MERKLE_CREDIT.multiply(BigInteger.valueOf(stored)), sumOf(REWARD_ENTRIES.AMOUNT_ATOMS), "credited atoms");
    }

    /** Every thread accepts every receipt, in its own shuffled order; thread t uses node t % 2. */
    private List<Map<Bytes, AcceptResult>> race(int threads, List<SignedReceipt> receipts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<Bytes, AcceptResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                ReceiptLedger via = (t % 2 == 0 ? node : otherNode).receiptLedger();
                futures.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < receipts.size(); i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, new Random(thread));
                    Map<Bytes, AcceptResult> outcomes = new HashMap<>();
                    start.await();
                    for (int i : order) {
                        SignedReceipt signed = receipts.get(i);
                        outcomes.put(signed.receipt().receiptNonce(), via.accept(accepted(receiptId(i, thread), signed, T0)));
                    }
                    return outcomes;
                }));
            }
            start.countDown();
            List<Map<Bytes, AcceptResult>> results = new ArrayList<>();
            for (Future<Map<Bytes, AcceptResult>> future : futures) {
                results.add(future.get());
            }
            Set<Integer> sizes = new HashSet<>();
            results.forEach(m -> sizes.add(m.size()));
            assertEquals(Set.of(receipts.size()), sizes, "every thread has an answer for every receipt");
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private BigInteger sumOf(org.jooq.TableField<?, ? extends Number> field) {
        BigDecimal total = dsl.select(sum(field)).from(field.getTable()).fetchSingle().value1();
        return total.toBigIntegerExact();
    }

    private static String receiptId(int receipt, int thread) {
        return "rcpt-" + receipt + "-t" + thread;
    }

    @Test
    void a_batch_is_stored_in_one_call_each_receipt_judged_on_its_own_and_the_budget_never_exceeded() {
        Challenge small = saved(challenge(DID, 3, 1_000_000L, List.of(ProofType.MERKLE)));
        Challenge other = saved(challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE)));
        SignedReceipt taken = receipt(small, 1000);
        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(accepted("rcpt-0", taken, T0)));
        List<AcceptedReceipt> batch = new ArrayList<>();
        batch.add(accepted("rcpt-dup", receipt(small, 1000, taken.receipt().receiptNonce()), T0)); // nonce used
        for (int i = 1; i <= 4; i++) {
            batch.add(accepted("rcpt-s" + i, receipt(small, 1000), T0)); // only two more fit
        }
        for (int i = 1; i <= 3; i++) {
            batch.add(accepted("rcpt-o" + i, receipt(other, 1000), T0));
        }
        batch.add(accepted("rcpt-gone", receipt(challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE)), 1000), T0));

        List<AcceptResult> results = ledger.acceptAll(batch);

        assertEquals(9, results.size());
        assertInstanceOf(AcceptResult.NonceTaken.class, results.get(0));
        assertEquals(List.of(AcceptResult.Stored.class, AcceptResult.Stored.class, AcceptResult.BudgetExhausted.class,
                AcceptResult.BudgetExhausted.class), results.subList(1, 5).stream().map(Object::getClass).toList(),
                "in the batch's order, until the budget is used up");
        results.subList(5, 8).forEach(r -> assertInstanceOf(AcceptResult.Stored.class, r, "a refused neighbour undoes nothing"));
        assertEquals(new AcceptResult.BudgetExhausted(), results.get(8), "a challenge that is gone");
        assertBudget(small, 3, 3000);
        assertBudget(other, 3, 3000);
        assertRows(6, 6, 6);
        assertEquals(Map.of(), ledger.findByNonces(List.of(batch.get(3).signed().receipt().receiptNonce(), unique(32))),
                "a refused receipt's nonce is not consumed");
        assertEquals(2, ledger.findByNonces(List.of(batch.get(1).signed().receipt().receiptNonce(),
                batch.get(5).signed().receipt().receiptNonce(), unique(16))).size(), "one read finds many nonces");
    }

    @Test
    void long_key_lists_written_as_literals_find_and_lock_exactly_what_short_bound_ones_do() {
        // Ten challenges with room for one receipt each, two receipts per challenge: the group locks ten challenges,
        // gives ten refused nonces back and is read back with lists on both sides of KeyLists.LITERAL_FROM.
        List<AcceptedReceipt> batch = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            Challenge one = saved(challenge(DID, 1, 1_000_000L, List.of(ProofType.MERKLE)));
            batch.add(accepted("rcpt-l" + c + "a", receipt(one, 1000), T0));
            batch.add(accepted("rcpt-l" + c + "b", receipt(one, 1000), T0));
        }

        List<AcceptResult> results = ledger.acceptAll(batch);

        for (int i = 0; i < batch.size(); i++) {
            assertEquals(i % 2 == 0 ? new AcceptResult.Stored() : new AcceptResult.BudgetExhausted(), results.get(i), "receipt " + i);
        }
        assertRows(10, 10, 10);
        for (int size : new int[] {1, KeyLists.LITERAL_FROM - 1, KeyLists.LITERAL_FROM, batch.size()}) {
            List<Bytes> nonces = new ArrayList<>();
            batch.subList(0, size).forEach(a -> nonces.add(a.signed().receipt().receiptNonce()));
            nonces.add(unique(32));
            Map<Bytes, StoredReceipt> found = ledger.findByNonces(nonces);
            assertEquals((size + 1) / 2, found.size(), size + " nonces: the stored ones, not the refused or unknown");
            for (AcceptedReceipt a : batch.subList(0, size)) {
                StoredReceipt stored = found.get(a.signed().receipt().receiptNonce());
                if (a.receiptId().endsWith("a")) {
                    assertEquals(a.receiptId(), stored.receiptId());
                    assertEquals(a.canonicalBytes(), stored.canonicalBytes());
                    assertEquals(a.signed().signature(), stored.signature());
                } else {
                    assertNull(stored, "a refused receipt's nonce is not consumed");
                }
            }
        }
    }

    @Test
    void concurrent_small_pre_checks_sharing_statements_each_find_exactly_their_own_nonces() throws Exception {
        // 40 stored receipts; 32 callers at once each ask, 25 times, for a few of them and one unknown nonce: the
        // pre-checks are coalesced into shared statements, and each caller must get the rows of its own nonces only.
        Challenge challenge = saved(challenge(DID, 100, 1_000_000L, List.of(ProofType.MERKLE)));
        List<AcceptedReceipt> stored = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stored.add(accepted("rcpt-c" + i, receipt(challenge, 1000), T0));
        }
        ledger.acceptAll(stored).forEach(r -> assertInstanceOf(AcceptResult.Stored.class, r));
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> checks = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                long seed = c;
                checks.add(callers.submit(() -> {
                    Random random = new Random(seed);
                    start.await();
                    for (int round = 0; round < 25; round++) {
                        List<AcceptedReceipt> mine = new ArrayList<>();
                        for (int k = 1 + random.nextInt(5); k > 0; k--) {
                            mine.add(stored.get(random.nextInt(stored.size())));
                        }
                        List<Bytes> nonces = new ArrayList<>();
                        mine.forEach(a -> nonces.add(a.signed().receipt().receiptNonce()));
                        nonces.add(unique(32));
                        Map<Bytes, StoredReceipt> found = ledger.findByNonces(nonces);
                        Map<Bytes, String> ids = new HashMap<>();
                        found.forEach((nonce, receipt) -> ids.put(nonce, receipt.receiptId()));
                        Map<Bytes, String> expected = new HashMap<>();
                        mine.forEach(a -> expected.put(a.signed().receipt().receiptNonce(), a.receiptId()));
                        assertEquals(expected, ids, "caller " + seed + " round " + round);
                    }
                    return 25;
                }));
            }
            start.countDown();
            for (Future<Integer> check : checks) {
                assertEquals(25, check.get());
            }
        }
    }

    @Test
    void a_credit_never_lands_in_an_epoch_whose_payouts_exist() {
        Challenge challenge = saved(challenge(DID, 20, 1_000_000L, List.of(ProofType.MERKLE)));
        long epoch = T0.getEpochSecond() / 3600;
        // The epoch's payouts were made (for another client) while this receipt's transaction waited.
        dsl.insertInto(PAYOUTS).columns(PAYOUTS.PAYOUT_ID, PAYOUTS.CLIENT_DID, PAYOUTS.EPOCH, PAYOUTS.AMOUNT_ATOMS, PAYOUTS.STATUS,
                PAYOUTS.CREATED_AT, PAYOUTS.UPDATED_AT).values("p-1", OTHER_DID, epoch, BigInteger.ONE, "pending", T0, T0).execute();

        SignedReceipt late = receipt(challenge, 4096);
        SignedReceipt lateToo = receipt(challenge, 4096);
        assertInstanceOf(AcceptResult.Stored.class, ledger.accept(accepted("rcpt-late", late, T0)));
        ledger.acceptAll(List.of(accepted("rcpt-late-2", lateToo, T0)));

        for (String id : List.of("rcpt-late", "rcpt-late-2")) {
            assertEquals(epoch + 1, dsl.select(REWARD_ENTRIES.EPOCH).from(REWARD_ENTRIES).where(REWARD_ENTRIES.RECEIPT_ID.eq(id)).fetchSingle().value1(),
                    "the credit moved to the open epoch: " + id);
            assertEquals(epoch + 1, dsl.select(RECEIPTS.EPOCH).from(RECEIPTS).where(RECEIPTS.RECEIPT_ID.eq(id)).fetchSingle().value1());
        }
        SignedReceipt onTime = receipt(challenge, 4096);
        ledger.accept(accepted("rcpt-next", onTime, T0.plus(Duration.ofHours(2))));
        assertEquals(epoch + 2, dsl.select(REWARD_ENTRIES.EPOCH).from(REWARD_ENTRIES).where(REWARD_ENTRIES.RECEIPT_ID.eq("rcpt-next"))
                .fetchSingle().value1(), "a credit of an open epoch stays where it is");
    }

    @Test
    void what_is_kept_of_a_rejected_receipt_is_bounded_and_a_batch_of_rejections_is_one_call() {
        byte[] huge = new byte[20_000];
        new Random(7).nextBytes(huge);
        List<RejectedReceipt> rejections = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rejections.add(new RejectedReceipt("rej-" + i, Optional.of(DID), Optional.of(unique(32)), Optional.of(unique(32)),
                    RejectionReason.INVALID_SIGNATURE, "the signature does not verify", "ed25519", Bytes.of(huge), Bytes.of(huge), T0, false));
        }
        ledger.recordRejections(rejections);

        assertEquals(100, dsl.fetchCount(REJECTIONS));
        RejectionsRecord row = dsl.selectFrom(REJECTIONS).where(REJECTIONS.REJECTION_ID.eq("rej-7")).fetchSingle();
        assertArrayEquals(java.util.Arrays.copyOf(huge, 512), row.getSignedBytes(), "a prefix of the bytes");
        assertArrayEquals(java.util.Arrays.copyOf(huge, 64), row.getSignature(), "a prefix of the signature");
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256").digest(huge);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        assertArrayEquals(digest, row.getSignedBytesSha256(), "and the hash of all of them");
        assertArrayEquals(digest, row.getSignatureSha256());
        assertFalse(row.getAuthenticated());
    }

    private Challenge saved(Challenge challenge) {
        node.challengeStore().save(challenge);
        return challenge;
    }

    private void assertRows(int nonces, int receipts, int credits) {
        assertEquals(nonces, dsl.fetchCount(USED_NONCES), "used_nonces");
        assertEquals(receipts, dsl.fetchCount(RECEIPTS), "receipts");
        assertEquals(credits, dsl.fetchCount(REWARD_ENTRIES), "reward_entries");
    }

    /** The challenge's used budget; {@code usedBytes} -1 checks only the receipts. */
    private void assertBudget(Challenge challenge, int usedReceipts, long usedBytes) {
        ChallengesRecord row = dsl.selectFrom(CHALLENGES)
                .where(CHALLENGES.CHALLENGE_NONCE.eq(challenge.token().challengeNonce().toArray()))
                .fetchSingle();
        assertEquals(usedReceipts, row.getUsedReceipts(), "used_receipts");
        if (usedBytes >= 0) {
            assertEquals(usedBytes, row.getUsedBytes(), "used_bytes");
        }
    }
}
