package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rejection reason and every status code of the receipt and challenge endpoints, provoked
 * over HTTP on both transports (JSON and application/x-protobuf) against the shipped jar on
 * PostgreSQL, with the metric deltas each one causes.
 */
class ReasonsOverHttpIT {

    enum Transport { JSON, PROTOBUF }

    private static final String TOKEN = "reasons-admin-token-0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    static Path temp;

    private static String database;
    private static JarNode node;

    @BeforeAll
    static void start() throws Exception {
        database = "pouw_reasons_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        node = JarNode.start(temp, Map.of("POUW_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres",
                "POUW_DATA_DIR", temp.resolve("data").toString(), "POUW_ADMIN_TOKENS", "ops:" + TOKEN,
                "POUW_CHALLENGE_TTL_SECS", "2", "POUW_CLOCK_SKEW_SECS", "0", "POUW_NONCE_RETENTION_HOURS", "1",
                "POUW_BATCH_SIZE_MAX", "3", "POUW_MAX_BODY_BYTES", "65536", "POUW_RATE_LIMIT_DID", "40"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static Bytes random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return Bytes.of(b);
    }

    /** One client with a key, a challenge and helpers to build and send receipts. */
    private static final class Client {
        final String did = "did:sov:r-" + UUID.randomUUID().toString().substring(0, 8);
        final ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, RANDOM);
        final Transport transport;
        Bytes taskId;
        Bytes challengeNonce;

