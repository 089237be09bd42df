package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md scenario 1, kill under load: clients submit receipts continuously on PostgreSQL, the
 * node is killed with SIGKILL mid-load and started again; clients resend every batch whose answer
 * they lost. Then every receipt ever answered accepted is stored with its nonce and its one reward
 * credit, no reward exists without its receipt, and the retries were answered as replays (same
 * receipt_id) or fresh acceptances, never twice fresh and never a second credit.
 *
 * <p>{@code -Dpouw.reliability.kills=N} kills N times (1 in the build; the reliability run uses 5).
 */
class KillUnderLoadIT {

    private static final int KILLS = Integer.getInteger("pouw.reliability.kills", 1);
    private static final int ACCEPTED_BETWEEN_KILLS = Integer.getInteger("pouw.reliability.kill.accepted", 300);
    private static final int LOADERS = 4;
    private static final int BATCH = 10;
    private static final int PER_CHALLENGE = 500;
    private static final String TOKEN = "kill-admin-token-0123456789";

    @TempDir
    Path temp;

    @Test
    // A hang guard for the whole scenario, not a speed assertion.
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void every_receipt_answered_accepted_survives_kill_9_and_retries_are_replays() throws Exception {
        String database = "pouw_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        Map<String, String> settings = new HashMap<>(Map.of(
                "POUW_DATABASE_URL", "postgres://postgres@127.0.0.1:" + pgPort() + "/" + database,
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN,
                "POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_RATE_LIMIT_IP", "1000000", "POUW_RATE_LIMIT_DID", "1000000",
                "POUW_MAX_RECEIPTS_PER_CHALLENGE", String.valueOf(PER_CHALLENGE),
                "POUW_MAX_BYTES_PER_CHALLENGE", String.valueOf(PER_CHALLENGE * LoadClient.BYTES)));
        AtomicReference<JarNode> node = new AtomicReference<>(JarNode.start(temp, settings));
        List<Long> restartMillis = new ArrayList<>();
        List<Integer> acceptedAtKill = new ArrayList<>();
        ReceiptLoad load = null;
        try {
            List<LoadClient> clients = new ArrayList<>();
            for (int i = 0; i < LOADERS; i++) {
                LoadClient client = new LoadClient("did:sov:kill-" + i);
                client.enrol(node.get(), TOKEN);
                clients.add(client);
            }
            load = ReceiptLoad.start(node, clients, BATCH, PER_CHALLENGE);
            for (int k = 1; k <= KILLS; k++) {
                load.awaitAccepted(k * ACCEPTED_BETWEEN_KILLS);
                JarNode victim = node.get();
                victim.process.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close of anything
                assertTrue(victim.process.waitFor(60, TimeUnit.SECONDS), "killed node exited");
                acceptedAtKill.add(load.accepted.size());
                long started = System.nanoTime();
                node.set(JarNode.start(temp, settings));
                restartMillis.add((System.nanoTime() - started) / 1_000_000);
            }
            load.awaitAccepted((KILLS + 1) * ACCEPTED_BETWEEN_KILLS);
            load.close(); // drains every batch whose answer was lost: each ends answered
            assertTrue(load.violations.isEmpty(), "answers a correct node never gives: " + load.violations);
            assertTrue(load.lostAnswers.get() > 0 || KILLS == 0, "the kill really hit requests in flight");

            check(database, load);
            System.out.printf(Locale.ROOT, "reliability.kill kills=%d accepted=%d at_kills=%s batches=%d lost_answers=%d retried_batches=%d "
                            + "replayed_answers=%d answered_503=%d restart_ms=%s%n", KILLS, load.accepted.size(), acceptedAtKill, load.batches.get(),
                    load.lostAnswers.get(), load.retriedBatches.get(), load.replayedAnswers.get(), load.answered503.get(), restartMillis);
        } finally {
            if (load != null) {
                load.close();
            }
            node.get().close();
            JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** What the clients were told against what the database holds. */
    private void check(String database, ReceiptLoad load) throws Exception {
        Map<String, String> stored = new HashMap<>();
        String rows = JarNode.psql(temp, database, "SELECT encode(r.receipt_nonce, 'hex') || ' ' || r.receipt_id FROM receipts r");
        for (String line : rows.split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split(" ");
                stored.put(parts[0], parts[1]);
            }
        }
        for (Map.Entry<String, String> e : load.accepted.entrySet()) {
            assertEquals(e.getValue(), stored.get(e.getKey()), "receipt answered accepted is stored with its receipt_id: " + e.getKey());
        }
        // Every receipt sent was eventually answered (retries drained), so nothing is stored that no client was told about.
        assertEquals(load.accepted.size(), stored.size(), "stored receipts = receipts answered accepted");
        assertTrue(load.freshAcceptances.values().stream().allMatch(n -> n == 1), "no receipt answered as freshly accepted twice");

        assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM receipts r LEFT JOIN used_nonces n "
                + "ON n.receipt_nonce = r.receipt_nonce AND n.receipt_id = r.receipt_id WHERE n.receipt_id IS NULL"), "every receipt has its nonce");
        assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM receipts r LEFT JOIN reward_entries e "
                + "ON e.receipt_id = r.receipt_id WHERE e.receipt_id IS NULL"), "every receipt has its reward credit");
        assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM reward_entries e LEFT JOIN receipts r "
                + "ON r.receipt_id = e.receipt_id WHERE e.kind = 'receipt' AND r.receipt_id IS NULL"), "no reward without its receipt");
        assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM used_nonces n LEFT JOIN receipts r "
                + "ON r.receipt_id = n.receipt_id WHERE r.receipt_id IS NULL"), "no consumed nonce without its receipt");
        assertEquals(stored.size() + "|" + stored.size() * LoadClient.REWARD,
                JarNode.psql(temp, database, "SELECT count(*), coalesce(sum(amount_atoms), 0) FROM reward_entries WHERE kind = 'receipt'"),
                "one credit of 10^12 atoms per receipt");
        assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM rejections"), "no valid receipt was rejected");
        assertEquals(stored.size() + "|" + stored.size() * LoadClient.BYTES,
                JarNode.psql(temp, database, "SELECT coalesce(sum(used_receipts), 0), coalesce(sum(used_bytes), 0) FROM challenges"),
                "challenge budgets count each receipt once");
    }

    static String pgPort() {
        return System.getenv().getOrDefault("POUW_TEST_PG_PORT", "5432");
    }
}
