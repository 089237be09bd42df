package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase.ReceiptOutcome;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase.SubmitOutcome;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.Test;

/**
 * What a client without the DID's key can make the submit path do (issue "hostile clients"): no
 * replay answer without the original signature, no nonce oracle, no permits of someone else's DID, no
 * unbounded rejection rows, no receipt times outside the challenge's window.
 */
class SubmitHostileClientsTest {

    private static final String BOB = "did:sov:bob";

    private final ProtocolFixture f = new ProtocolFixture();
    private final Bytes bobKey = f.randomBytes(32);

    SubmitHostileClientsTest() {
        f.clients.enrol(new ClientKey(BOB, SigScheme.ED25519, bobKey), ProtocolFixture.START);
    }

    private List<ReceiptOutcome> submit(ReceiptBatch batch, String origin) {
        return assertInstanceOf(SubmitOutcome.Processed.class, f.submitter.submit(batch, 0, origin)).outcomes();
    }

    private static Receipt with(Receipt r, UnaryOperator<Object[]> change) {
        Object[] v = {r.version(), r.taskId(), r.clientDid(), r.clientNodeId(), r.providerId(), r.contentId(), r.proofType(),
                r.bytesVerified(), r.resultOk(), r.startedAt(), r.finishedAt(), r.receiptNonce(), r.challengeNonce(), r.aux()};
        v = change.apply(v);
        @SuppressWarnings("unchecked")
        Optional<Aux> aux = (Optional<Aux>) v[13];
        return new Receipt((int) v[0], (Bytes) v[1], (String) v[2], (Bytes) v[3], (Bytes) v[4], (Bytes) v[5], (ProofType) v[6],
                (long) v[7], (boolean) v[8], (long) v[9], (long) v[10], (Bytes) v[11], (Bytes) v[12], aux);
    }

    private SignedReceipt forged(Receipt receipt) {
        return new SignedReceipt(receipt, "ed25519", f.randomBytes(64));
    }

    private static ReceiptOutcome.Rejected rejected(RejectionReason reason, ReceiptOutcome outcome) {
        ReceiptOutcome.Rejected rejected = assertInstanceOf(ReceiptOutcome.Rejected.class, outcome, outcome.toString());
        assertEquals(reason, rejected.reason(), rejected.detail());
        return rejected;
    }

    @Test
    void an_accepted_receipt_resent_with_another_signature_is_not_a_replay() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        SignedReceipt signed = f.sign(f.receipt(token, ProofType.HASH, 2048));
        assertInstanceOf(ReceiptOutcome.Accepted.class, submit(f.batch(signed), "10.0.0.1").getFirst());

