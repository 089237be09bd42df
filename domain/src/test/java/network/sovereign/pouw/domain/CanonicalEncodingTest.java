package network.sovereign.pouw.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hand-computed byte vectors for the canonical (deterministic proto3) encoding. */
class CanonicalEncodingTest {

    private static final HexFormat HEX = HexFormat.of();

    private static Bytes b(String hex) {
        return Bytes.fromHex(hex);
    }

    private static void assertHex(String expectedHex, byte[] actual) {
        assertEquals(expectedHex.replace(" ", ""), HEX.formatHex(actual));
    }

    /** A receipt with every field at its default, aux absent. */
    private static Receipt empty() {
        return receipt(0, "", 0, Optional.empty());
    }

    private static Receipt receipt(int version, String did, long bytesVerified, Optional<Aux> aux) {
        return new Receipt(version, Bytes.EMPTY, did, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, ProofType.HASH,
                bytesVerified, false, 0, 0, Bytes.EMPTY, Bytes.EMPTY, aux);
    }

    @Test
    void a_receipt_with_only_version_1_is_08_01() {
        assertHex("0801", CanonicalEncoding.encode(receipt(1, "", 0, Optional.empty())));
    }

    @Test
    void a_receipt_with_every_field_at_its_default_is_empty() {
        assertEquals(0, CanonicalEncoding.encode(empty()).length);
    }

    @Test
    void a_present_empty_aux_is_written_as_tag_and_length_zero_an_absent_one_not_at_all() {
        Aux emptyAux = new Aux(Bytes.EMPTY, Bytes.EMPTY);
        assertHex("7200", CanonicalEncoding.encode(receipt(0, "", 0, Optional.of(emptyAux))));
        assertHex("0801 7200", CanonicalEncoding.encode(receipt(1, "", 0, Optional.of(emptyAux))));
        assertHex("", CanonicalEncoding.encode(receipt(0, "", 0, Optional.empty())));
        assertEquals(0, CanonicalEncoding.encode(emptyAux).length);
        assertHex("0a0106 1202abcd", CanonicalEncoding.encode(new Aux(b("06"), b("abcd"))));
    }

    @Test
    void every_receipt_field_in_number_order() {
        Receipt r = new Receipt(1, b("0a0b"), "did:k", b("01"), b("02"), b("03"), ProofType.MERKLE, 300, true, 1, 2,
                b("04"), b("05"), Optional.of(new Aux(b("06"), Bytes.EMPTY)));
        assertHex("0801 12020a0b 1a056469643a6b 220101 2a0102 320103 3801 40ac02 4801 5001 5802 620104 6a0105 7203 0a0106",
                CanonicalEncoding.encode(r));
    }

    @Test
    void uint64_values_at_and_above_2_pow_63_are_ten_byte_varints() {
        assertHex("40 ffffffffffffffffff01", CanonicalEncoding.encode(receipt(0, "", -1L, Optional.empty())));
        assertHex("40 80808080808080808001", CanonicalEncoding.encode(receipt(0, "", Long.MIN_VALUE, Optional.empty())));
        assertHex("40 ffffffffffffffff7f", CanonicalEncoding.encode(receipt(0, "", Long.MAX_VALUE, Optional.empty())));
        assertHex("40 7f", CanonicalEncoding.encode(receipt(0, "", 127, Optional.empty())));
        assertHex("40 8001", CanonicalEncoding.encode(receipt(0, "", 128, Optional.empty())));
    }

    @Test
    void uint32_values_above_2_pow_31_are_unsigned_five_byte_varints() {
        assertHex("08 ffffffff0f", CanonicalEncoding.encode(receipt(-1, "", 0, Optional.empty())));
        assertHex("08 8080808008", CanonicalEncoding.encode(receipt(Integer.MIN_VALUE, "", 0, Optional.empty())));
    }

    @Test
    void allowed_proof_types_are_packed_in_the_order_issued_and_omitted_when_empty() {
        Policy policy = new Policy(10, 0, 1, List.of(ProofType.HASH, ProofType.SIGNATURE, ProofType.HASH));
        assertHex("080a 1801 2203000200", CanonicalEncoding.encode(policy));
        assertHex("2201 01", CanonicalEncoding.encode(new Policy(0, 0, 0, List.of(ProofType.MERKLE))));
        assertEquals(0, CanonicalEncoding.encode(new Policy(0, 0, 0, List.of())).length);
        assertHex("08ac02 10ffffffffffffffff7f", CanonicalEncoding.encode(new Policy(300, Long.MAX_VALUE, 0, List.of())));
    }

