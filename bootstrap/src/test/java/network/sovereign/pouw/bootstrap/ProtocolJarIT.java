package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol end to end through the shipped jar on its embedded database: an admin enrols a client
 * for every signature scheme, the client takes a challenge, signs receipts and submits them; valid,
 * replayed, tampered and reused-nonce receipts each get their answer, and the counters agree.
 */
class ProtocolJarIT {

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ADMIN_TOKEN = "it-admin-token-0123456789";

    @TempDir
    static Path temp;

    private static JarNode node;

    @BeforeAll
    static void startNode() throws Exception {
        node = JarNode.start(temp, java.util.Map.of("POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_ADMIN_TOKENS", "ops:" + ADMIN_TOKEN));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static String field(String json, String name) {
        return JarNode.field(json, name);
    }

    private static Bytes random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return Bytes.of(b);
    }

    private static String receiptJson(Receipt r, String scheme, byte[] signature) {
        return "{\"receipt\":{\"version\":" + r.version() + ",\"task_id\":\"" + r.taskId().hex() + "\",\"client_did\":\"" + r.clientDid()
                + "\",\"client_node_id\":\"" + r.clientNodeId().hex() + "\",\"provider_id\":\"" + r.providerId().hex()
                + "\",\"content_id\":\"" + r.contentId().hex() + "\",\"proof_type\":\"" + r.proofType().jsonName()
                + "\",\"bytes_verified\":" + Long.toUnsignedString(r.bytesVerified()) + ",\"result_ok\":" + r.resultOk()
                + ",\"started_at\":" + r.startedAt() + ",\"finished_at\":" + r.finishedAt() + ",\"receipt_nonce\":\"" + r.receiptNonce().hex()
                + "\",\"challenge_nonce\":\"" + r.challengeNonce().hex() + "\""
                + r.aux().map(a -> ",\"aux\":{\"merkle_root\":\"" + a.merkleRoot().hex() + "\",\"proof_digest\":\"" + a.proofDigest().hex() + "\"}").orElse("")
                + "},\"sig_scheme\":\"" + scheme + "\",\"signature\":\"" + HEX.formatHex(signature) + "\"}";
    }

    private static JarNode.Response submit(String did, List<String> receipts) throws Exception {
        return node.post("/api/v1/pouw/receipts", "{\"version\":1,\"client_did\":\"" + did + "\",\"batch_nonce\":\""
                + random(16).hex() + "\",\"receipts\":[" + String.join(",", receipts) + "]}", null);
    }

    @Test
    void every_scheme_goes_from_enrolment_to_credited_receipt_with_replay_tamper_and_reuse_answered() throws Exception {
        String before = node.metrics();
        int checked = 0;
        for (SigScheme scheme : SigScheme.values()) {
            ClientKeyPair keys = ClientKeyPair.generate(scheme, RANDOM);
            String did = "did:sov:it-" + scheme.wireName().replace("-", "");
            JarNode.Response enrol = node.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"" + scheme.wireName()
                    + "\",\"public_key\":\"" + HEX.formatHex(keys.publicKey()) + "\"}", ADMIN_TOKEN);
            assertEquals(201, enrol.status(), enrol.body());

            JarNode.Response challenge = node.post("/api/v1/pouw/challenges",
                    "{\"client_did\":\"" + did + "\",\"capabilities\":[\"hash\",\"merkle\"]}", null);
            assertEquals(201, challenge.status(), challenge.body());
            Bytes taskId = Bytes.fromHex(field(challenge.body(), "task_id"));
            Bytes challengeNonce = Bytes.fromHex(field(challenge.body(), "challenge_nonce"));

            long now = Instant.now().getEpochSecond();
            Receipt receipt = new Receipt(1, taskId, did, random(8), random(8), random(32), ProofType.MERKLE, 4096, true, now, now,
                    random(16), challengeNonce, Optional.of(new Aux(random(32), Bytes.EMPTY)));
            byte[] signature = keys.sign(CanonicalEncoding.encode(receipt));
            JarNode.Response accepted = submit(did, List.of(receiptJson(receipt, scheme.wireName(), signature)));
            assertEquals(200, accepted.status(), accepted.body());
            String receiptId = field(accepted.body(), "receipt_id");
            assertEquals("2000000000000", field(accepted.body(), "reward_atoms"), "merkle weight 2 x 10^12");
            assertEquals("false", field(accepted.body(), "replayed"));

            JarNode.Response replay = submit(did, List.of(receiptJson(receipt, scheme.wireName(), signature)));
            assertEquals(receiptId, field(replay.body(), "receipt_id"));
            assertEquals("true", field(replay.body(), "replayed"));

            Receipt tampered = new Receipt(1, taskId, did, receipt.clientNodeId(), receipt.providerId(), receipt.contentId(), ProofType.MERKLE,
                    8192, true, now, now, random(16), challengeNonce, receipt.aux());
            JarNode.Response bad = submit(did, List.of(receiptJson(tampered, scheme.wireName(), signature)));
            assertEquals("invalid_signature", field(bad.body(), "reason"), bad.body());

            Receipt reuse = new Receipt(1, taskId, did, random(8), random(8), random(32), ProofType.HASH, 2048, true, now, now,
                    receipt.receiptNonce(), challengeNonce, Optional.empty());
            JarNode.Response duplicate = submit(did, List.of(receiptJson(reuse, scheme.wireName(), keys.sign(CanonicalEncoding.encode(reuse)))));
            assertEquals("duplicate_nonce", field(duplicate.body(), "reason"), duplicate.body());
            checked++;
        }
        assertEquals(5, checked);

        JarNode.Response unknown = submit("did:sov:nobody", List.of("{\"receipt\":{}}"));
        assertEquals(401, unknown.status());
        assertTrue(unknown.body().contains("\"reason\":\"unknown_client\""), unknown.body());

        String after = node.metrics();
        assertEquals(5, JarNode.series(after, "pouw_receipts_accepted_total") - JarNode.series(before, "pouw_receipts_accepted_total"));
        assertEquals(5, JarNode.series(after, "pouw_receipts_replayed_total") - JarNode.series(before, "pouw_receipts_replayed_total"));
        assertEquals(5, JarNode.series(after, "pouw_receipts_rejected_total{reason=\"invalid_signature\"}")
                - JarNode.series(before, "pouw_receipts_rejected_total{reason=\"invalid_signature\"}"));
        assertEquals(5, JarNode.series(after, "pouw_receipts_rejected_total{reason=\"duplicate_nonce\"}")
                - JarNode.series(before, "pouw_receipts_rejected_total{reason=\"duplicate_nonce\"}"));
        assertEquals(21, JarNode.series(after, "pouw_receipts_received_total") - JarNode.series(before, "pouw_receipts_received_total"));
        assertEquals(5, JarNode.series(after, "pouw_challenges_issued_total") - JarNode.series(before, "pouw_challenges_issued_total"));
    }

    @Test
    void the_admin_api_needs_the_token() throws Exception {
        assertEquals(401, node.post("/api/v1/admin/clients", "{}", null).status());
        assertEquals(403, node.post("/api/v1/admin/clients", "{}", "wrong-token-0123456789").status());
        assertEquals(404, JarNode.call("GET", node.port, "/api/v1/admin/clients/did:sov:nobody", null, ADMIN_TOKEN).status());
    }
}
