package network.sovereign.pouw.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void the_eight_rejection_reasons_are_exactly_those_of_the_spec() {
        List<String> names = Arrays.stream(RejectionReason.values()).map(RejectionReason::wireName).toList();
        assertEquals(List.of("malformed_receipt", "unknown_client", "blocked_did", "invalid_signature",
                "invalid_challenge_binding", "expired_challenge", "policy_violation", "duplicate_nonce"), names);
        for (RejectionReason reason : RejectionReason.values()) {
            assertEquals(reason, RejectionReason.fromWireName(reason.wireName()).orElseThrow());
        }
        assertTrue(RejectionReason.fromWireName("MALFORMED_RECEIPT").isEmpty());
    }

    @Test
    void proof_types_keep_their_protobuf_numbers_and_json_names() {
        assertEquals(ProofType.HASH, ProofType.fromNumber(0).orElseThrow());
        assertEquals(ProofType.MERKLE, ProofType.fromNumber(1).orElseThrow());
        assertEquals(ProofType.SIGNATURE, ProofType.fromNumber(2).orElseThrow());
        assertTrue(ProofType.fromNumber(3).isEmpty());
        assertEquals(ProofType.MERKLE, ProofType.fromJsonName("merkle").orElseThrow());
        assertTrue(ProofType.fromJsonName("PROOF_HASH").isEmpty());
    }

    @Test
    void signature_schemes_carry_raw_fips_and_rfc_lengths() {
        assertEquals(32, SigScheme.ED25519.publicKeyLength());
        assertEquals(64, SigScheme.ED25519.signatureLength());
        assertEquals(1312, SigScheme.ML_DSA_44.publicKeyLength());
        assertEquals(2420, SigScheme.ML_DSA_44.signatureLength());
        assertEquals(1952, SigScheme.ML_DSA_65.publicKeyLength());
        assertEquals(3309, SigScheme.ML_DSA_65.signatureLength());
        assertEquals(2592, SigScheme.ML_DSA_87.publicKeyLength());
        assertEquals(4627, SigScheme.ML_DSA_87.signatureLength());
        assertEquals(2592, SigScheme.DILITHIUM5.publicKeyLength());
        assertEquals(4595, SigScheme.DILITHIUM5.signatureLength());
        assertEquals(SigScheme.DILITHIUM5, SigScheme.fromWireName("dilithium5").orElseThrow());
        assertTrue(SigScheme.fromWireName("ML-DSA-65").isEmpty());
    }

    @Test
    void dispute_types_are_exactly_those_of_the_spec() {
        assertEquals(List.of("RewardNotReceived", "IncorrectRewardAmount", "ReceiptWronglyRejected", "ChallengeNotIssued",
                "DoubleSpend", "Other"), Arrays.stream(DisputeType.values()).map(DisputeType::wireName).toList());
        for (DisputeType type : DisputeType.values()) {
            assertEquals(type, DisputeType.fromWireName(type.wireName()).orElseThrow());
        }
        assertTrue(DisputeType.fromWireName("other").isEmpty());
        assertTrue(DisputeType.fromWireName("OTHER").isEmpty());
    }

    @Test
    void resolution_types_lead_to_the_spec_statuses() {
        assertEquals(DisputeStatus.RESOLVED_FOR_CLAIMANT, DisputeResolutionType.fromWireName("ClaimantCorrect").orElseThrow().outcome());
        assertEquals(DisputeStatus.RESOLVED_FOR_CLAIMANT, DisputeResolutionType.fromWireName("PartialResolution").orElseThrow().outcome());
        assertEquals(DisputeStatus.RESOLVED_FOR_NODE, DisputeResolutionType.fromWireName("NodeCorrect").orElseThrow().outcome());
        assertEquals(DisputeStatus.CLOSED, DisputeResolutionType.fromWireName("Inconclusive").orElseThrow().outcome());
        assertTrue(DisputeResolutionType.fromWireName("claimantcorrect").isEmpty());
    }

    @Test
    void disputes_move_forward_only_and_settled_ones_never_change() {
        assertTrue(DisputeStatus.OPEN.canMoveTo(DisputeStatus.UNDER_INVESTIGATION));
        assertTrue(DisputeStatus.OPEN.canMoveTo(DisputeStatus.RESOLVED_FOR_CLAIMANT));
        assertTrue(DisputeStatus.OPEN.canMoveTo(DisputeStatus.REJECTED));
        assertFalse(DisputeStatus.OPEN.canMoveTo(DisputeStatus.OPEN));
        assertTrue(DisputeStatus.UNDER_INVESTIGATION.canMoveTo(DisputeStatus.CLOSED));
        assertFalse(DisputeStatus.UNDER_INVESTIGATION.canMoveTo(DisputeStatus.OPEN));
        assertFalse(DisputeStatus.UNDER_INVESTIGATION.canMoveTo(DisputeStatus.UNDER_INVESTIGATION));
        for (DisputeStatus settled : List.of(DisputeStatus.RESOLVED_FOR_CLAIMANT, DisputeStatus.RESOLVED_FOR_NODE,
                DisputeStatus.REJECTED, DisputeStatus.CLOSED)) {
            for (DisputeStatus next : DisputeStatus.values()) {
                assertFalse(settled.canMoveTo(next), settled + " -> " + next);
            }
        }
        for (DisputeResolutionType resolution : DisputeResolutionType.values()) {
            assertTrue(DisputeStatus.UNDER_INVESTIGATION.canMoveTo(resolution.outcome()), resolution.wireName());
        }
    }

    @Test
    void only_open_and_under_investigation_disputes_can_still_change() {
        assertFalse(DisputeStatus.OPEN.isFinal());
        assertFalse(DisputeStatus.UNDER_INVESTIGATION.isFinal());
        for (DisputeStatus status : List.of(DisputeStatus.RESOLVED_FOR_CLAIMANT, DisputeStatus.RESOLVED_FOR_NODE,
                DisputeStatus.REJECTED, DisputeStatus.CLOSED)) {
            assertTrue(status.isFinal(), status.wireName());
        }
        assertEquals(DisputeStatus.UNDER_INVESTIGATION, DisputeStatus.fromWireName("under_investigation").orElseThrow());
    }
}
