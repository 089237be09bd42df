package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL database, every receipt submitted to both at once: each is accepted
 * exactly once and credited exactly once, checked in the database. RELIABILITY.md scenario 3:
 * {@code -Dpouw.reliability.race.receipts=N} races N receipts (1,000 in the build, 10,000 in the
 * reliability run; a multiple of 100).
 */
class TwoNodeRaceIT {

    private static final int RECEIPTS = Integer.getInteger("pouw.reliability.race.receipts", 1_000);
    private static final int PER_CHALLENGE = 100;
    private static final int BATCH = 50;
    private static final Pattern ACCEPTED = Pattern.compile(
            "\\{\"receipt_nonce\":\"([0-9a-f]+)\",\"receipt_id\":\"([^\"]+)\",\"reward_atoms\":\"(\\d+)\",\"replayed\":(true|false)}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN = "race-admin-token-0123456789";

    @TempDir
    Path temp;

    private static Bytes random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return Bytes.of(b);
    }

    @Test
    void each_receipt_is_accepted_and_credited_exactly_once_across_two_nodes() throws Exception {
        String database = "pouw_race_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        try {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "POUW_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/" + database,
                    "POUW_ADMIN_TOKENS", "ops:" + TOKEN,
                    "POUW_RATE_LIMIT_IP", "1000000", "POUW_RATE_LIMIT_DID", "1000000",
                    "POUW_MAX_RECEIPTS_PER_CHALLENGE", String.valueOf(PER_CHALLENGE),
                    "POUW_MAX_BYTES_PER_CHALLENGE", String.valueOf(PER_CHALLENGE * 4096L)));
            settings.put("POUW_DATA_DIR", temp.resolve("a").toString());
            try (JarNode a = JarNode.start(temp, settings)) {
                settings.put("POUW_DATA_DIR", temp.resolve("b").toString());
                try (JarNode b = JarNode.start(temp, settings)) {
                    race(a, b, database);
                }
            }
        } finally {
            if (System.getenv("POUW_IT_KEEP_DB") == null) {
                JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } else {
                System.err.println("kept database " + database);
            }
        }
    }

    private void race(JarNode a, JarNode b, String database) throws Exception {
        ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, RANDOM);
        String did = "did:sov:racer";
        assertEquals(201, a.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                + HexFormat.of().formatHex(keys.publicKey()) + "\"}", TOKEN).status());

        List<String> receipts = new ArrayList<>();
        for (int c = 0; c < RECEIPTS / PER_CHALLENGE; c++) {
            JarNode issuer = c % 2 == 0 ? a : b;
            JarNode.Response challenge = issuer.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + did + "\",\"capabilities\":[\"hash\"]}", null);
            assertEquals(201, challenge.status(), challenge.body());
            Bytes taskId = Bytes.fromHex(JarNode.field(challenge.body(), "task_id"));
            Bytes challengeNonce = Bytes.fromHex(JarNode.field(challenge.body(), "challenge_nonce"));
            long now = Instant.now().getEpochSecond();
            for (int i = 0; i < PER_CHALLENGE; i++) {
                Receipt r = new Receipt(1, taskId, did, Bytes.EMPTY, Bytes.EMPTY, random(16), ProofType.HASH, 2048, true, now, now,
                        random(16), challengeNonce, Optional.empty());
                receipts.add("{\"receipt\":{\"version\":1,\"task_id\":\"" + taskId.hex() + "\",\"client_did\":\"" + did
                        + "\",\"content_id\":\"" + r.contentId().hex() + "\",\"proof_type\":\"hash\",\"bytes_verified\":2048,\"result_ok\":true,"
                        + "\"started_at\":" + now + ",\"finished_at\":" + now + ",\"receipt_nonce\":\"" + r.receiptNonce().hex()
                        + "\",\"challenge_nonce\":\"" + challengeNonce.hex() + "\"},\"sig_scheme\":\"ed25519\",\"signature\":\""
                        + HexFormat.of().formatHex(keys.sign(CanonicalEncoding.encode(r))) + "\"}");
            }
        }

        List<Future<JarNode.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < RECEIPTS; i += BATCH) {
                String body = "{\"version\":1,\"client_did\":\"" + did + "\",\"receipts\":[" + String.join(",", receipts.subList(i, i + BATCH)) + "]}";
                answers.add(pool.submit(() -> a.post("/api/v1/pouw/receipts", body, null)));
                answers.add(pool.submit(() -> b.post("/api/v1/pouw/receipts", body, null)));
            }
        }

        Map<String, Integer> firstAcceptances = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        int replays = 0;
        for (Future<JarNode.Response> answer : answers) {
            JarNode.Response res = answer.get();
            assertEquals(200, res.status(), res.body());
            assertTrue(res.body().contains("\"rejected\":[]"), "identical receipts are never rejected: " + res.body());
            Matcher m = ACCEPTED.matcher(res.body());
            while (m.find()) {
                String previousId = ids.putIfAbsent(m.group(1), m.group(2));
                assertTrue(previousId == null || previousId.equals(m.group(2)), "both nodes name the same receipt_id");
                if (m.group(4).equals("false")) {
                    firstAcceptances.merge(m.group(1), 1, Integer::sum);
                } else {
                    replays++;
                }
            }
        }
        assertEquals(RECEIPTS, ids.size(), "every receipt was answered as accepted");
        assertEquals(RECEIPTS, firstAcceptances.size());
        assertTrue(firstAcceptances.values().stream().allMatch(n -> n == 1), "no receipt was freshly accepted twice");
        assertEquals(RECEIPTS, replays, "the other node answered each one as a replay");

        assertEquals(String.valueOf(RECEIPTS), JarNode.psql(temp, database, "SELECT count(*) FROM receipts"));
        assertEquals(String.valueOf(RECEIPTS), JarNode.psql(temp, database, "SELECT count(*) FROM used_nonces"));
        assertEquals(RECEIPTS + "|" + (RECEIPTS * 1_000_000_000_000L),
                JarNode.psql(temp, database, "SELECT count(*), sum(amount_atoms) FROM reward_entries"));
        assertEquals(RECEIPTS + "|" + (RECEIPTS * 2048L), JarNode.psql(temp, database, "SELECT sum(used_receipts), sum(used_bytes) FROM challenges"));
        assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM rejections"), "no duplicate_nonce and no other rejection");
        System.out.printf(java.util.Locale.ROOT, "reliability.race receipts=%d submissions=%d fresh_acceptances=%d replays=%d "
                + "db_receipts=%d db_nonces=%d db_rewards=%d rejections=0%n", RECEIPTS, 2 * RECEIPTS, firstAcceptances.size(), replays,
                RECEIPTS, RECEIPTS, RECEIPTS);
    }
}
