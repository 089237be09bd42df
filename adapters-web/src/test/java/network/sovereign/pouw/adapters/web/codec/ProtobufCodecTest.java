package network.sovereign.pouw.adapters.web.codec;

import static network.sovereign.pouw.adapters.web.codec.CanonicalEncodingConformanceTest.deterministic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.adapters.web.codec.DecodedBatch.Entry;
import network.sovereign.pouw.adapters.web.codec.proto.PouwV1;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.Test;

class ProtobufCodecTest {

    private static final Bytes NONCE = Bytes.fromHex("00112233445566778899aabbccddeeff");

    private static Receipt receipt(Bytes nonce) {
        return new Receipt(1, Bytes.fromHex("0a".repeat(16)), "did:key:z6Mk", Bytes.fromHex("01"), Bytes.fromHex("02"),
                Bytes.fromHex("03"), ProofType.MERKLE, 4096, true, 1_700_000_000L, 1_700_000_010L, nonce,
                Bytes.fromHex("0b".repeat(16)), Optional.of(new Aux(Bytes.fromHex("aa"), Bytes.EMPTY)));
    }

    private static PouwV1.SignedReceipt signedProto(PouwV1.Receipt receipt) {
        return PouwV1.SignedReceipt.newBuilder().setReceipt(receipt).setSigScheme("ed25519")
                .setSignature(ByteString.copyFrom(new byte[64])).build();
    }

    private static PouwV1.ReceiptBatch batchOf(PouwV1.SignedReceipt... receipts) {
        return PouwV1.ReceiptBatch.newBuilder().setVersion(1).setClientDid("did:key:z6Mk")
                .setBatchNonce(ByteString.copyFrom(new byte[] {9})).addAllReceipts(List.of(receipts)).build();
    }

