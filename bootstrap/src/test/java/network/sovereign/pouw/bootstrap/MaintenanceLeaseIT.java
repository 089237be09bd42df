package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients, the re-entrant maintenance lease (issue 17 point 5): two concurrent
 * {@code POST /api/v1/admin/maintenance} calls on one node both answered 200 and overlapped (the lease
 * holder was the node's name, so the second "renewed" the first's lease), their purges stopped early
 * and left expired challenges behind while both reported success, and the first to end deleted the
 * lease under the other. Now one call is 200, the other 409, a third during the run 409 too, the lease
 * stays with its holder until that run ends, and no expired challenge is left.
 *
 * <p>The expired challenges are written straight into PostgreSQL; a psql session holds a row lock on one
 * of them for a few seconds, so the first run is certainly still purging when the other calls arrive.
 * The build seeds 3,000; {@code -Dpouw.reliability.expired.challenges=400000} (./dev reliability) the
 * attack's 400,000.
 */
class MaintenanceLeaseIT {

    private static final int EXPIRED = Integer.getInteger("pouw.reliability.expired.challenges", 3_000);
    private static final String TOKEN = "lease-admin-token-0123456789";
    private static final String DID = "did:sov:lease-client";
    private static final String PURGE = "{\"tasks\":[\"purge_challenges\"]}";

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void two_concurrent_maintenance_calls_on_one_node_one_runs_to_completion_and_the_other_is_409() throws Exception {
        String database = "pouw_lease_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        String pgPort = KillUnderLoadIT.pgPort();
        String pgHost = System.getenv().getOrDefault("POUW_TEST_PG_HOST", "127.0.0.1");
        Process locker = null;
        try (JarNode node = JarNode.start(temp, Map.of(
                "POUW_DATABASE_URL", "postgres://postgres@" + pgHost + ":" + pgPort + "/" + database,
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN,
                "POUW_DATA_DIR", temp.resolve("data").toString()))) {
            new LoadClient(DID).enrol(node, TOKEN);
            JarNode.psql(temp, database, "INSERT INTO challenges (challenge_nonce, task_id, client_did, node_id, issued_at, expires_at, "
                    + "max_receipts, max_bytes_total, min_bytes_per_receipt, allowed_proof_types, token) "
                    + "SELECT decode(md5('lease-' || i), 'hex'), decode(md5('task-' || i), 'hex'), '" + DID + "', '\\x00', "
                    + "now() - interval '9 days', now() - interval '8 days' - i * interval '1 millisecond', 1, 1, 0, 'hash', '\\x00' "
                    + "FROM generate_series(1, " + EXPIRED + ") AS i");
            JarNode.psql(temp, database, "INSERT INTO challenges (challenge_nonce, task_id, client_did, node_id, issued_at, expires_at, "
                    + "max_receipts, max_bytes_total, min_bytes_per_receipt, allowed_proof_types, token) "
                    + "VALUES (decode(md5('live'), 'hex'), decode(md5('live'), 'hex'), '" + DID + "', '\\x00', now(), now() + interval '1 hour', "
                    + "1, 1, 0, 'hash', '\\x00')");
            assertEquals(String.valueOf(EXPIRED), expired(database));

            // Holds one expired challenge for 5 s: the run that gets the lease waits on it inside its purge.
            locker = new ProcessBuilder("psql", "-h", pgHost, "-p", pgPort, "-U", "postgres", "-d", database, "-At", "-c",
                    "BEGIN; SELECT 1 FROM challenges WHERE challenge_nonce = decode(md5('lease-1'), 'hex') FOR UPDATE; "
                            + "SELECT pg_sleep(5); COMMIT;")
                    .redirectErrorStream(true).redirectOutput(temp.resolve("locker.out").toFile()).start();
            long lockDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!JarNode.psql(temp, database, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    + "WHERE a.query LIKE '%pg_sleep(5)%' AND l.locktype = 'transactionid'").equals("1")) {
                assertTrue(System.nanoTime() < lockDeadline, "the psql session holds its row lock");
                Thread.sleep(50);
            }

            List<JarNode.Response> answers = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<JarNode.Response>> calls = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return node.post("/api/v1/admin/maintenance", PURGE, TOKEN);
                    }));
                }
                go.countDown();
                // The refused one answers at once; the running one waits on the row lock.
                JarNode.Response refused = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                while (refused == null && System.nanoTime() < deadline) {
                    for (Future<JarNode.Response> call : calls) {
                        if (call.isDone()) {
                            refused = call.get();
                        }
                    }
                    Thread.sleep(20);
                }
                assertTrue(refused != null, "one call answered while the other runs");
                assertEquals(409, refused.status(), refused.body());
                assertTrue(refused.body().contains("holds the maintenance lease"), refused.body());
                String holder = JarNode.psql(temp, database, "SELECT holder FROM leases WHERE name = 'maintenance'");
                assertTrue(holder.matches(".+/[0-9a-f-]{36}"), "the running call holds the lease under its own token: " + holder);
                JarNode.Response third = node.post("/api/v1/admin/maintenance", PURGE, TOKEN);
                assertEquals(409, third.status(), "a third call during the run: " + third.body());
                assertEquals(holder, JarNode.psql(temp, database, "SELECT holder FROM leases WHERE name = 'maintenance'"),
                        "the refused calls left the lease to its holder");
                for (Future<JarNode.Response> call : calls) {
                    answers.add(call.get(5, TimeUnit.MINUTES));
                }
            } finally {
                pool.shutdownNow();
            }
            List<Integer> statuses = answers.stream().map(JarNode.Response::status).sorted().toList();
            assertEquals(List.of(200, 409), statuses, () -> "answers: " + answers);
            JarNode.Response ran = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow();
            assertTrue(ran.body().contains("\"purge_challenges\":{\"count\":" + EXPIRED + "}"), ran.body());
            assertEquals("0", expired(database), "no expired challenge left behind");
            assertEquals("1", JarNode.psql(temp, database, "SELECT count(*) FROM challenges"), "the live challenge stays");
            assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM leases"), "released by its holder");
            assertEquals("1", JarNode.psql(temp, database, "SELECT count(*) FROM admin_audit WHERE action = 'run_maintenance'"),
                    "only the run that happened is audited");
            System.out.printf(Locale.ROOT, "reliability.lease expired=%d answers=%s purged=%d left=0%n", EXPIRED, statuses, EXPIRED);
        } finally {
            if (locker != null) {
                locker.waitFor(30, TimeUnit.SECONDS);
            }
            JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private String expired(String database) throws Exception {
        return JarNode.psql(temp, database, "SELECT count(*) FROM challenges WHERE expires_at < now() - interval '7 days'");
    }
}
