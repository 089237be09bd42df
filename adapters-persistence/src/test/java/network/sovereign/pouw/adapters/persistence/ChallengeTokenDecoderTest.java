package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import org.junit.jupiter.api.Test;

/**
 * The stored form of a challenge token: the domain's canonical encoding writes it, the decoder reads it
 * back; both checked against a vector worked out by hand.
 */
class ChallengeTokenDecoderTest {

    private static final HexFormat HEX = HexFormat.of();

    private static final ChallengeToken TOKEN = new ChallengeToken(1, Bytes.fromHex("0102"), Bytes.fromHex("03"),
            Bytes.fromHex("04"), 1, 300, new Policy(2, 1000, 0, List.of(ProofType.HASH, ProofType.SIGNATURE)),
            Bytes.fromHex("0506"));

    /** Worked out by hand from the proto3 wire format: tag = field << 3 | wire type, varints little-endian base 128. */
    private static final String ENCODED = "0801" // version 1
            + "12020102" // node_id
            + "1a0103" // task_id
            + "220104" // challenge_nonce
            + "2801" // issued_at 1
            + "30ac02" // expires_at 300
            + "3a09" + "0802" + "10e807" + "22020002" // policy: 2 receipts, 1000 bytes, min 0 omitted, [hash, signature] packed
            + "42020506"; // node_signature

    @Test
    void the_stored_form_is_the_canonical_encoding_in_field_order_without_defaults() {
        assertEquals(ENCODED, HEX.formatHex(CanonicalEncoding.encode(TOKEN)));
        assertEquals(TOKEN, ChallengeTokenDecoder.decode(HEX.parseHex(ENCODED)));
    }

    @Test
    void an_empty_policy_is_still_present_and_an_empty_signature_absent() {
        ChallengeToken unsigned = new ChallengeToken(1, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, 0, 0,
                new Policy(0, 0, 0, List.of()), Bytes.EMPTY);

        assertEquals("08013a00", HEX.formatHex(CanonicalEncoding.encode(unsigned)));
        assertEquals(unsigned, ChallengeTokenDecoder.decode(HEX.parseHex("08013a00")));
    }

    @Test
    void decodes_what_the_canonical_encoding_writes_including_uint64_extremes() {
        ChallengeToken extreme = new ChallengeToken(-1, Bytes.of(new byte[32]), Bytes.of(new byte[16]), Bytes.of(new byte[32]),
                -1L, Long.MIN_VALUE, new Policy(Integer.MAX_VALUE, Long.MAX_VALUE, 0, List.of(ProofType.MERKLE)),
                Bytes.of(new byte[4627]));

        assertEquals(extreme, ChallengeTokenDecoder.decode(CanonicalEncoding.encode(extreme)));
    }

    @Test
    void decodes_other_valid_encodings_skipping_unknown_fields() {
        // Proof types unpacked, and unknown fields of every wire type in the token and the policy.
        String other = "0801" + "12020102" + "1a0103" + "220104" + "2801" + "30ac02"
                + "3a0e" + "0802" + "10e807" + "2000" + "2002" + "f80101" + "5000"
                + "42020506" + "610000000000000000" + "6a0161" + "7500000080";

        assertEquals(TOKEN, ChallengeTokenDecoder.decode(HEX.parseHex(other)));
    }

    @Test
    void refuses_truncated_or_mistyped_input() {
        for (String bad : List.of("08", "1205ab", "0a01", "3a0508", "3a022205", "0b", "3a032001ff", "3a02207f")) {
            assertThrows(IllegalArgumentException.class, () -> ChallengeTokenDecoder.decode(HEX.parseHex(bad)), bad);
        }
    }
}