        for (Bytes signature : List.of(Bytes.of(new byte[64]), Bytes.of(new byte[] {1}), f.randomBytes(64))) {
            rejected(RejectionReason.INVALID_SIGNATURE,
                    submit(f.batch(new SignedReceipt(signed.receipt(), "ed25519", signature)), "10.0.0.1").getFirst());
        }
        rejected(RejectionReason.INVALID_SIGNATURE,
                submit(f.batch(new SignedReceipt(signed.receipt(), "ml-dsa-65", signed.signature())), "10.0.0.1").getFirst());
        ReceiptOutcome.Accepted again = assertInstanceOf(ReceiptOutcome.Accepted.class, submit(f.batch(signed), "10.0.0.1").getFirst());
        assertTrue(again.replayed(), "the same bytes with the same signature are still a replay");
        assertEquals(1, f.ledger.accepted.size());
    }

    @Test
    void probing_a_used_nonce_from_another_did_with_a_bad_signature_learns_invalid_signature_only() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        SignedReceipt alices = f.sign(f.receipt(token, ProofType.HASH, 2048));
        submit(f.batch(alices), "10.0.0.1");

        Receipt probe = with(alices.receipt(), v -> { v[2] = BOB; return v; });
        ReceiptOutcome outcome = submit(new ReceiptBatch(1, BOB, f.randomBytes(16), List.of(forged(probe))), "10.6.6.6").getFirst();
        rejected(RejectionReason.INVALID_SIGNATURE, outcome);
        RejectedReceipt row = f.ledger.rejected.getLast();
        assertEquals(Optional.of(BOB), row.clientDid(), "a rejection belongs to the batch's DID");
        assertFalse(row.authenticated(), "and says nobody proved it came from that DID");
    }

    @Test
    void the_did_permit_is_spent_only_by_a_batch_whose_signature_verified() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        for (int i = 0; i < 5; i++) {
            submit(f.batch(forged(f.receipt(token, ProofType.HASH, 2048))), "10.6.6.6");
        }
        assertEquals(List.of(), f.throttle.admitted, "forged batches naming the DID spend none of its permits");

        f.throttle.didPermits = 1;
        assertInstanceOf(ReceiptOutcome.Accepted.class, submit(f.batch(f.sign(f.receipt(token, ProofType.HASH, 2048))), "10.0.0.1").getFirst());
        assertEquals(List.of(ProtocolFixture.DID), f.throttle.admitted, "one permit per authenticated batch");

        int rejectionsBefore = f.ledger.rejected.size();
        SubmitOutcome throttled = f.submitter.submit(f.batch(f.sign(f.receipt(token, ProofType.HASH, 2048)),
                forged(f.receipt(token, ProofType.HASH, 2048))), 0, "10.0.0.1");
        assertEquals(new SubmitOutcome.Throttled(17), throttled);
        assertEquals(1, f.ledger.accepted.size(), "a throttled batch stores nothing");
        assertEquals(rejectionsBefore, f.ledger.rejected.size());
    }

    @Test
    void unauthenticated_rejections_are_stored_only_within_the_budget_and_all_are_answered() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        f.throttle.storableRejections = 2;
        SignedReceipt[] garbage = new SignedReceipt[5];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = forged(f.receipt(token, ProofType.HASH, 2048));
        }
        List<ReceiptOutcome> outcomes = submit(f.batch(garbage), "10.6.6.6");

        assertEquals(5, outcomes.size());
        long stored = outcomes.stream().map(o -> rejected(RejectionReason.INVALID_SIGNATURE, o))
                .filter(r -> r.rejectionId().isPresent()).count();
        assertEquals(2, stored, "the answer names only the rejections that were stored");
        assertEquals(2, f.ledger.rejected.size());
        assertEquals(List.of("10.6.6.6"), f.throttle.origins, "the budget is asked once per batch, with the client address");

        // The DID's own (signed) rejections are never dropped by that budget.
        SignedReceipt ownPolicyViolation = f.sign(f.receipt(token, ProofType.MERKLE, 2048));
        ReceiptOutcome.Rejected own = rejected(RejectionReason.POLICY_VIOLATION, submit(f.batch(ownPolicyViolation), "10.0.0.1").getFirst());
        assertTrue(own.rejectionId().isPresent());
        assertTrue(f.ledger.rejected.getLast().authenticated());
    }

    @Test
    void receipt_times_must_lie_within_the_challenges_window() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        long now = f.clock.instant().getEpochSecond();
        Receipt good = f.receipt(token, ProofType.HASH, 2048);

        rejected(RejectionReason.POLICY_VIOLATION, submit(f.batch(f.sign(with(good, v -> { v[9] = 1L; return v; }))), "a").getFirst());
        rejected(RejectionReason.POLICY_VIOLATION, submit(f.batch(f.sign(with(good, v -> { v[9] = now - 31; v[11] = f.randomBytes(16); return v; }))), "a").getFirst());
        rejected(RejectionReason.POLICY_VIOLATION, submit(f.batch(f.sign(with(good, v -> { v[10] = Long.MAX_VALUE; v[11] = f.randomBytes(16);
            return v; }))), "a").getFirst());
        rejected(RejectionReason.POLICY_VIOLATION, submit(f.batch(f.sign(with(good, v -> { v[10] = -1L; v[11] = f.randomBytes(16);
            return v; }))), "a").getFirst());
        assertInstanceOf(ReceiptOutcome.Accepted.class, submit(f.batch(f.sign(with(good, v -> { v[9] = now - 30; v[10] = now + 30;
            v[11] = f.randomBytes(16); return v; }))), "a").getFirst(), "issued_at - skew <= started_at <= finished_at <= now + skew");
        assertEquals(1, f.ledger.accepted.size());
    }

    @Test
    void the_ledger_sees_one_call_per_batch_for_the_replay_check_and_the_rejections() {
        ChallengeToken token = f.challenge(ProofType.HASH);
        SignedReceipt[] mixed = {f.sign(f.receipt(token, ProofType.HASH, 2000)), forged(f.receipt(token, ProofType.HASH, 2000)),
            f.sign(f.receipt(token, ProofType.MERKLE, 2000)), f.sign(f.receipt(token, ProofType.HASH, 2000))};
        f.ledger.calls.clear();
        submit(f.batch(mixed), "10.0.0.1");
        assertEquals(List.of("findByNonces", "acceptAll", "recordRejections"), f.ledger.calls);
        assertEquals(2, f.ledger.accepted.size());
        assertEquals(2, f.ledger.rejected.size());
    }
}
