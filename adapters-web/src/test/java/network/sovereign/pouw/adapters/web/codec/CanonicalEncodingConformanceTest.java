package network.sovereign.pouw.adapters.web.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.Test;

/**
 * The byte-for-byte check: for many seeded random messages, the domain's pure-Java canonical encoding
 * equals protobuf-java's deterministic serialization of the same message built from the generated
 * classes, and binary bytes decoded by {@link ProtobufCodec} re-encode to exactly themselves.
 */
class CanonicalEncodingConformanceTest {

    private static final int MESSAGES = 10_000;
    private static final long SEED = 0x706F7577_7631L; // "pouwv1"

    /** protobuf-java's deterministic serialization, written out here so the test does not lean on production code. */
    static byte[] deterministic(MessageLite message) {
        byte[] out = new byte[message.getSerializedSize()];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        stream.useDeterministicSerialization();
        try {
            message.writeTo(stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stream.checkNoSpaceLeft();
        return out;
    }

    private static String hexPrefix(byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 96));
        return bytes.length > 96 ? hex + "…(" + bytes.length + " bytes)" : hex;
    }

    private static void assertSameBytes(byte[] expected, byte[] actual, String what, int index) {
        if (!java.util.Arrays.equals(expected, actual)) {
            assertArrayEquals(expected, actual, () -> what + " #" + index + " (seed " + SEED + ") differs: protobuf-java "
                    + hexPrefix(expected) + " vs canonical " + hexPrefix(actual));
        }
    }

    @Test
    void receipts_encode_exactly_as_protobuf_java_deterministic_serialization() {
        RandomMessages random = new RandomMessages(SEED);
        int withAux = 0;
        int withEmptyAux = 0;
        int above2pow63 = 0;
        for (int i = 0; i < MESSAGES; i++) {
            Receipt receipt = random.receipt();
            assertSameBytes(deterministic(DomainToProto.receipt(receipt)), CanonicalEncoding.encode(receipt), "receipt", i);
            withAux += receipt.aux().isPresent() ? 1 : 0;
            withEmptyAux += receipt.aux().filter(a -> a.merkleRoot().isEmpty() && a.proofDigest().isEmpty()).isPresent() ? 1 : 0;
            above2pow63 += receipt.bytesVerified() < 0 || receipt.startedAt() < 0 || receipt.finishedAt() < 0 ? 1 : 0;
        }
        // The generator really covers the edges it claims to.
        assertTrue(withAux > 1000 && withEmptyAux > 1000 && withAux < MESSAGES - 1000, withAux + " / " + withEmptyAux);
        assertTrue(above2pow63 > 1000, "uint64 values >= 2^63: " + above2pow63);
    }

    @Test
    void challenge_tokens_encode_exactly_as_protobuf_java_deterministic_serialization() {
        RandomMessages random = new RandomMessages(SEED + 1);
        int emptyPolicies = 0;
        for (int i = 0; i < MESSAGES; i++) {
            ChallengeToken token = random.token();
            assertSameBytes(deterministic(DomainToProto.token(token)), CanonicalEncoding.encode(token), "token", i);
            ChallengeToken unsigned = token.withSignature(network.sovereign.pouw.domain.Bytes.EMPTY);
            assertSameBytes(deterministic(DomainToProto.token(unsigned)), CanonicalEncoding.encodeForSigning(token), "token for signing", i);
            assertSameBytes(deterministic(DomainToProto.policy(token.policy())), CanonicalEncoding.encode(token.policy()), "policy", i);
            assertSameBytes(deterministic(DomainToProto.token(token)), ProtobufCodec.encode(token), "ProtobufCodec token", i);
            emptyPolicies += token.policy().allowedProofTypes().isEmpty() ? 1 : 0;
        }
        assertTrue(emptyPolicies > 1000 && emptyPolicies < MESSAGES - 1000, "empty allowed_proof_types: " + emptyPolicies);
    }

    @Test
    void signed_receipts_and_aux_encode_exactly_as_protobuf_java_deterministic_serialization() {
        RandomMessages random = new RandomMessages(SEED + 2);
        for (int i = 0; i < MESSAGES; i++) {
            SignedReceipt signed = random.signed();
            assertSameBytes(deterministic(DomainToProto.signed(signed)), CanonicalEncoding.encode(signed), "signed receipt", i);
            Optional<Aux> aux = signed.receipt().aux();
            if (aux.isPresent()) {
                assertSameBytes(deterministic(DomainToProto.aux(aux.get())), CanonicalEncoding.encode(aux.get()), "aux", i);
            }
        }
    }

    @Test
    void receipt_batches_encode_exactly_as_protobuf_java_deterministic_serialization() {
        RandomMessages random = new RandomMessages(SEED + 3);
        for (int i = 0; i < MESSAGES; i++) {
            ReceiptBatch batch = random.batch();
            assertSameBytes(deterministic(DomainToProto.batch(batch)), CanonicalEncoding.encode(batch), "batch", i);
        }
    }

    @Test
    void binary_batches_decode_and_re_encode_to_exactly_the_bytes_received() throws MalformedMessageException {
        RandomMessages random = new RandomMessages(SEED + 4);
        for (int i = 0; i < MESSAGES; i++) {
            ReceiptBatch sent = random.batch();
            byte[] wire = deterministic(DomainToProto.batch(sent));

            DecodedBatch decoded = ProtobufCodec.decodeReceiptBatch(wire);

            assertTrue(decoded.allReadable(), "batch #" + i);
            ReceiptBatch received = decoded.readable();
            assertEquals(sent, received, "batch #" + i);
            assertSameBytes(wire, CanonicalEncoding.encode(received), "round-tripped batch", i);
            List<SignedReceipt> receipts = received.receipts();
            for (int j = 0; j < receipts.size(); j++) {
                // What each client signed: the receipt's bytes as sent, re-encoded from the domain.
                assertSameBytes(deterministic(DomainToProto.receipt(sent.receipts().get(j).receipt())),
                        CanonicalEncoding.encode(receipts.get(j).receipt()), "round-tripped receipt " + j + " of batch", i);
            }
        }
    }

    @Test
    void the_policy_limits_the_domain_can_hold_cover_the_whole_non_negative_range() {
        Policy widest = new Policy(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, List.of());
        assertArrayEquals(deterministic(DomainToProto.policy(widest)), CanonicalEncoding.encode(widest));
    }
}
