package network.sovereign.pouw.adapters.web.codec;

import com.google.protobuf.ByteString;
import network.sovereign.pouw.adapters.web.codec.proto.PouwV1;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.SignedReceipt;

/** The test's own domain-to-generated-message mapping, independent of the production code under test. */
final class DomainToProto {

    private DomainToProto() {
    }

    static ByteString bs(Bytes value) {
        return ByteString.copyFrom(value.toArray());
    }

    static PouwV1.ProofType proofType(ProofType type) {
        return switch (type) {
            case HASH -> PouwV1.ProofType.PROOF_HASH;
            case MERKLE -> PouwV1.ProofType.PROOF_MERKLE;
            case SIGNATURE -> PouwV1.ProofType.PROOF_SIGNATURE;
        };
    }

    static PouwV1.Aux aux(Aux aux) {
        return PouwV1.Aux.newBuilder().setMerkleRoot(bs(aux.merkleRoot())).setProofDigest(bs(aux.proofDigest())).build();
    }

    static PouwV1.Receipt receipt(Receipt r) {
        PouwV1.Receipt.Builder builder = PouwV1.Receipt.newBuilder()
                .setVersion(r.version())
                .setTaskId(bs(r.taskId()))
                .setClientDid(r.clientDid())
                .setClientNodeId(bs(r.clientNodeId()))
                .setProviderId(bs(r.providerId()))
                .setContentId(bs(r.contentId()))
                .setProofType(proofType(r.proofType()))
                .setBytesVerified(r.bytesVerified())
                .setResultOk(r.resultOk())
                .setStartedAt(r.startedAt())
                .setFinishedAt(r.finishedAt())
                .setReceiptNonce(bs(r.receiptNonce()))
                .setChallengeNonce(bs(r.challengeNonce()));
        r.aux().ifPresent(a -> builder.setAux(aux(a)));
        return builder.build();
    }

    static PouwV1.Policy policy(Policy p) {
        PouwV1.Policy.Builder builder = PouwV1.Policy.newBuilder()
                .setMaxReceipts(p.maxReceipts())
                .setMaxBytesTotal(p.maxBytesTotal())
                .setMinBytesPerReceipt(p.minBytesPerReceipt());
        p.allowedProofTypes().forEach(t -> builder.addAllowedProofTypes(proofType(t)));
        return builder.build();
    }

    static PouwV1.ChallengeToken token(ChallengeToken t) {
        return PouwV1.ChallengeToken.newBuilder()
                .setVersion(t.version())
                .setNodeId(bs(t.nodeId()))
                .setTaskId(bs(t.taskId()))
                .setChallengeNonce(bs(t.challengeNonce()))
                .setIssuedAt(t.issuedAt())
                .setExpiresAt(t.expiresAt())
                .setPolicy(policy(t.policy()))
                .setNodeSignature(bs(t.nodeSignature()))
                .build();
    }

    static PouwV1.SignedReceipt signed(SignedReceipt s) {
        return PouwV1.SignedReceipt.newBuilder()
                .setReceipt(receipt(s.receipt()))
                .setSigScheme(s.sigScheme())
                .setSignature(bs(s.signature()))
                .build();
    }

    static PouwV1.ReceiptBatch batch(ReceiptBatch b) {
        PouwV1.ReceiptBatch.Builder builder = PouwV1.ReceiptBatch.newBuilder()
                .setVersion(b.version())
                .setClientDid(b.clientDid())
                .setBatchNonce(bs(b.batchNonce()));
        b.receipts().forEach(s -> builder.addReceipts(signed(s)));
        return builder.build();
    }
}
