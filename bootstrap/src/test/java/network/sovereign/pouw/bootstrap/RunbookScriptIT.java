package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * README's "Runbook, command by command" is true: {@code tools/runbook/check.sh} runs every HTTP command
 * of the runbook (plus the token header) against the shipped jar on PostgreSQL, with a real client's
 * accepted and rejected receipts and a signed dispute about the rejected one; every step passes. Then
 * the dispute's compensation shows in the client's history and in the payout export of its epoch, once.
 */
class RunbookScriptIT {

    private static String runScript(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder script = new ProcessBuilder(command).redirectErrorStream(true);
        script.environment().putAll(env);
        Process run = script.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, run.exitValue(), output);
        return output;
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN = "runbook-admin-token-0123456789";
    private static final Path SCRIPT = Path.of("..", "tools", "runbook", "check.sh");
    private static final String HUNDRED_SOV = "100000000000000000000";

    @TempDir
    Path temp;

    @Test
    void every_runbook_command_answers_as_readme_says() throws Exception {
        String database = "pouw_runbook_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        Path logFile = temp.resolve("pouw-node.log");
        Map<String, String> settings = Map.of("POUW_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres",
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN, "POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_LOG_FILE", logFile.toString(), "POUW_EPOCH_SECS", "5", "POUW_CLOCK_SKEW_SECS", "0");
        try (JarNode node = JarNode.start(temp, settings)) {
            String did = "did:sov:runbook-" + HEX.formatHex(random(4).toArray());
            ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, RANDOM);
            assertEquals(201, node.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                    + HEX.formatHex(keys.publicKey()) + "\"}", TOKEN).status());
            String[] ids = acceptedAndRejected(node, did, keys);
            String rejectedId = ids[1];
            String description = "receipt " + rejectedId + " was signed correctly";
            String filing = "{\"client_did\":\"" + did + "\",\"receipt_id\":\"" + rejectedId + "\",\"dispute_type\":\"ReceiptWronglyRejected\","
                    + "\"description\":\"" + description + "\"," + DisputeFiling.sign(keys, did, rejectedId, "ReceiptWronglyRejected", description).fields() + "}";
            JarNode.Response filed = node.post("/api/v1/pouw/disputes", filing, null);
            assertEquals(201, filed.status(), filed.body());
            String disputeId = JarNode.field(filed.body(), "dispute_id");

            Map<String, String> env = Map.of("POUW_URL", "http://127.0.0.1:" + node.port,
                    "POUW_METRICS_URL", "http://127.0.0.1:" + node.metricsPort, "POUW_TOKEN", TOKEN,
                    "DISPUTE_ID", disputeId, "RECEIPT_ID", rejectedId, "CLIENT_DID", did, "POUW_LOG_FILE", logFile.toString());
            // Read-only by default: the changing steps are skipped and nothing in the database changes.
            // (The maintenance dry run is audited like every admin action: the state is what must not change.)
            String state = "SELECT (SELECT count(*) FROM settings) || '|' || (SELECT count(*) FROM blocked_dids) || '|' || "
                    + "(SELECT count(*) FROM block_events) || '|' || (SELECT count(*) FROM reward_entries) || '|' || "
                    + "(SELECT count(*) FROM dispute_events)";
            String before = JarNode.psql(temp, database, state);
            String readOnly = runScript(env);
            assertFalse(readOnly.contains("FAIL"), readOnly);
            for (String step : List.of("PATCH challenge_ttl_secs", "PATCH rate limits", "POST /api/v1/admin/reload",
                    "resolve dispute " + disputeId, "block and unblock did:sov:malicious")) {
                assertTrue(readOnly.contains("skip  " + step), step + " skipped without --write: " + readOnly);
            }
            assertEquals(before, JarNode.psql(temp, database, state), "no override, block, credit or dispute event");
            assertEquals("open", JarNode.psql(temp, database, "SELECT status FROM disputes WHERE dispute_id = '" + disputeId + "'"));