    @Test
    void a_challenge_token_always_carries_its_policy_and_is_signed_without_its_signature() {
        ChallengeToken token = new ChallengeToken(1, b("aa"), b("bb"), b("cc"), 100, 200, new Policy(0, 0, 0, List.of()), b("ddee"));
        assertHex("0801 1201aa 1a01bb 2201cc 2864 30c801 3a00 4202ddee", CanonicalEncoding.encode(token));
        assertHex("0801 1201aa 1a01bb 2201cc 2864 30c801 3a00", CanonicalEncoding.encodeForSigning(token));
        assertArrayEquals(CanonicalEncoding.encode(token.withSignature(Bytes.EMPTY)), CanonicalEncoding.encodeForSigning(token));
    }

    @Test
    void a_signed_receipt_nests_its_receipt_which_is_always_present() {
        SignedReceipt signed = new SignedReceipt(receipt(1, "", 0, Optional.empty()), "ed25519", b("0102"));
        assertHex("0a020801 1207" + HEX.formatHex("ed25519".getBytes(StandardCharsets.US_ASCII)) + " 1a020102",
                CanonicalEncoding.encode(signed));
        assertHex("0a00", CanonicalEncoding.encode(new SignedReceipt(empty(), "", Bytes.EMPTY)));
    }

    @Test
    void a_batch_writes_each_signed_receipt_even_an_empty_one() {
        SignedReceipt blank = new SignedReceipt(empty(), "", Bytes.EMPTY);
        assertHex("0801 120164 22020a00 22020a00", CanonicalEncoding.encode(new ReceiptBatch(1, "d", Bytes.EMPTY, List.of(blank, blank))));
        assertEquals(0, CanonicalEncoding.encode(new ReceiptBatch(0, "", Bytes.EMPTY, List.of())).length);
        assertHex("1a02beef", CanonicalEncoding.encode(new ReceiptBatch(0, "", b("beef"), List.of())));
    }

    @Test
    void lengths_of_128_or_more_take_several_varint_bytes() {
        byte[] content = new byte[300];
        content[299] = 7;
        byte[] encoded = CanonicalEncoding.encode(new ReceiptBatch(0, "", Bytes.of(content), List.of()));
        assertEquals(3 + 300, encoded.length);
        assertHex("1aac02", java.util.Arrays.copyOf(encoded, 3));
        assertEquals(7, encoded[302]);
    }

    @Test
    void strings_are_utf8_with_unpaired_surrogates_as_question_marks() {
        assertHex("1a02c3a9", CanonicalEncoding.encode(receipt(0, "é", 0, Optional.empty())));
        assertHex("1a03e282ac", CanonicalEncoding.encode(receipt(0, "€", 0, Optional.empty())));
        assertHex("1a04f09f9880", CanonicalEncoding.encode(receipt(0, "😀", 0, Optional.empty())));
        assertHex("1a023f78", CanonicalEncoding.encode(receipt(0, "\ud800x", 0, Optional.empty())));
        assertHex("1a023f3f", CanonicalEncoding.encode(receipt(0, "\udc00\ud800", 0, Optional.empty())));
    }

    @Test
    void strings_encode_as_string_get_bytes_utf8_does() {
        SplittableRandom random = new SplittableRandom(7);
        char[] alphabet = {'a', 'Z', '0', ' ', '\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '\ud83d', '\ude00', '\ud800', '\udfff', 'é'};
        for (int i = 0; i < 2000; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (char) random.nextInt(0x10000);
            }
            String s = new String(chars);
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            byte[] encoded = CanonicalEncoding.encode(new SignedReceipt(empty(), s, Bytes.EMPTY));
            // 0a00 (empty receipt), then field 2: tag, length varint, the UTF-8.
            if (utf8.length == 0) {
                assertHex("0a00", encoded);
            } else {
                int lengthBytes = utf8.length < 128 ? 1 : 2;
                assertArrayEquals(utf8, java.util.Arrays.copyOfRange(encoded, 3 + lengthBytes, encoded.length), s);
            }
        }
    }
}
