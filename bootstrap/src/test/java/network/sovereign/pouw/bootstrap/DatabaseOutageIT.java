package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md scenario 2, database outage under load. The node talks to PostgreSQL through a TCP
 * proxy that the test cuts (every connection dropped, new ones refused: what the node sees when
 * PostgreSQL stops or restarts) and restores, so the machine's shared cluster is never stopped.
 * <ul>
 *   <li>Outage: readiness answers 503 within 5 s; every write is answered 503 with
 *   {@code Retry-After} (problem+json), never accepted; when the database is back the same node
 *   process answers 200 again and every receipt it ever answered accepted is in the database.</li>
 *   <li>Pool exhaustion: the proxy freezes (connections stay open, no byte moves) so that every pooled
 *   connection hangs; further writes are answered 503 after the pool's connection timeout (2 s),
 *   not after HikariCP's default 30 s.</li>
 * </ul>
 * {@code -Dpouw.reliability.outages=N} repeats the outage N times (1 in the build).
 * {@code -Dpouw.reliability.outage=pg_ctlcluster} stops and starts the real cluster instead of
 * cutting the proxy (never in CI: other tests share that cluster).
 */
class DatabaseOutageIT {

    private static final int OUTAGES = Integer.getInteger("pouw.reliability.outages", 1);
    private static final int OUTAGE_SECONDS = Integer.getInteger("pouw.reliability.outage.secs", 6);
    private static final boolean REAL_CLUSTER = "pg_ctlcluster".equals(System.getProperty("pouw.reliability.outage"));
    private static final int POOL = 4;
    private static final int PER_CHALLENGE = 500;
    private static final String TOKEN = "outage-admin-token-0123456789";

    @TempDir
    Path temp;

