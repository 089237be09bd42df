package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of the issue "hostile clients" on the submit path, performed on the shipped jar over real
 * sockets against PostgreSQL, by a client without the victim's key. Each test fails on the node before
 * the fix (see docs/RELIABILITY.md, "Hostile clients").
 */
class HostileClientsJarIT {

    private static final String TOKEN = "hostile-admin-token-0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DID_LIMIT = 5;
    private static final int REJECTION_BUDGET = 50;
    /** Health probes (pairs) taken while hostile bodies saturate the submit path: 20 in the build, more in {@code ./dev reliability}. */
    private static final int PROBES = Integer.getInteger("pouw.reliability.hostile.probes", 20);

    @TempDir
    static Path temp;
    private static String database;
    private static JarNode node;

    @BeforeAll
    static void start() throws Exception {
        database = "pouw_hostile_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        node = JarNode.start(temp, Map.of(
                "POUW_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres",
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN,
                "POUW_TRUSTED_PROXIES", "127.0.0.1",
                "POUW_RATE_LIMIT_IP", "100000",
                "POUW_RATE_LIMIT_DID", Integer.toString(DID_LIMIT),
                "POUW_RATE_LIMIT_REJECTIONS", Integer.toString(REJECTION_BUDGET),
                "POUW_MAX_RECEIPTS_PER_CHALLENGE", "1000"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static LoadClient enrolled(String name) throws IOException {
        LoadClient client = new LoadClient("did:sov:" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
        client.enrol(node, TOKEN);
        return client;
    }

    /** A request as from {@code address} (the node trusts X-Forwarded-For from loopback here). */
    private static LoadClient.Answer from(String address, String contentType, byte[] body) throws IOException {
        return LoadClient.send(node.port, "POST", "/api/v1/pouw/receipts", contentType, body, 60_000, Map.of("X-Forwarded-For", address));
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Bytes random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return Bytes.of(b);
    }

    private static Receipt receipt(String did, Bytes[] challenge, long startedAt, long finishedAt, Bytes contentId, Bytes nonce) {
        return new Receipt(1, challenge[0], did, Bytes.EMPTY, Bytes.EMPTY, contentId, ProofType.HASH, LoadClient.BYTES, true,
                startedAt, finishedAt, nonce, challenge[1], Optional.empty());
    }

    private static Receipt receipt(String did, Bytes[] challenge) {
        long now = Instant.now().getEpochSecond();
        return receipt(did, challenge, now, now, random(16), random(16));
    }

    private static String batch(String did, List<SignedReceipt> receipts) {
        List<String> items = receipts.stream().map(LoadClient::json).toList();
        return "{\"version\":1,\"client_did\":\"" + did + "\",\"batch_nonce\":\"" + random(16).hex() + "\",\"receipts\":["
                + String.join(",", items) + "]}";
    }

    private static String only(String body, String field) {
        return JarNode.field(body, field);
    }

    @Test
    void unsigned_requests_naming_a_did_from_another_address_never_lock_its_owner_out() throws Exception {
        LoadClient victim = enrolled("victim");
        Bytes[] challenge = victim.challenge(node);
        for (int i = 0; i < 11 * DID_LIMIT; i++) {
            SignedReceipt forged = new SignedReceipt(receipt(victim.did, challenge), "ed25519", random(64));
            LoadClient.Answer answer = from("10.6.6.6", "application/json", json(batch(victim.did, List.of(forged))));
            assertEquals(200, answer.status(), "a forged batch is answered, and spends none of the DID's permits: " + answer.body());
            assertEquals("invalid_signature", only(answer.body(), "reason"));
        }
        for (int i = 0; i < DID_LIMIT - 1; i++) {
            LoadClient.Answer own = from("10.0.0.1", "application/json", json(victim.batch(victim.receipts(challenge, 1))));
            assertEquals(200, own.status(), "the owner's signed batch " + i + " is not throttled: " + own.body());
            assertEquals(1, LoadClient.accepted(own.body()).size(), own.body());
        }
        System.out.printf(Locale.ROOT, "reliability.hostile.lockout forged_batches=%d owner_batches_accepted=%d%n", 11 * DID_LIMIT, DID_LIMIT - 1);
    }

    @Test
    void a_flood_of_large_forged_receipts_stores_a_bounded_number_of_small_rows() throws Exception {
        LoadClient victim = enrolled("flooded");
        Bytes[] challenge = victim.challenge(node);
        Bytes fat = random(19_000);
        int requests = 5;
        long bodyBytes = 0;
        for (int r = 0; r < requests; r++) {
            List<SignedReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long now = Instant.now().getEpochSecond();
                receipts.add(new SignedReceipt(receipt(victim.did, challenge, now, now, fat, random(16)), "ed25519", fat));
            }
            byte[] body = CanonicalEncoding.encode(new ReceiptBatch(1, victim.did, random(16), receipts));
            bodyBytes += body.length;
            LoadClient.Answer answer = from("10.6.6." + (r % 2), "application/x-protobuf", body);
            assertEquals(200, answer.status(), answer.body());
            assertEquals(100, LoadClient.rejected(answer.body()).size(), "every forged receipt is answered");
        }
        String[] stored = JarNode.psql(temp, database, "SELECT count(*), coalesce(max(octet_length(signed_bytes)), 0), "
                + "coalesce(max(octet_length(signature)), 0), count(*) FILTER (WHERE authenticated) FROM rejections WHERE client_did = '"
                + victim.did + "'").split("\\|");
        int rows = Integer.parseInt(stored[0]);
        assertTrue(rows <= REJECTION_BUDGET, "unauthenticated rejections stored for one DID stay within the budget: " + rows);
        assertTrue(Integer.parseInt(stored[1]) <= 512, "a prefix of the bytes is kept: " + stored[1]);
        assertTrue(Integer.parseInt(stored[2]) <= 64, "a prefix of the signature is kept: " + stored[2]);
        assertEquals("0", stored[3], "none of them is the DID's own");
        String bytesStored = JarNode.psql(temp, database, "SELECT coalesce(sum(pg_column_size(r.*)), 0) FROM rejections r WHERE client_did = '"
                + victim.did + "'");
        String history = JarNode.call("GET", node.port, "/api/v1/pouw/clients/" + victim.did + "/history", null, TOKEN).body();
        assertTrue(history.contains("\"reason\":\"invalid_signature\",\"authenticated\":false"), "history tells them apart: " + history);
        System.out.printf(Locale.ROOT, "reliability.hostile.rejection_flood requests=%d body_bytes=%d rows=%d row_bytes=%s%n", requests, bodyBytes, rows,
                bytesStored);
    }

    @Test
    void rejections_belong_to_the_batch_did_and_a_stranger_never_gets_a_history() throws Exception {
        LoadClient attacker = enrolled("attacker");
        LoadClient victim = enrolled("framed");
        String stranger = "did:sov:never-enrolled-" + UUID.randomUUID().toString().substring(0, 8);
        Bytes[] challenge = attacker.challenge(node);
        List<SignedReceipt> claims = List.of(attacker.sign(receipt(victim.did, challenge)), attacker.sign(receipt(stranger, challenge)),
                attacker.sign(receipt(victim.did, challenge)));
        LoadClient.Answer answer = from("10.6.6.7", "application/json", json(batch(attacker.did, claims)));
        assertEquals(200, answer.status(), answer.body());
        assertEquals(3, LoadClient.rejected(answer.body()).size(), answer.body());

        assertEquals(404, JarNode.call("GET", node.port, "/api/v1/pouw/clients/" + stranger + "/history", null, TOKEN).status(),
                "a DID that was never enrolled has no history");
        String victims = JarNode.call("GET", node.port, "/api/v1/pouw/clients/" + victim.did + "/history", null, TOKEN).body();
        assertTrue(victims.contains("\"receipts\":[]"), "nothing lands under the DID the receipts claimed: " + victims);
        assertEquals("3", JarNode.psql(temp, database, "SELECT count(*) FROM rejections WHERE client_did = '" + attacker.did + "'"));
        assertEquals("0", JarNode.psql(temp, database, "SELECT count(*) FROM rejections WHERE client_did IN ('" + victim.did + "', '"
                + stranger + "')"));
    }

    @Test
    void a_replay_needs_the_original_signature_and_a_nonce_probe_learns_nothing() throws Exception {
        LoadClient owner = enrolled("owner");
        LoadClient prober = enrolled("prober");
        Bytes[] challenge = owner.challenge(node);
        SignedReceipt accepted = owner.sign(receipt(owner.did, challenge));
        LoadClient.Answer first = from("10.0.0.2", "application/json", json(batch(owner.did, List.of(accepted))));
        assertEquals(1, LoadClient.accepted(first.body()).size(), first.body());

        for (Bytes signature : List.of(Bytes.of(new byte[64]), Bytes.of(new byte[] {1}), random(3309))) {
            for (String scheme : List.of("ed25519", "ml-dsa-65")) {
                SignedReceipt resent = new SignedReceipt(accepted.receipt(), scheme, signature);
                LoadClient.Answer answer = from("10.6.6.8", "application/json", json(batch(owner.did, List.of(resent))));
                assertEquals("invalid_signature", only(answer.body(), "reason"), "no replay answer (id, reward) without the signature: "
                        + answer.body());
            }
        }
        LoadClient.Answer replay = from("10.0.0.2", "application/json", json(batch(owner.did, List.of(accepted))));
        assertTrue(LoadClient.accepted(replay.body()).getFirst().replayed(), "the identical resend is still a replay: " + replay.body());

        Bytes[] probersChallenge = prober.challenge(node);
        long now = Instant.now().getEpochSecond();
        SignedReceipt probe = new SignedReceipt(receipt(prober.did, probersChallenge, now, now, random(16),
                accepted.receipt().receiptNonce()), "ed25519", random(64));
        LoadClient.Answer probed = from("10.6.6.8", "application/json", json(batch(prober.did, List.of(probe))));
        assertEquals("invalid_signature", only(probed.body(), "reason"), "a used nonce is not revealed to a bad signature: " + probed.body());
    }

    @Test
    void receipt_times_outside_the_challenges_window_are_policy_violations() throws Exception {
        LoadClient client = enrolled("clock");
        Bytes[] challenge = client.challenge(node);
        long now = Instant.now().getEpochSecond();
        long[][] times = {{1, now}, {now, Long.MIN_VALUE}, {now - 3600, now}, {now, now + 3600}};
        for (long[] t : times) {
            SignedReceipt signed = client.sign(receipt(client.did, challenge, t[0], t[1], random(16), random(16)));
            LoadClient.Answer answer = from("10.0.0.3", "application/json", json(batch(client.did, List.of(signed))));
            assertEquals("policy_violation", only(answer.body(), "reason"),
                    "started_at " + Long.toUnsignedString(t[0]) + ", finished_at " + Long.toUnsignedString(t[1]) + ": " + answer.body());
        }
    }

    @Test
    void bodies_of_millions_of_tiny_elements_are_refused_at_once_counted_once_and_never_starve_health() throws Exception {
        StringBuilder items = new StringBuilder("{\"version\":1,\"client_did\":\"x\",\"receipts\":[1");
        while (items.length() < 3_800_000) {
            items.append(",1");
        }
        byte[] hostileJson = json(items.append("]}").toString());
        byte[] hostileProto = new byte[4 * 1024 * 1024 - 64];
        for (int i = 0; i < hostileProto.length; i += 2) {
            hostileProto[i] = 0x22; // field 4 (receipts), length 0
        }
        double receivedBefore = JarNode.series(node.metrics(), "pouw_receipts_received_total");
        LoadClient.Answer json = from("10.6.6.9", "application/json", hostileJson);
        LoadClient.Answer proto = from("10.6.6.9", "application/x-protobuf", hostileProto);
        assertEquals(413, json.status(), json.body());
        assertEquals(413, proto.status(), proto.body());
        assertEquals("application/problem+json", json.contentType());
        assertEquals(receivedBefore + 2, JarNode.series(node.metrics(), "pouw_receipts_received_total"),
                "a refused batch counts once, not once per element");

        // Six clients send such bodies back to back while an operator's probe checks liveness and readiness.
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService attackers = Executors.newFixedThreadPool(6);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int a = 0; a < 6; a++) {
            byte[] body = a % 2 == 0 ? hostileJson : hostileProto;
            String type = a % 2 == 0 ? "application/json" : "application/x-protobuf";
            sent.add(attackers.submit(() -> {
                int n = 0;
                while (running.get()) {
                    try {
                        from("10.6.6." + (10 + n % 50), type, body);
                    } catch (IOException e) {
                        // The node may close the connection on a refused body; the attacker just goes on.
                    }
                    n++;
                }
                return n;
            }));
        }
        long worstMillis = 0;
        try {
            Thread.sleep(500);
            for (int probe = 0; probe < PROBES; probe++) {
                for (String path : List.of("/health/live", "/health/ready")) {
                    long started = System.nanoTime();
                    JarNode.Response health = node.get(path);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    assertEquals(200, health.status(), path + " " + health.body());
                    worstMillis = Math.max(worstMillis, millis);
                }
                Thread.sleep(100);
            }
        } finally {
            running.set(false);
            attackers.shutdown();
        }
        int bodies = 0;
        for (Future<Integer> f : sent) {
            bodies += f.get();
        }
        System.out.printf(Locale.ROOT, "reliability.hostile.tiny_elements probes=%d hostile_bodies=%d worst_health_ms=%d json_413_ms=%d "
                + "proto_413_ms=%d%n", 2 * PROBES, bodies, worstMillis, json.millis(), proto.millis());
        // A probe's timeout, not a speed figure: the old node took 16 s to answer /health/live under two such bodies.
        assertTrue(worstMillis < 1_000, "health answered within 1 s under hostile bodies: worst " + worstMillis + " ms");
        assertFalse(bodies == 0);
    }

