package network.sovereign.pouw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * The storage ceiling of {@code ./dev bench}: how many accepted receipts per second this machine's
 * PostgreSQL stores when nothing but storing is done, in the node's own schema (a database of its
 * own, migrated by the node jar's {@code migrate}), with plain JDBC and no jOOQ.
 *
 * <p>It writes the rows the node writes for an accepted receipt ({@code JooqReceiptLedger}): challenges
 * are inserted first (as the node issues them, outside the timed phase), then each transaction stores
 * {@value #PER_TRANSACTION} receipts of one challenge with one multi-row statement per table, in the
 * node's order: the {@code used_nonces} rows ({@code on conflict do nothing}, as the node claims
 * nonces), one conditional budget update of the challenge, the {@code receipts} rows (the real
 * canonical bytes and signatures of the run's scheme) and the {@code reward_entries} credits; then
 * commit. {@value #CONNECTIONS} connections do this in parallel, one platform thread each, for a
 * warm-up and then a measured phase; the figure is receipts committed per second of wall time.
 */
final class StorageCeiling {

    /** Receipts per transaction, all of one challenge (the batched-100 scenario's unit). */
    static final int PER_TRANSACTION = 100;
    /** Connections (and threads) storing at once, like the node's group-commit lanes. */
    static final int CONNECTIONS = 4;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int CHALLENGE_CHUNK = 500;
    /** Receipts per second each phase has challenges for at least (2.5 times the highest ceiling measured here). */
    private static final double PROVISIONED_RATE = 50_000;
    private static final BigDecimal REWARD = new BigDecimal("1000000000000");
    private static final long MAX_BYTES_TOTAL = 1L << 40;

    private final String url;
    private final Properties credentials;
    private final List<SignedReceipt> samples;
    private final List<byte[]> sampleBytes;
    private final IssuedChallenge challenge;
    private final String schemeName;
    private final List<String> dids = new ArrayList<>();
    private boolean clientsInserted;

    /**
     * @param url       JDBC URL of a database carrying the node's schema, used by nothing else
     * @param user      its user
     * @param password  its password (empty for trust authentication)
     * @param samples   signed receipts of the run's scheme whose canonical bytes and signatures are stored
     * @param challenge a challenge the node issued, whose token, node id and sizes the inserted challenges copy
     */
    StorageCeiling(String url, String user, String password, List<SignedReceipt> samples, IssuedChallenge challenge) {
        this.url = Objects.requireNonNull(url, "url");
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        if (!password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples must not be empty");
        }
        this.samples = List.copyOf(samples);
        this.sampleBytes = samples.stream().map(s -> CanonicalEncoding.encode(s.receipt())).toList();
        this.challenge = Objects.requireNonNull(challenge, "challenge");
        this.schemeName = samples.getFirst().sigScheme();
        String run = ReceiptBuilder.random(4).hex();
        for (int i = 0; i < CONNECTIONS; i++) {
            dids.add("did:sov:store-" + run + "-" + i);
        }
    }

    /** A warm-up of {@code warmup}, then {@code measure} timed; returns the figure and how it was taken. */
    ObjectNode measure(Duration warmup, Duration measure, String loadBefore) throws SQLException, InterruptedException {
        return measure(warmup, measure, loadBefore, null);
    }

    /**
     * Like {@link #measure(Duration, Duration, String)}, and with {@code probe} (when not null) the CPU
     * used during the measured phase, by PostgreSQL and by this JVM, per receipt: to compare with what
     * the node's scenarios cost.
     */
    ObjectNode measure(Duration warmup, Duration measure, String loadBefore, NodeProbe probe) throws SQLException, InterruptedException {
        if (!clientsInserted) {
            insertClients();
            clientsInserted = true;
        }
        // Challenges for up to ~50,000 receipts/s in each phase, or twice what the warm-up reached if that is more: a short
        // warm-up may still run unwarmed code, so what it reached alone is no bound on the measured phase.
        Phase warm = run(insertChallenges(challengesFor(PROVISIONED_RATE, warmup)), warmup);
        List<ChallengeRow> timedChallenges = insertChallenges(challengesFor(Math.max(PROVISIONED_RATE, warm.receiptsPerSecond() * 2), measure));
        NodeProbe.CpuTicks cpuBefore = probe == null ? null : probe.cpu();
        Phase timed = run(timedChallenges, measure);
        NodeProbe.CpuTicks cpuAfter = probe == null ? null : probe.cpu();
        ObjectNode json = MAPPER.createObjectNode();
        json.put("connections", CONNECTIONS);
        json.put("receipts_per_transaction", PER_TRANSACTION);
        json.put("seconds", Stats.round(timed.seconds()));
        json.put("transactions", timed.transactions());
        json.put("receipts_per_s", Math.round(timed.receiptsPerSecond()));
        json.put("warmup_receipts_per_s", Math.round(warm.receiptsPerSecond()));
        json.put("ran_out_of_challenges", timed.ranOut());
        json.put("loadavg_before", loadBefore);
        if (probe != null) {
            // "node" is the idle node beside it, "load_generator" this JVM's JDBC side; the connections' setup is inside.
            json.set("cpu", cpuAfter.since(cpuBefore, timed.seconds(), timed.receipts(), MAPPER));
        }
        return json;
    }

    private static int challengesFor(double receiptsPerSecond, Duration phase) {
        return (int) Math.ceil(receiptsPerSecond * (phase.toMillis() / 1000.0) / PER_TRANSACTION) + CONNECTIONS;
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, credentials);
        c.setAutoCommit(false);
        return c;
    }

    private void insertClients() throws SQLException {
        try (Connection c = connect();
             PreparedStatement insert = c.prepareStatement("insert into clients (did, sig_scheme, public_key, enrolled_at, updated_at)"
                     + " values (?, ?, ?, ?, ?)")) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (String did : dids) {
                insert.setString(1, did);
                insert.setString(2, schemeName);
                insert.setBytes(3, ReceiptBuilder.random(32).toArray());
                insert.setObject(4, now);
                insert.setObject(5, now);
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        }
    }

    /** One challenge of what the node issues: a fresh nonce and task, the sample's node id, token and sizes. */
    private record ChallengeRow(byte[] nonce, byte[] taskId, String did) {
    }

    /** Inserts {@code n} challenges with multi-row statements (untimed) and returns them. */
    private List<ChallengeRow> insertChallenges(int n) throws SQLException {
        List<ChallengeRow> rows = new ArrayList<>(n);
        int nonceLength = challenge.challengeNonce().length();
        int taskLength = challenge.taskId().length();
        for (int i = 0; i < n; i++) {
            rows.add(new ChallengeRow(ReceiptBuilder.random(nonceLength).toArray(), ReceiptBuilder.random(taskLength).toArray(),
                    dids.get(i % dids.size())));
        }
        byte[] nodeId = challenge.challenge().nodeId().toArray();
        byte[] token = challenge.tokenBytes();
        OffsetDateTime issued = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime expires = issued.plusHours(1);
        try (Connection c = connect()) {
            for (int from = 0; from < n; from += CHALLENGE_CHUNK) {
                int count = Math.min(CHALLENGE_CHUNK, n - from);
                String sql = "insert into challenges (challenge_nonce, task_id, client_did, node_id, issued_at, expires_at, max_receipts,"
                        + " max_bytes_total, min_bytes_per_receipt, allowed_proof_types, token) values "
                        + values(count, 11);
                try (PreparedStatement insert = c.prepareStatement(sql)) {
                    int p = 1;
                    for (ChallengeRow row : rows.subList(from, from + count)) {
                        insert.setBytes(p++, row.nonce());
                        insert.setBytes(p++, row.taskId());
                        insert.setString(p++, row.did());
                        insert.setBytes(p++, nodeId);
                        insert.setObject(p++, issued);
                        insert.setObject(p++, expires);
                        insert.setInt(p++, PER_TRANSACTION);
                        insert.setLong(p++, MAX_BYTES_TOTAL);
                        insert.setLong(p++, 1);
                        insert.setString(p++, "hash,merkle");
                        insert.setBytes(p++, token);
                    }
                    insert.executeUpdate();
                }
            }
            c.commit();
        }
        return rows;
    }

    /** {@code rows} groups of {@code columns} placeholders: {@code (?, ?), (?, ?)}. */
    private static String values(int rows, int columns) {
        String row = "(" + "?, ".repeat(columns - 1) + "?)";
        StringBuilder s = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            s.append(i == 0 ? "" : ", ").append(row);
        }
        return s.toString();
    }

    private record Phase(long receipts, long transactions, double seconds, boolean ranOut) {
        double receiptsPerSecond() {
            return receipts / seconds;
        }
    }

    /** {@value #CONNECTIONS} threads storing a challenge's worth of receipts per transaction until {@code duration} is up. */
    private Phase run(List<ChallengeRow> challenges, Duration duration) throws SQLException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        LongAdder receipts = new LongAdder();
        LongAdder transactions = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                connections.add(connect());
            }
            long t0 = System.nanoTime();
            long end = t0 + duration.toNanos();
            List<Thread> workers = new ArrayList<>();
            for (Connection c : connections) {
                workers.add(Thread.ofPlatform().name("store-ceiling").start(() -> {
                    try (Writer writer = new Writer(c)) {
                        int index;
                        while (System.nanoTime() < end && (index = next.getAndIncrement()) < challenges.size()) {
                            writer.store(challenges.get(index));
                            receipts.add(PER_TRANSACTION);
                            transactions.increment();
                        }
                    } catch (SQLException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (failure.get() != null) {
                throw new SQLException("storage ceiling: " + failure.get().getMessage(), failure.get());
            }
            return new Phase(receipts.sum(), transactions.sum(), seconds, next.get() >= challenges.size());
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    /** One connection's prepared statements for a transaction of {@value #PER_TRANSACTION} receipts. */
    private final class Writer implements AutoCloseable {

        private final Connection c;
        private final PreparedStatement nonces;
        private final PreparedStatement budget;
        private final PreparedStatement receiptRows;
        private final PreparedStatement credits;
        private int sample = ThreadLocalRandom.current().nextInt(samples.size());

        Writer(Connection c) throws SQLException {
            this.c = c;
            nonces = c.prepareStatement("insert into used_nonces (receipt_nonce, client_did, receipt_id, challenge_nonce, created_at) values "
                    + values(PER_TRANSACTION, 5) + " on conflict (receipt_nonce) do nothing");
            budget = c.prepareStatement("update challenges set used_receipts = used_receipts + ?, used_bytes = used_bytes + ?"
                    + " where challenge_nonce = ? and used_receipts <= max_receipts - ? and used_bytes <= max_bytes_total - ?");
            receiptRows = c.prepareStatement("insert into receipts (receipt_id, client_did, challenge_nonce, task_id, receipt_nonce, content_id,"
                    + " proof_type, bytes_verified, result_ok, started_at, finished_at, sig_scheme, signed_bytes, signature, reward_atoms,"
                    + " epoch, submitted_at, validated_at, node_id) values " + values(PER_TRANSACTION, 19));
            credits = c.prepareStatement("insert into reward_entries (client_did, epoch, kind, receipt_id, amount_atoms, created_at) values "
                    + values(PER_TRANSACTION, 6));
        }

        void store(ChallengeRow row) throws SQLException {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            long epoch = now.toEpochSecond() / 86_400;
            byte[] nodeId = challenge.challenge().nodeId().toArray();
            String[] ids = new String[PER_TRANSACTION];
            byte[][] receiptNonces = new byte[PER_TRANSACTION][];
            long bytes = 0;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < PER_TRANSACTION; i++) {
                ids[i] = UUID.randomUUID().toString();
                receiptNonces[i] = new byte[16];
                random.nextBytes(receiptNonces[i]);
            }
            int p = 1;
            for (int i = 0; i < PER_TRANSACTION; i++) {
                nonces.setBytes(p++, receiptNonces[i]);
                nonces.setString(p++, row.did());
                nonces.setString(p++, ids[i]);
                nonces.setBytes(p++, row.nonce());
                nonces.setObject(p++, now);
            }
            p = 1;
            for (int i = 0; i < PER_TRANSACTION; i++) {
                int s = sample++ % samples.size();
                Receipt receipt = samples.get(s).receipt();
                bytes += receipt.bytesVerified();
                receiptRows.setString(p++, ids[i]);
                receiptRows.setString(p++, row.did());
                receiptRows.setBytes(p++, row.nonce());
                receiptRows.setBytes(p++, row.taskId());
                receiptRows.setBytes(p++, receiptNonces[i]);
                receiptRows.setBytes(p++, receipt.contentId().toArray());
                receiptRows.setString(p++, receipt.proofType().jsonName());
                receiptRows.setLong(p++, receipt.bytesVerified());
                receiptRows.setBoolean(p++, receipt.resultOk());
                receiptRows.setLong(p++, receipt.startedAt());
                receiptRows.setLong(p++, receipt.finishedAt());
                receiptRows.setString(p++, schemeName);
                receiptRows.setBytes(p++, sampleBytes.get(s));
                receiptRows.setBytes(p++, samples.get(s).signature().toArray());
                receiptRows.setBigDecimal(p++, REWARD);
                receiptRows.setLong(p++, epoch);
                receiptRows.setObject(p++, now);
                receiptRows.setObject(p++, now);
                receiptRows.setBytes(p++, nodeId);
            }
            p = 1;
            for (int i = 0; i < PER_TRANSACTION; i++) {
                credits.setString(p++, row.did());
                credits.setLong(p++, epoch);
                credits.setString(p++, "receipt");
                credits.setString(p++, ids[i]);
                credits.setBigDecimal(p++, REWARD);
                credits.setObject(p++, now);
            }
            budget.setInt(1, PER_TRANSACTION);
            budget.setLong(2, bytes);
            budget.setBytes(3, row.nonce());
            budget.setInt(4, PER_TRANSACTION);
            budget.setLong(5, bytes);
            try {
                int claimed = nonces.executeUpdate();
                int budgeted = budget.executeUpdate();
                if (claimed != PER_TRANSACTION || budgeted != 1) {
                    throw new IllegalStateException("claimed " + claimed + " nonces and " + budgeted + " budgets, expected "
                            + PER_TRANSACTION + " and 1");
                }
                receiptRows.executeUpdate();
                credits.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }

        @Override
        public void close() throws SQLException {
            nonces.close();
            budget.close();
            receiptRows.close();
            credits.close();
        }
    }
}
