package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's reads and the payout flow through the shipped jar: one accepted and one rejected
 * receipt are submitted, both looked up by the ids the submit answer gave, the client's history read
 * as JSON and CSV; then, with two-second epochs, the payout of the receipt's epoch is listed once the
 * epoch has closed and settled processing → paid, idempotently, with its audit trail.
 */
class OperatorReadsJarIT {

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN = "reads-admin-token-0123456789";

    @TempDir
    Path temp;

    private static Bytes random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return Bytes.of(b);
    }

    private static String receiptJson(Receipt r, byte[] signature) {
        return "{\"receipt\":{\"version\":1,\"task_id\":\"" + r.taskId().hex() + "\",\"client_did\":\"" + r.clientDid()
                + "\",\"client_node_id\":\"" + r.clientNodeId().hex() + "\",\"provider_id\":\"" + r.providerId().hex()
                + "\",\"content_id\":\"" + r.contentId().hex() + "\",\"proof_type\":\"" + r.proofType().jsonName()
                + "\",\"bytes_verified\":" + r.bytesVerified() + ",\"result_ok\":true,\"started_at\":" + r.startedAt()
                + ",\"finished_at\":" + r.finishedAt() + ",\"receipt_nonce\":\"" + r.receiptNonce().hex()
                + "\",\"challenge_nonce\":\"" + r.challengeNonce().hex() + "\""
                + r.aux().map(a -> ",\"aux\":{\"merkle_root\":\"" + a.merkleRoot().hex() + "\"}").orElse("")
                + "},\"sig_scheme\":\"ed25519\",\"signature\":\"" + HEX.formatHex(signature) + "\"}";
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return m.group(1);
    }

    @Test
    void receipts_history_and_a_payout_of_a_closed_epoch_through_the_jar() throws Exception {
        try (JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN, "POUW_EPOCH_SECS", "2",
                // An epoch settles for POUW_CLOCK_SKEW_SECS + 10 s before it is paid out: keep the wait short.
                "POUW_CLOCK_SKEW_SECS", "0"))) {
            String did = "did:sov:reads-" + HEX.formatHex(random(4).toArray());
            ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, RANDOM);
            assertEquals(201, node.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                    + HEX.formatHex(keys.publicKey()) + "\"}", TOKEN).status());
            JarNode.Response challenge = node.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + did + "\",\"capabilities\":[\"merkle\"]}", null);
            assertEquals(201, challenge.status(), challenge.body());
            Bytes taskId = Bytes.fromHex(JarNode.field(challenge.body(), "task_id"));
            Bytes challengeNonce = Bytes.fromHex(JarNode.field(challenge.body(), "challenge_nonce"));
            long now = Instant.now().getEpochSecond();
            Receipt good = new Receipt(1, taskId, did, random(8), random(8), random(32), ProofType.MERKLE, 4096, true, now, now,
                    random(16), challengeNonce, Optional.of(new Aux(random(32), Bytes.EMPTY)));
            Receipt bad = new Receipt(1, taskId, did, random(8), random(8), random(32), ProofType.MERKLE, 4096, true, now, now,
                    random(16), challengeNonce, Optional.of(new Aux(random(32), Bytes.EMPTY)));
            JarNode.Response submitted = node.post("/api/v1/pouw/receipts", "{\"version\":1,\"client_did\":\"" + did + "\",\"receipts\":["
                    + receiptJson(good, keys.sign(CanonicalEncoding.encode(good))) + ","
                    + receiptJson(bad, keys.sign(CanonicalEncoding.encode(good))) + "]}", null);
            assertEquals(200, submitted.status(), submitted.body());
            String acceptedId = group(submitted.body(), "\"accepted\":\\[\\{[^}]*\"receipt_id\":\"([^\"]+)\"");
            String rejectedId = group(submitted.body(), "\"rejected\":\\[\\{[^}]*\"receipt_id\":\"([^\"]+)\"");

            // GET /receipts/{receipt_id}: both outcomes, and only with the token.
            JarNode.Response accepted = JarNode.call("GET", node.port, "/api/v1/pouw/receipts/" + acceptedId, null, TOKEN);
            assertEquals(200, accepted.status(), accepted.body());
            assertTrue(accepted.body().contains("\"outcome\":\"accepted\",\"client_did\":\"" + did + "\""), accepted.body());
            assertTrue(accepted.body().contains("\"receipt_nonce\":\"" + good.receiptNonce().hex() + "\""), accepted.body());
            assertTrue(accepted.body().contains("\"content_id\":\"" + good.contentId().hex() + "\""), accepted.body());
            assertTrue(accepted.body().contains("\"reward_atoms\":\"2000000000000\""), accepted.body());
            assertTrue(accepted.body().endsWith("\"archived\":false}"), accepted.body());
            long epoch = Long.parseLong(JarNode.field(accepted.body(), "epoch"));
            JarNode.Response rejected = JarNode.call("GET", node.port, "/api/v1/pouw/receipts/" + rejectedId, null, TOKEN);
            assertEquals(200, rejected.status(), rejected.body());
            assertTrue(rejected.body().startsWith("{\"receipt_id\":\"" + rejectedId + "\",\"outcome\":\"rejected\",\"reason\":\"invalid_signature\""),
                    rejected.body());
            assertTrue(rejected.body().contains("\"sig_scheme\":\"ed25519\""), rejected.body());
            assertEquals(404, JarNode.call("GET", node.port, "/api/v1/pouw/receipts/no-such-receipt", null, TOKEN).status());
            assertEquals(401, JarNode.call("GET", node.port, "/api/v1/pouw/receipts/" + acceptedId, null, null).status());
            assertEquals(403, JarNode.call("GET", node.port, "/api/v1/pouw/receipts/" + acceptedId, null, "wrong").status());

            // The client's history, JSON and CSV.
            String historyPath = "/api/v1/pouw/clients/" + did + "/history";
            JarNode.Response history = JarNode.call("GET", node.port, historyPath, null, TOKEN);
            assertEquals(200, history.status(), history.body());
            assertTrue(history.body().startsWith("{\"client_did\":\"" + did + "\",\"enrolled\":true,\"blocked\":false,\"receipts\":["), history.body());
            assertTrue(history.body().contains("{\"receipt_id\":\"" + rejectedId + "\",\"outcome\":\"rejected\",\"reason\":\"invalid_signature\""),
                    history.body());
            assertTrue(history.body().contains("{\"receipt_id\":\"" + acceptedId + "\",\"outcome\":\"accepted\",\"proof_type\":\"merkle\","
                    + "\"bytes_verified\":4096,\"reward_atoms\":\"2000000000000\",\"epoch\":" + epoch), history.body());
            assertTrue(history.body().contains("\"rewards\":[{\"epoch\":" + epoch + ",\"receipt_atoms\":\"2000000000000\""), history.body());
            JarNode.Response csv = JarNode.call("GET", node.port, historyPath + "?format=csv", null, TOKEN);
            assertEquals(200, csv.status(), csv.body());
            List<String> lines = csv.body().lines().toList();
            assertTrue(lines.getFirst().startsWith("kind,id,at,outcome,reason"), csv.body());
            assertEquals(2, lines.stream().filter(l -> l.startsWith("receipt,")).count(), csv.body());
            assertEquals(1, lines.stream().filter(l -> l.startsWith("reward,,,,,,," + epoch + ",2000000000000,")).count(), csv.body());
            assertEquals(400, JarNode.call("GET", node.port, "/api/v1/pouw/clients/not-a-did/history", null, TOKEN).status());
            assertEquals(404, JarNode.call("GET", node.port, "/api/v1/pouw/clients/did:sov:nobody-at-all/history", null, TOKEN).status());
            assertEquals(401, JarNode.call("GET", node.port, historyPath, null, null).status());

            // The payout of the receipt's epoch, once that epoch has closed (two-second epochs: poll, do not sleep blindly).
            String rewardsPath = "/api/v1/admin/rewards?epoch=" + epoch;
            JarNode.Response listed = JarNode.call("GET", node.port, rewardsPath, null, TOKEN);
            Instant deadline = Instant.now().plusSeconds(60);
            while (listed.status() == 400 && Instant.now().isBefore(deadline)) {
                assertTrue(listed.body().contains("not closed yet"), listed.body());
                Thread.sleep(100);
                listed = JarNode.call("GET", node.port, rewardsPath, null, TOKEN);
            }
            assertEquals(200, listed.status(), listed.body());
            assertTrue(listed.body().contains("\"client_did\":\"" + did + "\",\"epoch\":" + epoch + ",\"amount_atoms\":\"2000000000000\","
                    + "\"amount_sov\":\"0.000002\",\"status\":\"pending\",\"tx_hash\":null"), listed.body());
            String rewardId = JarNode.field(listed.body(), "reward_id");
            assertEquals(listed.body(), JarNode.call("GET", node.port, rewardsPath, null, TOKEN).body(), "made once");
            assertEquals(400, JarNode.call("GET", node.port, "/api/v1/admin/rewards?epoch=" + (epoch + 1_000_000), null, TOKEN).status(),
                    "an open epoch");

            String steps = "/api/v1/admin/rewards/" + rewardId;
            assertEquals(409, node.post(steps + "/paid", "{\"tx_hash\":\"0xfeed\"}", TOKEN).status(), "pending cannot be paid");
            JarNode.Response processing = node.post(steps + "/processing", null, TOKEN);
            assertEquals(200, processing.status(), processing.body());
            assertTrue(processing.body().contains("\"status\":\"processing\""), processing.body());
            assertEquals(400, node.post(steps + "/paid", "{}", TOKEN).status());
            JarNode.Response paid = node.post(steps + "/paid", "{\"tx_hash\":\"0xfeed\"}", TOKEN);
            assertEquals(200, paid.status(), paid.body());
            assertTrue(paid.body().contains("\"status\":\"paid\",\"tx_hash\":\"0xfeed\""), paid.body());
            assertEquals(paid.body(), node.post(steps + "/paid", "{\"tx_hash\":\"0xfeed\"}", TOKEN).body(), "idempotent");
            assertEquals(409, node.post(steps + "/paid", "{\"tx_hash\":\"0xbeef\"}", TOKEN).status());
            assertEquals(409, node.post(steps + "/failed", null, TOKEN).status(), "paid is final");
            assertEquals(404, node.post("/api/v1/admin/rewards/r-none/processing", null, TOKEN).status());
            assertEquals(401, node.post(steps + "/processing", null, null).status());
            assertEquals(403, node.post(steps + "/processing", null, "wrong").status());

            JarNode.Response audit = JarNode.call("GET", node.port, "/api/v1/admin/audit", null, TOKEN);
            assertTrue(audit.body().contains("{\"actor\":\"ops\",\"action\":\"payout_paid\",\"target\":\"" + rewardId + "\""), audit.body());
            assertTrue(audit.body().contains("{\"actor\":\"ops\",\"action\":\"payout_processing\",\"target\":\"" + rewardId + "\""), audit.body());
            JarNode.Response after = JarNode.call("GET", node.port, historyPath, null, TOKEN);
            assertTrue(after.body().contains("\"payout_status\":\"paid\""), after.body());
        }
    }
}