    @Test
    void a_credit_whose_epoch_was_paid_while_its_commit_waited_moves_to_the_open_epoch() throws Exception {
        LoadClient client = enrolled("late");
        Bytes[] challenge = client.challenge(node);
        long epoch = Instant.now().getEpochSecond() / 3600;
        // An operator's long transaction holds the challenge's row, so the accept waits on it ...
        Process holder = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-c",
                "BEGIN; SELECT 1 FROM challenges WHERE challenge_nonce = decode('" + challenge[1].hex() + "', 'hex') FOR UPDATE; "
                        + "SELECT pg_sleep(3); COMMIT;").redirectErrorStream(true).redirectOutput(temp.resolve("holder.out").toFile()).start();
        Thread.sleep(500);
        ExecutorService submitter = Executors.newSingleThreadExecutor();
        Future<LoadClient.Answer> answer = submitter.submit(() -> from("10.0.0.9", "application/json",
                json(client.batch(client.receipts(challenge, 1)))));
        Thread.sleep(500);
        // ... and meanwhile the epoch's payouts are made.
        JarNode.psql(temp, database, "INSERT INTO payouts (payout_id, client_did, epoch, amount_atoms, status, created_at, updated_at) "
                + "VALUES ('late-payout', '" + client.did + "', " + epoch + ", 0, 'pending', now(), now())");
        LoadClient.Answer accepted = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
        submitter.shutdown();
        holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, LoadClient.accepted(accepted.body()).size(), accepted.body());
        String receiptId = LoadClient.accepted(accepted.body()).getFirst().receiptId();
        assertEquals(Long.toString(epoch + 1), JarNode.psql(temp, database, "SELECT epoch FROM reward_entries WHERE receipt_id = '"
                + receiptId + "'"), "the credit is not left in an epoch whose payouts exist");
        assertEquals(Long.toString(epoch + 1), JarNode.psql(temp, database, "SELECT epoch FROM receipts WHERE receipt_id = '" + receiptId + "'"));
        System.out.printf(Locale.ROOT, "reliability.hostile.late_credit waited_ms=%d paid_epoch=%d credit_epoch=%d%n", accepted.millis(), epoch,
                epoch + 1);
    }
}