    private static UnknownFieldSet unknownFields() {
        return UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(5).build())
                .addField(15, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("extra")).build())
                .build();
    }

    @Test
    void unknown_fields_are_dropped_so_the_canonical_receipt_lacks_them() throws MalformedMessageException {
        PouwV1.Receipt clean = DomainToProto.receipt(receipt(NONCE));
        PouwV1.Receipt withUnknown = clean.toBuilder().setUnknownFields(unknownFields()).build();
        PouwV1.SignedReceipt signed = signedProto(withUnknown).toBuilder().setUnknownFields(unknownFields()).build();
        PouwV1.ReceiptBatch batch = batchOf(signed).toBuilder().setUnknownFields(unknownFields()).build();
        byte[] wire = deterministic(batch);
        byte[] receiptAsSent = deterministic(withUnknown);
        assertTrue(receiptAsSent.length > deterministic(clean).length, "the sent receipt really carries the unknown fields");

        DecodedBatch decoded = ProtobufCodec.decodeReceiptBatch(wire);

        Receipt received = ((Entry.Readable) decoded.entries().getFirst()).signed().receipt();
        assertEquals(receipt(NONCE), received);
        assertArrayEquals(deterministic(clean), CanonicalEncoding.encode(received));
        assertFalse(HexFormat.of().formatHex(CanonicalEncoding.encode(received)).contains(HexFormat.of().formatHex("extra".getBytes())));
        byte[] cleanBatch = deterministic(batchOf(signedProto(clean)));
        assertArrayEquals(cleanBatch, CanonicalEncoding.encode(decoded.readable()));
        assertTrue(wire.length > cleanBatch.length);
    }

    @Test
    void an_unknown_proof_type_number_makes_that_receipt_malformed_and_leaves_the_others_readable() throws MalformedMessageException {
        Bytes otherNonce = Bytes.fromHex("ff".repeat(16));
        PouwV1.Receipt unknownType = DomainToProto.receipt(receipt(NONCE)).toBuilder().setProofTypeValue(7).build();
        PouwV1.Receipt negativeType = DomainToProto.receipt(receipt(NONCE)).toBuilder().setProofTypeValue(-1).build();
        byte[] wire = deterministic(batchOf(signedProto(DomainToProto.receipt(receipt(otherNonce))), signedProto(unknownType),
                signedProto(negativeType)));

        DecodedBatch decoded = ProtobufCodec.decodeReceiptBatch(wire);

        assertEquals(3, decoded.entries().size());
        assertInstanceOf(Entry.Readable.class, decoded.entries().get(0));
        assertEquals(new Entry.Malformed(NONCE, "unknown proof_type 7"), decoded.entries().get(1));
        assertEquals(new Entry.Malformed(NONCE, "unknown proof_type -1"), decoded.entries().get(2));
        assertFalse(decoded.allReadable());
        assertEquals(List.of(receipt(otherNonce)), decoded.readable().receipts().stream().map(SignedReceipt::receipt).toList());
    }

    @Test
    void a_signed_receipt_without_its_receipt_is_malformed() throws MalformedMessageException {
        PouwV1.SignedReceipt noReceipt = PouwV1.SignedReceipt.newBuilder().setSigScheme("ed25519").build();
        PouwV1.SignedReceipt emptyReceipt = signedProto(PouwV1.Receipt.getDefaultInstance());

        DecodedBatch decoded = ProtobufCodec.decodeReceiptBatch(deterministic(batchOf(noReceipt, emptyReceipt)));

        assertEquals(new Entry.Malformed(Bytes.EMPTY, "signed receipt has no receipt"), decoded.entries().get(0));
        // A present but empty receipt is readable: the domain's shape rules reject it with their own reason.
        Receipt empty = ((Entry.Readable) decoded.entries().get(1)).signed().receipt();
        assertEquals(0, empty.version());
        assertEquals(0, CanonicalEncoding.encode(empty).length);
    }

    @Test
    void batch_fields_and_uint32_values_above_2_pow_31_survive_as_their_bits() throws MalformedMessageException {
        PouwV1.Receipt big = DomainToProto.receipt(receipt(NONCE)).toBuilder().setVersion(-2).setBytesVerified(-1L).build();
        PouwV1.ReceiptBatch batch = batchOf(signedProto(big)).toBuilder().setVersion(Integer.MIN_VALUE).build();

        DecodedBatch decoded = ProtobufCodec.decodeReceiptBatch(deterministic(batch));

        assertEquals(Integer.MIN_VALUE, decoded.version());
        assertEquals("did:key:z6Mk", decoded.clientDid());
        assertEquals(Bytes.fromHex("09"), decoded.batchNonce());
        Receipt received = decoded.readable().receipts().getFirst().receipt();
        assertEquals("4294967294", Integer.toUnsignedString(received.version()));
        assertEquals(-1L, received.bytesVerified());
        assertArrayEquals(deterministic(batch), CanonicalEncoding.encode(decoded.readable()));
    }

    @Test
    void an_empty_body_is_an_empty_batch_for_the_use_case_to_refuse() throws MalformedMessageException {
        DecodedBatch decoded = ProtobufCodec.decodeReceiptBatch(new byte[0]);
        assertEquals(new DecodedBatch(0, "", Bytes.EMPTY, List.of()), decoded);
    }

    @Test
    void unparseable_bodies_fail_with_a_one_line_detail_and_no_protobuf_stack_trace() {
        byte[][] bodies = {
            {0x0a, 0x05, 0x01},                    // field 1 declared as length-delimited and truncated
            {0x22, 0x05, 0x0a},                    // a receipt longer than the body
            {0x00},                                // tag zero
            {0x0f},                                // wire type 7
            {0x12, 0x01, (byte) 0xff},             // client_did is not UTF-8
            {0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, 0x01},     // an eleven-byte varint
        };
        for (byte[] body : bodies) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> ProtobufCodec.decodeReceiptBatch(body));
            String detail = e.getMessage();
            assertTrue(detail.startsWith("body is not a pouw.v1 ReceiptBatch: "), detail);
            assertFalse(detail.contains("\n") || detail.contains("com.google"), detail);
            assertTrue(detail.length() < 260, detail);
            assertEquals(0, e.getStackTrace().length);
            assertEquals(null, e.getCause());
        }
    }

    @Test
    void one_line_keeps_the_first_sentence() {
        assertEquals("While parsing a protocol message, the input ended unexpectedly in the middle of a field",
                ProtobufCodec.oneLine("While parsing a protocol message, the input ended unexpectedly in the middle of a field.  "
                        + "This could mean either that the input has been truncated or that an embedded message misreported its own length."));
        assertEquals("Protocol message had invalid UTF-8", ProtobufCodec.oneLine("Protocol message had invalid UTF-8."));
        assertEquals("unreadable", ProtobufCodec.oneLine(null));
        assertEquals("a b", ProtobufCodec.oneLine(" a\n\tb "));
        assertEquals(201, ProtobufCodec.oneLine("x".repeat(500)).length());
    }

    @Test
    void interleave_puts_malformed_results_back_in_their_places() {
        SignedReceipt first = new SignedReceipt(receipt(NONCE), "ed25519", Bytes.EMPTY);
        DecodedBatch decoded = new DecodedBatch(1, "did:key:z6Mk", Bytes.EMPTY, List.of(
                new Entry.Malformed(Bytes.EMPTY, "m1"), new Entry.Readable(first), new Entry.Malformed(NONCE, "m2"),
                new Entry.Readable(first)));

        assertEquals(2, decoded.readable().receipts().size());
        assertEquals(List.of("m1", "r1", "m2", "r2"), decoded.interleave(List.of("r1", "r2"), Entry.Malformed::detail));
        assertThrows(IllegalArgumentException.class, () -> decoded.interleave(List.of("r1"), Entry.Malformed::detail));
    }

    @Test
    void a_challenge_token_is_encoded_once_in_its_canonical_form_and_parses_back() throws Exception {
        ChallengeToken token = new ChallengeToken(1, Bytes.fromHex("11".repeat(32)), Bytes.fromHex("22".repeat(16)),
                Bytes.fromHex("33".repeat(32)), 1_700_000_000L, 1_700_000_600L,
                new Policy(100, 1L << 40, 1024, List.of(ProofType.HASH, ProofType.SIGNATURE)), Bytes.fromHex("44".repeat(64)));

        byte[] wire = ProtobufCodec.encode(token);

        assertArrayEquals(CanonicalEncoding.encode(token), wire);
        PouwV1.ChallengeToken parsed = PouwV1.ChallengeToken.parseFrom(wire);
        assertEquals(DomainToProto.token(token), parsed);
        assertEquals(List.of(PouwV1.ProofType.PROOF_HASH, PouwV1.ProofType.PROOF_SIGNATURE), parsed.getPolicy().getAllowedProofTypesList());
        assertArrayEquals(CanonicalEncoding.encodeForSigning(token), ProtobufCodec.encode(token.withSignature(Bytes.EMPTY)));
        // An all-default token still carries its (empty) policy: tag 7, length 0.
        ChallengeToken blank = new ChallengeToken(0, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, 0, 0, new Policy(0, 0, 0, List.of()), Bytes.EMPTY);
        assertEquals("3a00", HexFormat.of().formatHex(ProtobufCodec.encode(blank)));
    }
}