            String output = runScript(env, "--write");
            assertFalse(output.contains("FAIL"), output);
            // Every step ran; only the log grep has nothing to show (no rate-limit storm here), and says so.
            assertEquals(List.of("skip  log grep: no 'rate limit exceeded' lines in " + logFile + " (no storm to look at)"),
                    output.lines().filter(l -> l.startsWith("skip ")).toList(), output);
            assertTrue(output.contains(" 0 failed, 1 skipped"), output);
            assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM blocked_dids WHERE did = 'did:sov:malicious'"),
                    "the block it made is undone");

            // The compensation: once in the ledger, in the history, and in the payout export of its epoch.
            assertEquals("1", JarNode.psql(temp, database, "SELECT count(*) FROM reward_entries WHERE dispute_id = '" + disputeId + "'"),
                    "resolving twice credited once");
            long epoch = Long.parseLong(JarNode.psql(temp, database, "SELECT epoch FROM reward_entries WHERE dispute_id = '" + disputeId + "'"));
            JarNode.Response history = JarNode.call("GET", node.port, "/api/v1/pouw/clients/" + did + "/history", null, TOKEN);
            assertEquals(200, history.status(), history.body());
            assertTrue(history.body().contains("\"dispute_id\":\"" + disputeId + "\",\"dispute_type\":\"ReceiptWronglyRejected\",\"status\":\"resolved_for_claimant\""),
                    history.body());
            assertTrue(Pattern.compile("\\{\"epoch\":" + epoch + ",[^}]*\"compensation_atoms\":\"" + HUNDRED_SOV + "\"").matcher(history.body()).find(),
                    history.body());

            String rewardsPath = "/api/v1/admin/rewards?epoch=" + epoch;
            JarNode.Response payouts = JarNode.call("GET", node.port, rewardsPath, null, TOKEN);
            Instant deadline = Instant.now().plusSeconds(60);
            while (payouts.status() == 400 && Instant.now().isBefore(deadline)) { // the epoch closes within five seconds
                Thread.sleep(200);
                payouts = JarNode.call("GET", node.port, rewardsPath, null, TOKEN);
            }
            assertEquals(200, payouts.status(), payouts.body());
            Matcher amount = Pattern.compile("\"client_did\":\"" + Pattern.quote(did) + "\",\"epoch\":" + epoch + ",\"amount_atoms\":\"(\\d+)\"")
                    .matcher(payouts.body());
            assertTrue(amount.find(), payouts.body());
            String receiptCredits = JarNode.psql(temp, database, "SELECT coalesce(sum(amount_atoms), 0) FROM reward_entries"
                    + " WHERE client_did = '" + did + "' AND epoch = " + epoch + " AND kind = 'receipt'");
            assertEquals(new java.math.BigInteger(receiptCredits).add(new java.math.BigInteger(HUNDRED_SOV)).toString(), amount.group(1),
                    "payable = receipt credits (under the cap) + the compensation");
        } finally {
            JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** Submits one good and one badly signed receipt; returns {accepted receipt_id, rejected receipt_id}. */
    private static String[] acceptedAndRejected(JarNode node, String did, ClientKeyPair keys) throws Exception {
        JarNode.Response challenge = node.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + did + "\",\"capabilities\":[\"merkle\"]}", null);
        assertEquals(201, challenge.status(), challenge.body());
        Bytes taskId = Bytes.fromHex(JarNode.field(challenge.body(), "task_id"));
        Bytes challengeNonce = Bytes.fromHex(JarNode.field(challenge.body(), "challenge_nonce"));
        long now = Instant.now().getEpochSecond();
        Receipt good = receipt(did, taskId, challengeNonce, now);
        Receipt bad = receipt(did, taskId, challengeNonce, now);
        JarNode.Response submitted = node.post("/api/v1/pouw/receipts", "{\"version\":1,\"client_did\":\"" + did + "\",\"receipts\":["
                + receiptJson(good, keys.sign(CanonicalEncoding.encode(good))) + ","
                + receiptJson(bad, keys.sign(CanonicalEncoding.encode(good))) + "]}", null);
        assertEquals(200, submitted.status(), submitted.body());
        return new String[] {group(submitted.body(), "\"accepted\":\\[\\{[^}]*\"receipt_id\":\"([^\"]+)\""),
                group(submitted.body(), "\"rejected\":\\[\\{[^}]*\"receipt_id\":\"([^\"]+)\"")};
    }

    private static Receipt receipt(String did, Bytes taskId, Bytes challengeNonce, long now) {
        return new Receipt(1, taskId, did, random(8), random(8), random(32), ProofType.MERKLE, 4096, true, now, now,
                random(16), challengeNonce, Optional.of(new Aux(random(32), Bytes.EMPTY)));
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

    private static Bytes random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return Bytes.of(b);
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return m.group(1);
    }
}