        Client(Transport transport) throws Exception {
            this.transport = transport;
            assertEquals(201, node.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                    + HEX.formatHex(keys.publicKey()) + "\"}", TOKEN).status());
            newChallenge();
        }

        void newChallenge() throws Exception {
            JarNode.Response challenge = node.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + did + "\",\"capabilities\":[\"hash\"]}", null);
            assertEquals(201, challenge.status(), challenge.body());
            taskId = Bytes.fromHex(JarNode.field(challenge.body(), "task_id"));
            challengeNonce = Bytes.fromHex(JarNode.field(challenge.body(), "challenge_nonce"));
        }

        Receipt receipt(long bytes) {
            long now = Instant.now().getEpochSecond();
            return new Receipt(1, taskId, did, random(4), random(4), random(32), ProofType.HASH, bytes, true, now, now, random(16),
                    challengeNonce, Optional.of(new Aux(random(32), Bytes.EMPTY)));
        }

        SignedReceipt sign(Receipt r) {
            return new SignedReceipt(r, "ed25519", Bytes.of(keys.sign(CanonicalEncoding.encode(r))));
        }

        JarNode.Response submit(String batchDid, SignedReceipt... receipts) throws Exception {
            ReceiptBatch batch = new ReceiptBatch(1, batchDid, random(16), List.of(receipts));
            if (transport == Transport.PROTOBUF) {
                return node.postBytes("/api/v1/pouw/receipts", "application/x-protobuf", CanonicalEncoding.encode(batch));
            }
            List<String> items = new ArrayList<>();
            for (SignedReceipt s : receipts) {
                Receipt r = s.receipt();
                items.add("{\"receipt\":{\"version\":" + Integer.toUnsignedString(r.version()) + ",\"task_id\":\"" + r.taskId().hex()
                        + "\",\"client_did\":\"" + r.clientDid() + "\",\"client_node_id\":\"" + r.clientNodeId().hex() + "\",\"provider_id\":\""
                        + r.providerId().hex() + "\",\"content_id\":\"" + r.contentId().hex() + "\",\"proof_type\":\"" + r.proofType().jsonName()
                        + "\",\"bytes_verified\":" + Long.toUnsignedString(r.bytesVerified()) + ",\"result_ok\":" + r.resultOk()
                        + ",\"started_at\":" + r.startedAt() + ",\"finished_at\":" + r.finishedAt() + ",\"receipt_nonce\":\""
                        + r.receiptNonce().hex() + "\",\"challenge_nonce\":\"" + r.challengeNonce().hex() + "\""
                        + r.aux().map(a -> ",\"aux\":{\"merkle_root\":\"" + a.merkleRoot().hex() + "\",\"proof_digest\":\"" + a.proofDigest().hex() + "\"}").orElse("")
                        + "},\"sig_scheme\":\"" + s.sigScheme() + "\",\"signature\":\"" + s.signature().hex() + "\"}");
            }
            return node.post("/api/v1/pouw/receipts", "{\"version\":1,\"client_did\":\"" + batchDid + "\",\"batch_nonce\":\"00\",\"receipts\":["
                    + String.join(",", items) + "]}", null);
        }

        JarNode.Response submit(SignedReceipt... receipts) throws Exception {
            return submit(did, receipts);
        }
    }

    private static Map<RejectionReason, Double> rejected(String metrics) {
        Map<RejectionReason, Double> counts = new EnumMap<>(RejectionReason.class);
        for (RejectionReason reason : RejectionReason.values()) {
            counts.put(reason, JarNode.series(metrics, "pouw_receipts_rejected_total{reason=\"" + reason.wireName() + "\"}"));
        }
        return counts;
    }

    private static void assertReason(RejectionReason reason, JarNode.Response res) {
        assertEquals(200, res.status(), res.body());
        assertTrue(res.body().contains("\"reason\":\"" + reason.wireName() + "\""), reason + " in " + res.body());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void every_reason_and_status_with_its_metric_delta(Transport transport) throws Exception {
        String before = node.metrics();
        Map<RejectionReason, Double> rejectedBefore = rejected(before);
        Client c = new Client(transport);

        JarNode.Response ok = c.submit(c.sign(c.receipt(2048)));
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.body().contains("\"replayed\":false"), ok.body());

        Receipt wrongVersion = new Receipt(2, c.taskId, c.did, Bytes.EMPTY, Bytes.EMPTY, random(8), ProofType.HASH, 2048, true, 1, 2,
                random(16), c.challengeNonce, Optional.empty());
        assertReason(RejectionReason.MALFORMED_RECEIPT, c.submit(c.sign(wrongVersion)));

        SignedReceipt good = c.sign(c.receipt(2048));
        Receipt changed = new Receipt(1, c.taskId, c.did, good.receipt().clientNodeId(), good.receipt().providerId(), good.receipt().contentId(),
                ProofType.HASH, 4096, true, good.receipt().startedAt(), good.receipt().finishedAt(), good.receipt().receiptNonce(),
                c.challengeNonce, good.receipt().aux());
        assertReason(RejectionReason.INVALID_SIGNATURE, c.submit(new SignedReceipt(changed, "ed25519", good.signature())));

        Receipt unbound = new Receipt(1, c.taskId, c.did, Bytes.EMPTY, Bytes.EMPTY, random(8), ProofType.HASH, 2048, true, 1, 2,
                random(16), random(32), Optional.empty());
        assertReason(RejectionReason.INVALID_CHALLENGE_BINDING, c.submit(c.sign(unbound)));

        assertReason(RejectionReason.POLICY_VIOLATION, c.submit(c.sign(c.receipt(10))));

        Receipt reuse = new Receipt(1, c.taskId, c.did, Bytes.EMPTY, Bytes.EMPTY, random(8), ProofType.HASH, 2048, true, 1, 2,
                good.receipt().receiptNonce(), c.challengeNonce, Optional.empty());
        JarNode.Response first = c.submit(good);
        assertTrue(first.body().contains("\"replayed\":false"), first.body());
        assertReason(RejectionReason.DUPLICATE_NONCE, c.submit(c.sign(reuse)));
        JarNode.Response replay = c.submit(good);
        assertTrue(replay.body().contains("\"replayed\":true"), replay.body());

        // 401 unknown_client and 403 blocked_did refuse the whole batch.
        JarNode.Response unknown = c.submit("did:sov:nobody-" + transport, c.sign(c.receipt(2048)));
        assertEquals(401, unknown.status(), unknown.body());
        assertTrue(unknown.body().contains("\"reason\":\"unknown_client\""), unknown.body());
        Client blocked = new Client(transport);
        SignedReceipt blockedReceipt = blocked.sign(blocked.receipt(2048));
        // The admin block endpoint comes with the operator API; an operator's row has the same effect.
        JarNode.psql(temp, database, "INSERT INTO blocked_dids (did, reason, blocked_by, blocked_at) VALUES ('" + blocked.did
                + "', 'test', 'it', now())");
        JarNode.Response refused = blocked.submit(blockedReceipt);
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"reason\":\"blocked_did\""), refused.body());
        JarNode.Response blockedChallenge = node.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + blocked.did + "\",\"capabilities\":[\"hash\"]}", null);
        assertEquals(403, blockedChallenge.status());

        // Expired: the node runs with a 2 s TTL and no skew.
        SignedReceipt late = c.sign(c.receipt(2048));
        Thread.sleep(3_200);
        assertReason(RejectionReason.EXPIRED_CHALLENGE, c.submit(late));

        // Whole-request refusals: 400 unreadable, 413 too many receipts or too large, 415 wrong type.
        assertEquals(400, node.postBytes("/api/v1/pouw/receipts", transport == Transport.JSON ? "application/json" : "application/x-protobuf",
                "{garbage".getBytes(StandardCharsets.UTF_8)).status());
        c.newChallenge();
        assertEquals(413, c.submit(c.sign(c.receipt(2048)), c.sign(c.receipt(2048)), c.sign(c.receipt(2048)), c.sign(c.receipt(2048))).status());
        assertEquals(413, node.postBytes("/api/v1/pouw/receipts", "application/json", new byte[70_000]).status());
        assertEquals(415, node.postBytes("/api/v1/pouw/receipts", "text/plain", "x".getBytes(StandardCharsets.UTF_8)).status());

        String after = node.metrics();
        Map<RejectionReason, Double> rejectedAfter = rejected(after);
        for (RejectionReason reason : RejectionReason.values()) {
            // malformed: the version-2 receipt, the unreadable body (counted as one) and the four receipts
            // of the batch over POUW_BATCH_SIZE_MAX; a body over POUW_MAX_BODY_BYTES is never read.
            double expected = reason == RejectionReason.MALFORMED_RECEIPT ? 6 : 1;
            assertEquals(expected, rejectedAfter.get(reason) - rejectedBefore.get(reason), reason.wireName());
        }
        assertEquals(2, JarNode.series(after, "pouw_receipts_accepted_total") - JarNode.series(before, "pouw_receipts_accepted_total"));
        assertEquals(1, JarNode.series(after, "pouw_receipts_replayed_total") - JarNode.series(before, "pouw_receipts_replayed_total"));
        double received = JarNode.series(after, "pouw_receipts_received_total") - JarNode.series(before, "pouw_receipts_received_total");
        double outcomes = (JarNode.series(after, "pouw_receipts_accepted_total") - JarNode.series(before, "pouw_receipts_accepted_total"))
                + (JarNode.series(after, "pouw_receipts_replayed_total") - JarNode.series(before, "pouw_receipts_replayed_total"))
                + rejectedAfter.values().stream().mapToDouble(Double::doubleValue).sum()
                - rejectedBefore.values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(received, outcomes, "received = accepted + rejected + replayed");
    }
}
