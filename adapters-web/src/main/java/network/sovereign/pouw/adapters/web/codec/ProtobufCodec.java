package network.sovereign.pouw.adapters.web.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.adapters.web.codec.DecodedBatch.Entry;
import network.sovereign.pouw.adapters.web.codec.proto.PouwV1;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * The binary (protobuf) transport of pouw.v1: decodes a {@code ReceiptBatch} body into the domain and
 * encodes a domain {@code ChallengeToken}, always with deterministic serialization.
 *
 * <p>Unknown fields are dropped when a message becomes a domain value, so the canonical re-encoding of
 * a receipt never contains them (SPEC §2.2). A receipt the domain cannot hold (an unknown
 * {@code proof_type} number, a signed receipt without its {@code receipt}) becomes a
 * {@link DecodedBatch.Entry.Malformed} entry; every other range and shape check is the domain's
 * ({@code ReceiptRules}).
 */
public final class ProtobufCodec {

    private static final int MAX_DETAIL_LENGTH = 200;

    private ProtobufCodec() {
    }

    /**
     * Decodes a binary pouw.v1 {@code ReceiptBatch}.
     *
     * @throws MalformedMessageException when the bytes are not a parseable {@code ReceiptBatch}
     *                                   (truncated, a bad tag or wire type, invalid UTF-8 in a string)
     */
    public static DecodedBatch decodeReceiptBatch(byte[] body) throws MalformedMessageException {
        PouwV1.ReceiptBatch batch;
        try {
            batch = PouwV1.ReceiptBatch.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("body is not a pouw.v1 ReceiptBatch: " + oneLine(e.getMessage()));
        }
        return fromProto(batch);
    }

    /** The binary pouw.v1 {@code ChallengeToken}: the same bytes as the domain's canonical encoding. */
    public static byte[] encode(ChallengeToken token) {
        return serializeDeterministically(toProto(token));
    }

    /** Maps a parsed batch into the domain, receipt by receipt. */
    static DecodedBatch fromProto(PouwV1.ReceiptBatch batch) {
        List<Entry> entries = new ArrayList<>(batch.getReceiptsCount());
        for (PouwV1.SignedReceipt signed : batch.getReceiptsList()) {
            entries.add(entry(signed));
        }
        return new DecodedBatch(batch.getVersion(), batch.getClientDid(), bytes(batch.getBatchNonce()), entries);
    }

    private static Entry entry(PouwV1.SignedReceipt signed) {
        if (!signed.hasReceipt()) {
            return new Entry.Malformed(Bytes.EMPTY, "signed receipt has no receipt");
        }
        PouwV1.Receipt r = signed.getReceipt();
        Bytes receiptNonce = bytes(r.getReceiptNonce());
        Optional<ProofType> proofType = ProofType.fromNumber(r.getProofTypeValue());
        if (proofType.isEmpty()) {
            return new Entry.Malformed(receiptNonce, "unknown proof_type " + r.getProofTypeValue());
        }
        Optional<Aux> aux = r.hasAux()
                ? Optional.of(new Aux(bytes(r.getAux().getMerkleRoot()), bytes(r.getAux().getProofDigest())))
                : Optional.empty();
        Receipt receipt = new Receipt(r.getVersion(), bytes(r.getTaskId()), r.getClientDid(), bytes(r.getClientNodeId()),
                bytes(r.getProviderId()), bytes(r.getContentId()), proofType.get(), r.getBytesVerified(), r.getResultOk(),
                r.getStartedAt(), r.getFinishedAt(), receiptNonce, bytes(r.getChallengeNonce()), aux);
        return new Entry.Readable(new SignedReceipt(receipt, signed.getSigScheme(), bytes(signed.getSignature())));
    }

    /** The generated message for a domain challenge token. */
    static PouwV1.ChallengeToken toProto(ChallengeToken token) {
        Policy policy = token.policy();
        PouwV1.Policy.Builder protoPolicy = PouwV1.Policy.newBuilder()
                .setMaxReceipts(policy.maxReceipts())
                .setMaxBytesTotal(policy.maxBytesTotal())
                .setMinBytesPerReceipt(policy.minBytesPerReceipt());
        for (ProofType type : policy.allowedProofTypes()) {
            protoPolicy.addAllowedProofTypesValue(type.number());
        }
        return PouwV1.ChallengeToken.newBuilder()
                .setVersion(token.version())
                .setNodeId(byteString(token.nodeId()))
                .setTaskId(byteString(token.taskId()))
                .setChallengeNonce(byteString(token.challengeNonce()))
                .setIssuedAt(token.issuedAt())
                .setExpiresAt(token.expiresAt())
                .setPolicy(protoPolicy)
                .setNodeSignature(byteString(token.nodeSignature()))
                .build();
    }

    /** protobuf-java's deterministic serialization of a message. */
    static byte[] serializeDeterministically(MessageLite message) {
        byte[] out = new byte[message.getSerializedSize()];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        stream.useDeterministicSerialization();
        try {
            message.writeTo(stream);
        } catch (IOException e) {
            throw new UncheckedIOException("writing into an array of the message's own size failed", e);
        }
        stream.checkNoSpaceLeft();
        return out;
    }

    private static Bytes bytes(ByteString value) {
        return value.isEmpty() ? Bytes.EMPTY : Bytes.of(value.toByteArray());
    }

    private static ByteString byteString(Bytes value) {
        return value.isEmpty() ? ByteString.EMPTY : ByteString.copyFrom(value.toArray());
    }

    /** The first sentence of protobuf's message, on one line and short. */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable";
        }
        String text = message.strip().replaceAll("\\s+", " ");
        int sentenceEnd = text.indexOf(". ");
        if (sentenceEnd >= 0) {
            text = text.substring(0, sentenceEnd);
        }
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.length() <= MAX_DETAIL_LENGTH ? text : text.substring(0, MAX_DETAIL_LENGTH) + "…";
    }
}
