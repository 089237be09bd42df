package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase.BatchRefusal;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase.ReceiptOutcome;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase.SubmitOutcome;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SubmitReceiptsServiceTest {

    private final ProtocolFixture f = new ProtocolFixture();

    private List<ReceiptOutcome> submit(ReceiptBatch batch) {
        return assertInstanceOf(SubmitOutcome.Processed.class, f.submitter.submit(batch)).outcomes();
    }

    private ReceiptOutcome submitOne(SignedReceipt signed) {
        return submit(f.batch(signed)).getFirst();
    }

    private void assertRejected(RejectionReason reason, ReceiptOutcome outcome) {
        ReceiptOutcome.Rejected rejected = assertInstanceOf(ReceiptOutcome.Rejected.class, outcome, outcome.toString());
        assertEquals(reason, rejected.reason(), rejected.detail());
        // The answer names the stored rejection, so an operator can look it up (GET /receipts/{receipt_id}).
        assertEquals(f.ledger.rejected.getLast().rejectionId(), rejected.rejectionId().orElseThrow());
    }

    private static Receipt with(Receipt r, java.util.function.UnaryOperator<Object[]> change) {
        Object[] v = {r.version(), r.taskId(), r.clientDid(), r.clientNodeId(), r.providerId(), r.contentId(), r.proofType(),
                r.bytesVerified(), r.resultOk(), r.startedAt(), r.finishedAt(), r.receiptNonce(), r.challengeNonce(), r.aux()};
        v = change.apply(v);
        @SuppressWarnings("unchecked")
        Optional<network.sovereign.pouw.domain.Aux> aux = (Optional<network.sovereign.pouw.domain.Aux>) v[13];
        return new Receipt((int) v[0], (Bytes) v[1], (String) v[2], (Bytes) v[3], (Bytes) v[4], (Bytes) v[5], (ProofType) v[6],
                (long) v[7], (boolean) v[8], (long) v[9], (long) v[10], (Bytes) v[11], (Bytes) v[12], aux);
    }

    @AfterEach
    void every_receipt_seen_is_counted_once_as_accepted_rejected_or_replayed() {
        assertEquals(f.metrics.received, f.metrics.accepted + f.metrics.rejectedTotal() + f.metrics.replayed);
    }

    @Test
    void a_valid_receipt_is_accepted_stored_and_credited_by_its_weight() {
        ChallengeToken token = f.challenge(ProofType.HASH, ProofType.SIGNATURE);
        ReceiptOutcome outcome = submitOne(f.sign(f.receipt(token, ProofType.SIGNATURE, 2048)));
        ReceiptOutcome.Accepted accepted = assertInstanceOf(ReceiptOutcome.Accepted.class, outcome);
        assertEquals(false, accepted.replayed());
        assertEquals(ProtocolFixture.BASE.multiply(BigInteger.valueOf(3)), accepted.rewardAtoms());
        assertEquals(1, f.ledger.accepted.size());
        assertEquals(accepted.rewardAtoms(), f.ledger.credited);
        assertEquals(f.rewards.epochs().epochOf(ProtocolFixture.START), f.ledger.accepted.getFirst().epoch());
        assertEquals(1, f.challenges.find(token.challengeNonce()).orElseThrow().usedReceipts());
        assertEquals(2048, f.challenges.find(token.challengeNonce()).orElseThrow().usedBytes());
        assertEquals(1, f.metrics.accepted);
        assertEquals(1, f.metrics.verifications);
        assertEquals(3_000_000_000_000L, f.metrics.creditedAtoms);
    }

    @Test
    void an_identical_retry_is_a_replay_with_the_same_id_and_no_second_credit() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        SignedReceipt signed = f.sign(f.receipt(token, ProofType.HASH, 2048));
        ReceiptOutcome.Accepted first = assertInstanceOf(ReceiptOutcome.Accepted.class, submitOne(signed));
        ReceiptOutcome.Accepted again = assertInstanceOf(ReceiptOutcome.Accepted.class, submitOne(signed));
        assertTrue(again.replayed());
        assertEquals(first.receiptId(), again.receiptId());
        assertEquals(first.rewardAtoms(), again.rewardAtoms());
        assertEquals(1, f.ledger.accepted.size());
        assertEquals(1, f.metrics.replayed);
        assertEquals(0, f.metrics.rejectedTotal());
    }

    @Test
    void a_receipt_whose_identical_twin_took_the_last_budget_slot_on_another_node_is_a_replay() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        for (int i = 0; i < 4; i++) {
            submitOne(f.sign(f.receipt(token, ProofType.HASH, 2000)));
        }
        SignedReceipt last = f.sign(f.receipt(token, ProofType.HASH, 2000));
        ReceiptOutcome.Accepted first = assertInstanceOf(ReceiptOutcome.Accepted.class, submitOne(last));
        // The other node read the nonce before this acceptance committed: its pre-check saw nothing.
        f.ledger.hideFromPreCheck = true;
        ReceiptOutcome.Accepted twin = assertInstanceOf(ReceiptOutcome.Accepted.class, submitOne(last),
                "the budget is full, but the nonce decides first");
        assertTrue(twin.replayed());
        assertEquals(first.receiptId(), twin.receiptId());
    }

    @Test
    void another_receipt_reusing_a_nonce_is_duplicate_nonce() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        Receipt first = f.receipt(token, ProofType.HASH, 2048);
        submitOne(f.sign(first));
        Receipt reuse = with(f.receipt(token, ProofType.HASH, 4096), v -> { v[11] = first.receiptNonce(); return v; });
        assertRejected(RejectionReason.DUPLICATE_NONCE, submitOne(f.sign(reuse)));
        assertEquals(1, f.ledger.accepted.size());
        assertEquals(RejectionReason.DUPLICATE_NONCE, f.ledger.rejected.getFirst().reason());
    }

    @Test
    void the_same_nonce_twice_in_one_batch_is_accepted_once_then_replayed() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        SignedReceipt signed = f.sign(f.receipt(token, ProofType.HASH, 2048));
        List<ReceiptOutcome> outcomes = submit(f.batch(signed, signed));
        assertEquals(false, ((ReceiptOutcome.Accepted) outcomes.get(0)).replayed());
        assertEquals(true, ((ReceiptOutcome.Accepted) outcomes.get(1)).replayed());
    }

    @Test
    void malformed_receipts_name_what_is_wrong() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        Receipt good = f.receipt(token, ProofType.HASH, 2048);
        assertRejected(RejectionReason.MALFORMED_RECEIPT, submitOne(f.sign(with(good, v -> { v[0] = 2; return v; }))));
        assertRejected(RejectionReason.MALFORMED_RECEIPT, submitOne(f.sign(with(good, v -> { v[11] = f.randomBytes(15); return v; }))));
        assertRejected(RejectionReason.MALFORMED_RECEIPT, submitOne(f.sign(with(good, v -> { v[11] = f.randomBytes(33); return v; }))));
        assertRejected(RejectionReason.MALFORMED_RECEIPT, submitOne(f.sign(with(good, v -> { v[1] = Bytes.EMPTY; return v; }))));
        assertRejected(RejectionReason.MALFORMED_RECEIPT, submitOne(f.sign(with(good, v -> { v[5] = Bytes.EMPTY; return v; }))));
        assertRejected(RejectionReason.MALFORMED_RECEIPT, submitOne(f.sign(with(good, v -> { v[9] = 100L; v[10] = 99L; return v; }))));
        assertRejected(RejectionReason.MALFORMED_RECEIPT, submitOne(f.sign(with(good, v -> { v[2] = "did:sov:mallory"; return v; }))));
        ReceiptOutcome.Rejected version = (ReceiptOutcome.Rejected) submitOne(f.sign(with(good, v -> { v[0] = 7; return v; })));
        assertEquals("unsupported protocol version 7", version.detail());
        assertEquals(0, f.ledger.accepted.size());
        assertEquals(0, f.metrics.verifications, "shape is checked before any signature work");
    }

    @Test
    void bad_signatures_are_invalid_signature() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        Receipt receipt = f.receipt(token, ProofType.HASH, 2048);
        SignedReceipt good = f.sign(receipt);
        byte[] tampered = good.signature().toArray();
        tampered[0] ^= 1;
        assertRejected(RejectionReason.INVALID_SIGNATURE, submitOne(new SignedReceipt(receipt, "ed25519", Bytes.of(tampered))));
        assertRejected(RejectionReason.INVALID_SIGNATURE, submitOne(new SignedReceipt(receipt, "ml-dsa-65", good.signature())));
        assertRejected(RejectionReason.INVALID_SIGNATURE, submitOne(new SignedReceipt(receipt, "dilithium5", good.signature())));
        assertRejected(RejectionReason.INVALID_SIGNATURE, submitOne(new SignedReceipt(receipt, "rsa", good.signature())));
        assertRejected(RejectionReason.INVALID_SIGNATURE, submitOne(new SignedReceipt(receipt, "ed25519", f.randomBytes(63))));
        Receipt changed = with(receipt, v -> { v[7] = 4096L; return v; });
        assertRejected(RejectionReason.INVALID_SIGNATURE, submitOne(new SignedReceipt(changed, "ed25519", good.signature())));
        assertEquals(0, f.ledger.accepted.size());
    }

    @Test
    void challenge_binding_is_checked() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        Receipt good = f.receipt(token, ProofType.HASH, 2048);
        assertRejected(RejectionReason.INVALID_CHALLENGE_BINDING,
                submitOne(f.sign(with(good, v -> { v[12] = f.randomBytes(32); return v; }))));
        assertRejected(RejectionReason.INVALID_CHALLENGE_BINDING,
                submitOne(f.sign(with(good, v -> { v[1] = f.randomBytes(16); return v; }))));

        // A challenge issued to another enrolled DID cannot be answered by this one.
        f.clients.enrol(new ClientKey("did:sov:bob", SigScheme.ED25519, f.randomBytes(32)), ProtocolFixture.START);
        ChallengeToken bobs = ((network.sovereign.pouw.application.port.in.IssueChallengeUseCase.IssueChallengeResult.Issued) f.issuer.issue(
                new network.sovereign.pouw.application.port.in.IssueChallengeUseCase.IssueChallengeCommand("did:sov:bob",
                        java.util.Set.of(ProofType.HASH), java.util.OptionalInt.empty(), java.util.OptionalLong.empty()))).token();
        assertRejected(RejectionReason.INVALID_CHALLENGE_BINDING, submitOne(f.sign(f.receipt(bobs, ProofType.HASH, 2048))));
    }

    @Test
    void a_challenge_expires_after_its_ttl_plus_the_clock_skew() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        Receipt atDeadline = f.receipt(token, ProofType.HASH, 2048);
        f.clock.advance(Duration.ofSeconds(300 + 30));
        assertInstanceOf(ReceiptOutcome.Accepted.class, submitOne(f.sign(atDeadline)), "now == expires_at + skew is still in time");
        f.clock.advance(Duration.ofSeconds(1));
        assertRejected(RejectionReason.EXPIRED_CHALLENGE, submitOne(f.sign(f.receipt(token, ProofType.HASH, 2048))));
    }

    @Test
    void policy_and_budget_are_enforced() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        assertRejected(RejectionReason.POLICY_VIOLATION, submitOne(f.sign(f.receipt(token, ProofType.MERKLE, 2048))));
        assertRejected(RejectionReason.POLICY_VIOLATION, submitOne(f.sign(f.receipt(token, ProofType.HASH, 1023))));
        assertRejected(RejectionReason.POLICY_VIOLATION, submitOne(f.sign(f.receipt(token, ProofType.HASH, 10_001))));
        assertRejected(RejectionReason.POLICY_VIOLATION, submitOne(f.sign(f.receipt(token, ProofType.HASH, -1L))));
        // 5 receipts at most (settings cap), 10,000 bytes at most.
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(ReceiptOutcome.Accepted.class, submitOne(f.sign(f.receipt(token, ProofType.HASH, 2000))));
        }
        assertRejected(RejectionReason.POLICY_VIOLATION, submitOne(f.sign(f.receipt(token, ProofType.HASH, 2001))));
        assertInstanceOf(ReceiptOutcome.Accepted.class, submitOne(f.sign(f.receipt(token, ProofType.HASH, 2000))));
        assertRejected(RejectionReason.POLICY_VIOLATION, submitOne(f.sign(f.receipt(token, ProofType.HASH, 1024))));
        assertEquals(5, f.ledger.accepted.size());
        assertEquals(10_000, f.challenges.find(token.challengeNonce()).orElseThrow().usedBytes());
    }

    @Test
    void whole_batches_are_refused_for_unknown_blocked_oversized_empty_or_wrong_version() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        SignedReceipt signed = f.sign(f.receipt(token, ProofType.HASH, 2048));

        SubmitOutcome.Refused unknown = assertInstanceOf(SubmitOutcome.Refused.class,
                f.submitter.submit(new ReceiptBatch(1, "did:sov:nobody", Bytes.EMPTY, List.of(signed))));
        assertEquals(BatchRefusal.UNKNOWN_CLIENT, unknown.refusal());
        assertEquals(1, f.metrics.rejected(RejectionReason.UNKNOWN_CLIENT));

        f.clients.blocked.add(ProtocolFixture.DID);
        assertEquals(BatchRefusal.BLOCKED_DID, assertInstanceOf(SubmitOutcome.Refused.class, f.submitter.submit(f.batch(signed))).refusal());
        assertEquals(1, f.metrics.rejected(RejectionReason.BLOCKED_DID));
        f.clients.blocked.clear();

        SignedReceipt[] eleven = new SignedReceipt[11];
        java.util.Arrays.fill(eleven, signed);
        assertEquals(BatchRefusal.TOO_LARGE, assertInstanceOf(SubmitOutcome.Refused.class, f.submitter.submit(f.batch(eleven))).refusal());
        assertEquals(BatchRefusal.MALFORMED, assertInstanceOf(SubmitOutcome.Refused.class, f.submitter.submit(f.batch())).refusal());
        assertEquals(BatchRefusal.MALFORMED, assertInstanceOf(SubmitOutcome.Refused.class,
                f.submitter.submit(new ReceiptBatch(2, ProtocolFixture.DID, Bytes.EMPTY, List.of(signed)))).refusal());
        assertEquals(0, f.ledger.accepted.size());
        assertEquals(0, f.ledger.rejected.size(), "refused batches store nothing");
    }

    @Test
    void receipts_the_transport_could_not_read_count_for_the_whole_batch_checks() {
        SubmitOutcome.Refused unknown = assertInstanceOf(SubmitOutcome.Refused.class,
                f.submitter.submit(new ReceiptBatch(1, "did:sov:nobody", Bytes.EMPTY, List.of()), 3));
        assertEquals(BatchRefusal.UNKNOWN_CLIENT, unknown.refusal());
        assertEquals(3, f.metrics.rejected(RejectionReason.UNKNOWN_CLIENT), "each unreadable receipt counted once, as unknown_client");

        f.clients.blocked.add(ProtocolFixture.DID);
        assertEquals(BatchRefusal.BLOCKED_DID, assertInstanceOf(SubmitOutcome.Refused.class, f.submitter.submit(f.batch(), 1)).refusal());
        f.clients.blocked.clear();

        assertEquals(BatchRefusal.TOO_LARGE, assertInstanceOf(SubmitOutcome.Refused.class, f.submitter.submit(f.batch(), 11)).refusal());
        SubmitOutcome.Processed none = assertInstanceOf(SubmitOutcome.Processed.class, f.submitter.submit(f.batch(), 2));
        assertEquals(List.of(), none.outcomes(), "an enrolled DID's unreadable receipts are the transport's to reject");
        assertThrows(IllegalArgumentException.class, () -> f.submitter.submit(f.batch(), -1));
        assertEquals(0, f.ledger.rejected.size());
    }

    @Test
    void each_receipt_in_a_batch_gets_its_own_outcome_in_order() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        SignedReceipt ok = f.sign(f.receipt(token, ProofType.HASH, 2048));
        SignedReceipt small = f.sign(f.receipt(token, ProofType.HASH, 10));
        List<ReceiptOutcome> outcomes = submit(f.batch(ok, small));
        assertInstanceOf(ReceiptOutcome.Accepted.class, outcomes.get(0));
        assertRejected(RejectionReason.POLICY_VIOLATION, outcomes.get(1));
        assertEquals(small.receipt().receiptNonce(), outcomes.get(1).receiptNonce());
        assertEquals(2, f.metrics.processed);
    }
}
