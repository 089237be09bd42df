package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase.IssueChallengeCommand;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase.IssueChallengeResult;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase.Refusal;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.ProofType;
import org.junit.jupiter.api.Test;

class IssueChallengeServiceTest {

    private final ProtocolFixture f = new ProtocolFixture();

    private IssueChallengeResult issue(String did, Set<ProofType> types, OptionalInt receipts, OptionalLong bytes) {
        return f.issuer.issue(new IssueChallengeCommand(did, types, receipts, bytes));
    }

    private Refusal refusal(IssueChallengeResult result) {
        return assertInstanceOf(IssueChallengeResult.Refused.class, result).refusal();
    }

    @Test
    void a_challenge_is_signed_by_the_node_stored_and_counted() {
        IssueChallengeResult.Issued issued = assertInstanceOf(IssueChallengeResult.Issued.class,
                issue(ProtocolFixture.DID, Set.of(ProofType.SIGNATURE, ProofType.HASH), OptionalInt.empty(), OptionalLong.empty()));
        ChallengeToken token = issued.token();
        assertEquals(1, token.version());
        assertEquals(Bytes.of(f.nodeKey.nodeId()), token.nodeId());
        assertEquals(32, token.challengeNonce().length());
        assertEquals(16, token.taskId().length());
        assertEquals(ProtocolFixture.START.getEpochSecond(), token.issuedAt());
        assertEquals(token.issuedAt() + 300, token.expiresAt());
        assertEquals(List.of(ProofType.HASH, ProofType.SIGNATURE), token.policy().allowedProofTypes(), "in proto number order");
        assertEquals(5, token.policy().maxReceipts());
        assertEquals(10_000, token.policy().maxBytesTotal());
        assertEquals(1024, token.policy().minBytesPerReceipt());
        assertTrue(new Fakes.FakeSignatures().verify(f.nodeKey.scheme(), f.nodeKey.publicKey(),
                CanonicalEncoding.encodeForSigning(token), token.nodeSignature().toArray()), "signed over the token without its signature");
        assertArrayEquals(CanonicalEncoding.encode(token), issued.encoded());
        assertEquals(token, f.challenges.find(token.challengeNonce()).orElseThrow().token());
        assertEquals(1, f.metrics.challenges);
    }

    @Test
    void clients_may_ask_for_less_never_more() {
        ChallengeToken smaller = assertInstanceOf(IssueChallengeResult.Issued.class,
                issue(ProtocolFixture.DID, Set.of(ProofType.HASH), OptionalInt.of(2), OptionalLong.of(4096))).token();
        assertEquals(2, smaller.policy().maxReceipts());
        assertEquals(4096, smaller.policy().maxBytesTotal());
        assertEquals(Refusal.INVALID_REQUEST, refusal(issue(ProtocolFixture.DID, Set.of(ProofType.HASH), OptionalInt.of(6), OptionalLong.empty())));
        assertEquals(Refusal.INVALID_REQUEST, refusal(issue(ProtocolFixture.DID, Set.of(ProofType.HASH), OptionalInt.of(0), OptionalLong.empty())));
        assertEquals(Refusal.INVALID_REQUEST, refusal(issue(ProtocolFixture.DID, Set.of(ProofType.HASH), OptionalInt.empty(), OptionalLong.of(10_001))));
        assertEquals(Refusal.INVALID_REQUEST, refusal(issue(ProtocolFixture.DID, Set.of(), OptionalInt.empty(), OptionalLong.empty())));
    }

    @Test
    void unknown_blocked_and_malformed_dids_are_refused_and_nothing_is_stored() {
        assertEquals(Refusal.UNKNOWN_CLIENT, refusal(issue("did:sov:nobody", Set.of(ProofType.HASH), OptionalInt.empty(), OptionalLong.empty())));
        assertEquals(Refusal.INVALID_REQUEST, refusal(issue("alice", Set.of(ProofType.HASH), OptionalInt.empty(), OptionalLong.empty())));
        assertEquals(Refusal.INVALID_REQUEST, refusal(issue("did:sov:" + "x".repeat(250), Set.of(ProofType.HASH), OptionalInt.empty(), OptionalLong.empty())));
        f.clients.blocked.add(ProtocolFixture.DID);
        assertEquals(Refusal.BLOCKED_DID, refusal(issue(ProtocolFixture.DID, Set.of(ProofType.HASH), OptionalInt.empty(), OptionalLong.empty())));
        assertTrue(f.challenges.byNonce.isEmpty());
        assertEquals(0, f.metrics.challenges);
    }

    @Test
    void nonces_are_fresh() {
        ChallengeToken a = f.challenge(ProofType.HASH);
        ChallengeToken b = f.challenge(ProofType.HASH);
        assertNotEquals(a.challengeNonce(), b.challengeNonce());
        assertNotEquals(a.taskId(), b.taskId());
    }
}
