package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.adapters.crypto.BouncyCastleSignatureVerifier;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.Test;

/** The client's JSON against the domain values: field names, lowercase hex, unsigned uint64, aux presence, answers read back. */
class WireJsonTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static Receipt receipt(long bytesVerified, long startedAt, long finishedAt, Optional<Aux> aux) {
        return new Receipt(1, Bytes.fromHex("00ABCDEF00112233445566778899AABB"), "did:sov:alice", Bytes.fromHex("DEADBEEF"), Bytes.fromHex("0a0b"),
                Bytes.fromHex("FF".repeat(32)), ProofType.MERKLE, bytesVerified, true, startedAt, finishedAt,
                Bytes.fromHex("C0FFEE".repeat(6)), Bytes.fromHex("ab".repeat(16)), aux);
    }

    @Test
    void a_receipt_round_trips_through_json_to_the_same_domain_value_and_the_same_signed_bytes() {
        Receipt original = receipt(4096, 1_700_000_000L, 1_700_000_001L, Optional.of(new Aux(Bytes.fromHex("12".repeat(32)), Bytes.EMPTY)));
        String json = WireJson.receipt(original).toString();

        Receipt back = WireJson.readReceipt(WireJson.parse(json));

        assertEquals(original, back);
        assertArrayEquals(CanonicalEncoding.encode(original), CanonicalEncoding.encode(back));
        assertEquals("{\"version\":1,\"task_id\":\"00abcdef00112233445566778899aabb\",\"client_did\":\"did:sov:alice\","
                + "\"client_node_id\":\"deadbeef\",\"provider_id\":\"0a0b\",\"content_id\":\"" + "ff".repeat(32) + "\","
                + "\"proof_type\":\"merkle\",\"bytes_verified\":4096,\"result_ok\":true,\"started_at\":1700000000,"
                + "\"finished_at\":1700000001,\"receipt_nonce\":\"" + "c0ffee".repeat(6) + "\",\"challenge_nonce\":\"" + "ab".repeat(16) + "\","
                + "\"aux\":{\"merkle_root\":\"" + "12".repeat(32) + "\",\"proof_digest\":\"\"}}", json);
    }

    @Test
    void bytes_are_written_as_lowercase_hex_only() {
        String json = WireJson.receipt(receipt(1, 1, 2, Optional.empty())).toString();
        Matcher hex = Pattern.compile("\"(task_id|client_node_id|provider_id|content_id|receipt_nonce|challenge_nonce)\":\"([^\"]*)\"").matcher(json);
        int fields = 0;
        while (hex.find()) {
            assertTrue(hex.group(2).matches("[0-9a-f]+"), hex.group(1) + " = " + hex.group(2));
            fields++;
        }
        assertEquals(6, fields);
    }

    @Test
    void uint64_values_of_two_to_the_63_and_above_are_written_as_unsigned_decimals_and_read_back() {
        long twoTo63 = Long.MIN_VALUE;       // 9223372036854775808
        long max = -1L;                      // 18446744073709551615
        Receipt big = receipt(max, twoTo63, max, Optional.empty());
        String json = WireJson.receipt(big).toString();

        assertTrue(json.contains("\"bytes_verified\":18446744073709551615"), json);
        assertTrue(json.contains("\"started_at\":9223372036854775808"), json);
        assertTrue(json.contains("\"finished_at\":18446744073709551615"), json);
        assertFalse(json.contains("-"), "no negative numbers: " + json);
        assertEquals(big, WireJson.readReceipt(WireJson.parse(json)));
    }

    @Test
    void an_absent_aux_is_left_out_and_a_present_empty_one_is_kept_because_it_changes_the_signed_bytes() {
        Receipt absent = receipt(4096, 1, 2, Optional.empty());
        Receipt presentEmpty = receipt(4096, 1, 2, Optional.of(new Aux(Bytes.EMPTY, Bytes.EMPTY)));

        assertFalse(WireJson.receipt(absent).has("aux"));
        assertEquals("{\"merkle_root\":\"\",\"proof_digest\":\"\"}", WireJson.receipt(presentEmpty).get("aux").toString());
        assertEquals(absent, WireJson.readReceipt(WireJson.parse(WireJson.receipt(absent).toString())));
        assertEquals(presentEmpty, WireJson.readReceipt(WireJson.parse(WireJson.receipt(presentEmpty).toString())));
        assertFalse(Arrays.equals(CanonicalEncoding.encode(absent), CanonicalEncoding.encode(presentEmpty)));
    }

    @Test
    void a_batch_has_the_envelope_and_signed_receipts_whose_signature_verifies_over_the_receipt_read_back() {
        ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, RANDOM);
        SignedReceipt signed = ReceiptBuilder.sign(receipt(Long.MIN_VALUE, 10, 20, Optional.empty()), keys);
        JsonNode batch = WireJson.parse(WireJson.batch("did:sov:alice", Bytes.fromHex("01".repeat(16)), List.of(signed, signed)));

        assertEquals(1, batch.get("version").intValue());
        assertEquals("did:sov:alice", batch.get("client_did").textValue());
        assertEquals("01".repeat(16), batch.get("batch_nonce").textValue());
        assertEquals(2, batch.get("receipts").size());
        JsonNode first = batch.get("receipts").get(0);
        assertEquals("ed25519", first.get("sig_scheme").textValue());
        assertEquals(signed.signature().hex(), first.get("signature").textValue());

        SignedReceipt back = WireJson.readSignedReceipt(first);
        assertEquals(signed, back);
        assertTrue(new BouncyCastleSignatureVerifier().verify(SigScheme.ED25519, keys.publicKey(),
                CanonicalEncoding.encode(back.receipt()), back.signature().toArray()));
    }

    @Test
    void a_receipt_tampered_after_signing_no_longer_verifies() {
        ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ML_DSA_44, RANDOM);
        SignedReceipt signed = ReceiptBuilder.sign(receipt(4096, 10, 20, Optional.empty()), keys);
        Receipt tampered = ReceiptBuilder.from(signed.receipt()).bytesVerified(5120).build();

        assertEquals(signed.receipt(), ReceiptBuilder.from(signed.receipt()).build());
        assertFalse(new BouncyCastleSignatureVerifier().verify(SigScheme.ML_DSA_44, keys.publicKey(),
                CanonicalEncoding.encode(tampered), signed.signature().toArray()));
    }

    @Test
    void request_bodies_for_challenges_and_enrolment() {
        assertEquals("{\"client_did\":\"did:sov:a\",\"capabilities\":[\"hash\",\"signature\"],\"max_receipts\":3,"
                + "\"max_bytes_total\":18446744073709551615}", WireJson.challengeRequest("did:sov:a",
                List.of(ProofType.HASH, ProofType.SIGNATURE), OptionalInt.of(3), OptionalLong.of(-1L)));
        assertEquals("{\"client_did\":\"did:sov:a\",\"capabilities\":[\"merkle\"]}",
                WireJson.challengeRequest("did:sov:a", List.of(ProofType.MERKLE), OptionalInt.empty(), OptionalLong.empty()));
        assertEquals("{\"did\":\"did:sov:a\",\"sig_scheme\":\"ml-dsa-65\",\"public_key\":\"00ff\"}",
                WireJson.enrolRequest("did:sov:a", SigScheme.ML_DSA_65, new byte[] {0, (byte) 0xFF}));
    }

    @Test
    void a_challenge_answer_is_read_and_its_node_signature_token_bytes_and_node_id_are_checked() throws Exception {
        ClientKeyPair nodeKey = ClientKeyPair.generate(SigScheme.ED25519, RANDOM);
        Bytes nodeId = Bytes.of(MessageDigest.getInstance("SHA-256").digest(nodeKey.publicKey()));
        ChallengeToken unsigned = new ChallengeToken(1, nodeId, Bytes.fromHex("aa".repeat(16)), Bytes.fromHex("bb".repeat(16)),
                1_700_000_000L, 1_700_000_300L, new Policy(20, 10_485_760, 1024,
                List.of(ProofType.HASH, ProofType.MERKLE)), Bytes.EMPTY);
        ChallengeToken token = unsigned.withSignature(Bytes.of(nodeKey.sign(CanonicalEncoding.encodeForSigning(unsigned))));
        String body = "{\"token\":\"" + Base64.getEncoder().encodeToString(CanonicalEncoding.encode(token)) + "\","
                + "\"challenge\":{\"version\":1,\"node_id\":\"" + nodeId.hex() + "\",\"task_id\":\"" + "aa".repeat(16) + "\","
                + "\"challenge_nonce\":\"" + "bb".repeat(16) + "\",\"issued_at\":1700000000,\"expires_at\":1700000300,"
                + "\"policy\":{\"max_receipts\":20,\"max_bytes_total\":10485760,\"min_bytes_per_receipt\":1024,"
                + "\"allowed_proof_types\":[\"hash\",\"merkle\"]},\"node_signature\":\"" + token.nodeSignature().hex() + "\"},"
                + "\"expires_at\":1700000300}";
        NodeInfo node = new NodeInfo(nodeId, Bytes.of(nodeKey.publicKey()), "ed25519", "1.0.0", List.of("ed25519"),
                token.policy(), 1_700_000_001L);

        IssuedChallenge issued = WireJson.readIssuedChallenge(WireJson.parse(body));

        assertEquals(token, issued.challenge());
        assertEquals(300, issued.ttlSeconds());
        assertEquals(Optional.empty(), issued.verify(node));
        ClientKeyPair otherKey = ClientKeyPair.generate(SigScheme.ED25519, RANDOM);
        assertTrue(issued.verify(new NodeInfo(nodeId, Bytes.of(otherKey.publicKey()), "ed25519", "1.0.0", List.of(), token.policy(), 0))
                .isPresent(), "another node's key");
        IssuedChallenge forged = new IssuedChallenge(issued.token(), token.withSignature(Bytes.of(new byte[64])), issued.expiresAt());
        assertEquals(Optional.of("the binary token differs from the JSON challenge"), forged.verify(node));

        Receipt r = ReceiptBuilder.answering(issued, "did:sov:alice").build();
        assertEquals(issued.taskId(), r.taskId());
        assertEquals(issued.challengeNonce(), r.challengeNonce());
        assertEquals(ProofType.HASH, r.proofType(), "the first allowed proof type");
        assertEquals(4096, r.bytesVerified(), "at least the policy's minimum");
        assertEquals(16, r.receiptNonce().length());
        assertTrue(r.startedAt() <= r.finishedAt());
        assertEquals(Optional.empty(), r.aux());
    }

    @Test
    void a_node_info_answer_is_read() {
        NodeInfo info = WireJson.readNodeInfo(WireJson.parse("{\"node_id\":\"0a\",\"public_key\":\"0b0c\",\"sig_scheme\":\"ed25519\","
                + "\"version\":\"1.0.0\",\"accepted_sig_schemes\":[\"ed25519\",\"ml-dsa-65\"],\"policy_defaults\":{\"max_receipts\":20,"
                + "\"max_bytes_total\":10485760,\"min_bytes_per_receipt\":1024,\"allowed_proof_types\":[\"hash\",\"merkle\",\"signature\"]},"
                + "\"server_time\":1700000000}"));
        assertEquals(Bytes.fromHex("0b0c"), info.publicKey());
        assertEquals(List.of("ed25519", "ml-dsa-65"), info.acceptedSigSchemes());
        assertEquals(List.of(ProofType.HASH, ProofType.MERKLE, ProofType.SIGNATURE), info.policyDefaults().allowedProofTypes());
        assertEquals(1_700_000_000L, info.serverTime());
    }

    @Test
    void a_batch_answer_gives_each_receipt_its_outcome() {
        SubmitResult result = WireJson.readSubmitted(WireJson.parse("{\"accepted\":[{\"receipt_nonce\":\"01\",\"receipt_id\":\"r-1\","
                + "\"reward_atoms\":\"18446744073709551616000\",\"replayed\":true}],\"rejected\":[{\"receipt_nonce\":\"02\","
                + "\"reason\":\"duplicate_nonce\",\"detail\":\"receipt_nonce was consumed by another receipt\"}],\"server_time\":5}"));

        assertTrue(result.processed());
        assertEquals(OptionalLong.of(5), result.serverTime());
        var accepted = assertInstanceOf(SubmitResult.Accepted.class, result.outcomeFor(Bytes.fromHex("01")).orElseThrow());
        assertEquals("r-1", accepted.receiptId());
        assertEquals(new BigInteger("18446744073709551616000"), accepted.rewardAtoms());
        assertTrue(accepted.replayed());
        var rejected = assertInstanceOf(SubmitResult.Rejected.class, result.outcomeFor(Bytes.fromHex("02")).orElseThrow());
        assertEquals("duplicate_nonce", rejected.reason());
        assertEquals(Optional.empty(), result.outcomeFor(Bytes.fromHex("03")));
    }

    @Test
    void problems_are_read_with_their_reason_and_anything_else_is_kept_as_detail() {
        ApiProblem problem = WireJson.readProblem(401, "{\"type\":\"urn:pouw:problem:unknown_client\",\"title\":\"Unauthorized\","
                + "\"status\":401,\"detail\":\"client_did is not enrolled\",\"reason\":\"unknown_client\"}", Optional.empty());
        assertEquals(Optional.of("unknown_client"), problem.reason());
        assertEquals("HTTP 401 unknown_client: client_did is not enrolled", problem.summary());

        ApiProblem plain = WireJson.readProblem(502, "<html>bad gateway</html>", Optional.of(3L));
        assertEquals(Optional.empty(), plain.reason());
        assertEquals("HTTP 502: <html>bad gateway</html> (Retry-After 3 s)", plain.summary());
    }

    @Test
    void numbers_that_do_not_fit_64_bits_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> WireJson.readReceipt(WireJson.parse("{\"bytes_verified\":18446744073709551616}")));
        assertThrows(IllegalArgumentException.class, () -> WireJson.readReceipt(WireJson.parse("{\"started_at\":1.5}")));
        assertThrows(IllegalArgumentException.class, () -> WireJson.parse("[1]"));
    }
}