    @Test
    // A hang guard for the whole scenario, not a speed assertion.
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void an_outage_answers_503_with_retry_after_and_the_same_process_recovers() throws Exception {
        String database = "pouw_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        String pgHost = System.getenv().getOrDefault("POUW_TEST_PG_HOST", "127.0.0.1");
        int pgPort = Integer.parseInt(KillUnderLoadIT.pgPort());
        try (TcpProxy proxy = TcpProxy.start(pgHost, pgPort)) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "POUW_DATABASE_URL", "postgres://postgres@127.0.0.1:" + (REAL_CLUSTER ? pgPort : proxy.port()) + "/" + database,
                    "POUW_ADMIN_TOKENS", "ops:" + TOKEN,
                    "POUW_DATA_DIR", temp.resolve("data").toString(),
                    "POUW_DB_POOL_SIZE", String.valueOf(POOL),
                    "POUW_RATE_LIMIT_IP", "1000000", "POUW_RATE_LIMIT_DID", "1000000",
                    "POUW_MAX_RECEIPTS_PER_CHALLENGE", String.valueOf(PER_CHALLENGE),
                    "POUW_MAX_BYTES_PER_CHALLENGE", String.valueOf(PER_CHALLENGE * LoadClient.BYTES)));
            try (JarNode node = JarNode.start(temp, settings)) {
                List<LoadClient> clients = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    LoadClient client = new LoadClient("did:sov:outage-" + i);
                    client.enrol(node, TOKEN);
                    clients.add(client);
                }
                outages(node, proxy, clients, database);
                poolExhaustion(node, proxy, clients.getFirst());
            }
        } finally {
            JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private void outages(JarNode node, TcpProxy proxy, List<LoadClient> clients, String database) throws Exception {
        long pid = node.process.pid();
        ReceiptLoad load = ReceiptLoad.start(new AtomicReference<>(node), clients, 5, PER_CHALLENGE);
        List<Long> readyDownMillis = new ArrayList<>();
        List<Long> recoveryMillis = new ArrayList<>();
        long acceptedDuringOutages = 0;
        try {
            for (int o = 1; o <= OUTAGES; o++) {
                load.awaitAccepted(o * 200);
                long before503 = load.answered503.get();
                long cutAt = System.nanoTime();
                outage(proxy, true);
                // The first probe after the cut: a live check, answered 503 within 5 s (the client gives up after 5 s).
                LoadClient.Answer ready = readiness(node, 5_000);
                readyDownMillis.add((System.nanoTime() - cutAt) / 1_000_000);
                assertEquals(503, ready.status(), "readiness during the outage: " + ready.body());
                int acceptedAtCut = load.accepted.size();
                Thread.sleep(OUTAGE_SECONDS * 1000L);
                // Whatever was answered while the database was out was a 503, never an acceptance.
                int acceptedInOutage = load.accepted.size() - acceptedAtCut;
                acceptedDuringOutages += acceptedInOutage;
                assertEquals(0, acceptedInOutage, "no receipt accepted while the database is out");
                assertTrue(load.answered503.get() > before503, "writes during the outage were answered 503");
                assertEquals(503, readiness(node, 5_000).status(), "still not ready");

                long restoredAt = System.nanoTime();
                outage(proxy, false);
                while (readiness(node, 10_000).status() != 200) {
                    Thread.sleep(100);
                }
                recoveryMillis.add((System.nanoTime() - restoredAt) / 1_000_000);
                assertEquals(pid, node.process.pid());
                assertTrue(node.process.isAlive(), "recovered without a restart");
            }
            load.awaitAccepted((OUTAGES + 1) * 200);
        } finally {
            load.close();
        }
        assertTrue(load.violations.isEmpty(), () -> "answers a correct node never gives: " + load.violations);
        assertTrue(load.bad503s.isEmpty(), () -> "503 without Retry-After or problem+json: " + load.bad503s);
        // journalctl -p err during an outage: one ERROR line when it starts (priority 3), one INFO line when it ends,
        // not a line per request (a stale pooled connection found right after the restore may make one more pair).
        List<String> lines = java.nio.file.Files.readAllLines(node.log);
        long down = lines.stream().filter(l -> l.startsWith("<3>") && l.contains("database unavailable")).count();
        long back = lines.stream().filter(l -> l.startsWith("<6>") && l.contains("database answers again")).count();
        assertTrue(down >= OUTAGES && down <= 2L * OUTAGES, down + " ERROR lines for " + OUTAGES + " outages");
        assertEquals(down, back, "every outage's ERROR line has its INFO line when the database is back");
        assertTrue(load.answered503.get() > down, "more 503s than outage lines");
        assertEquals(0, lines.stream().filter(l -> (l.startsWith("<3>") || l.startsWith("<4>")) && l.contains("store unavailable on")).count(),
                "no WARN or ERROR line per request");

        String stored = JarNode.psql(temp, database, "SELECT count(*) FROM receipts");
        assertEquals(String.valueOf(load.accepted.size()), stored, "every receipt answered accepted is stored, nothing else");
        assertEquals(load.accepted.size() + "|" + load.accepted.size() * LoadClient.REWARD,
                JarNode.psql(temp, database, "SELECT count(*), coalesce(sum(amount_atoms), 0) FROM reward_entries WHERE kind = 'receipt'"));
        assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM receipts r LEFT JOIN used_nonces n "
                + "ON n.receipt_id = r.receipt_id WHERE n.receipt_id IS NULL"), "every receipt has its nonce");
        assertTrue(load.freshAcceptances.values().stream().allMatch(n -> n == 1), "no receipt answered as freshly accepted twice");
        System.out.printf(Locale.ROOT, "reliability.outage mode=%s outages=%d outage_secs=%d accepted=%d accepted_during_outage=%d batches=%d "
                        + "answered_503=%d max_503_ms=%d lost_answers=%d replayed_answers=%d ready_503_after_ms=%s ready_200_after_restore_ms=%s%n",
                REAL_CLUSTER ? "pg_ctlcluster" : "proxy", OUTAGES, OUTAGE_SECONDS, load.accepted.size(), acceptedDuringOutages,
                load.batches.get(), load.answered503.get(), load.max503Millis.get(), load.lostAnswers.get(), load.replayedAnswers.get(),
                readyDownMillis, recoveryMillis);
    }

    /**
     * Every pooled connection hangs on a frozen network: the writes beyond the pool are answered 503
     * with Retry-After after the connection timeout instead of waiting; once the network moves again
     * the hung ones complete.
     */
    private void poolExhaustion(JarNode node, TcpProxy proxy, LoadClient client) throws Exception {
        List<String> receipts = client.receipts(client.challenge(node), 4 * POOL);
        proxy.freeze();
        List<Future<Object>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4 * POOL)) {
            for (int i = 0; i < 4 * POOL; i++) {
                String body = client.batch(receipts.subList(i, i + 1));
                answers.add(pool.submit(() -> {
                    try {
                        return LoadClient.submit(node.port, body, 15_000);
                    } catch (SocketTimeoutException e) {
                        return e; // hung on a frozen connection, or waited far longer than the pool's 2 s
                    }
                }));
            }
            // Give every request time to take or wait for a connection (2 s timeout), then let the frozen ones finish.
            Thread.sleep(12_000);
            proxy.restore();
            int fast503 = 0;
            long max503 = 0;
            int hung = 0;
            int ok = 0;
            for (Future<Object> f : answers) {
                Object result = f.get(120, TimeUnit.SECONDS);
                if (result instanceof LoadClient.Answer a) {
                    if (a.status() == 503) {
                        fast503++;
                        max503 = Math.max(max503, a.millis());
                        assertTrue(a.retryAfter() != null, "503 carries Retry-After");
                    } else if (a.status() == 200) {
                        ok++;
                    } else {
                        fail("status " + a.status() + ": " + a.body());
                    }
                } else {
                    hung++;
                }
            }
            assertTrue(fast503 >= 4 * POOL - POOL - 2, "writes beyond the pool are answered 503 within the client's 15 s: " + fast503
                    + " of " + 4 * POOL + " (" + hung + " hung, " + ok + " ok)");
            System.out.printf(Locale.ROOT, "reliability.pool pool=%d requests=%d answered_503=%d max_503_ms=%d hung_on_frozen_connections=%d ok=%d%n",
                    POOL, 4 * POOL, fast503, max503, hung, ok);
        } finally {
            proxy.restore();
        }
        while (readiness(node, 10_000).status() != 200) {
            Thread.sleep(100);
        }
        LoadClient.Answer after = LoadClient.submit(node.port, client.batch(client.receipts(client.challenge(node), 1)), 30_000);
        assertEquals(200, after.status(), after.body());
    }

    private static LoadClient.Answer readiness(JarNode node, int readTimeoutMillis) throws IOException {
        return LoadClient.send(node.port, "GET", "/health/ready", null, null, readTimeoutMillis);
    }

    private void outage(TcpProxy proxy, boolean down) throws Exception {
        if (!REAL_CLUSTER) {
            if (down) {
                proxy.cut();
            } else {
                proxy.restore();
            }
            return;
        }
        String version = System.getProperty("pouw.reliability.pg.version", "15");
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", down ? "stop" : "start")
                .redirectErrorStream(true).redirectOutput(temp.resolve("pg_ctlcluster.out").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "pg_ctlcluster " + (down ? "stop" : "start"));
    }
}
