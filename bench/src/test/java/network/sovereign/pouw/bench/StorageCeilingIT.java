package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmark's storage ceiling writes what the node writes, into the node's own schema: a fresh
 * PostgreSQL database migrated by the node jar's {@code migrate} (as {@code bench/run} does), a short
 * measurement, then every table agrees (one nonce row, one receipt and one credit per receipt; each
 * challenge's budget used by exactly the receipts stored for it). Checks rows, never the rate.
 */
class StorageCeilingIT {

    private static final String ADMIN_URL = System.getenv().getOrDefault("POUW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getenv().getOrDefault("POUW_TEST_PG_USER", "postgres");
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private String name;
    private String url;

    @BeforeEach
    void createAndMigrate() throws Exception {
        name = "pouw_test_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        url = ADMIN_URL.replaceFirst("(jdbc:postgresql://[^/?]*)/[^?]*", "$1/" + name);
        String hostPort = url.replaceFirst("jdbc:postgresql://([^/?]*)/.*", "$1");
        Path jar = Path.of(System.getProperty("pouw.node.jar", "../bootstrap/target/pouw-node.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            fail(jar + " is missing: build bootstrap first (./dev mvn -pl bench -am verify)");
        }
        Path log = Files.createTempFile("migrate", ".log");
        ProcessBuilder builder = new ProcessBuilder(JAVA.toString(), "-jar", jar.toString(), "migrate")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("POUW_"));
        builder.environment().put("POUW_DATABASE_URL", "postgres://" + USER + "@" + hostPort + "/" + name);
        builder.environment().put("POUW_DATA_DIR", Files.createTempDirectory("store-data").toString());
        Process migrate = builder.start();
        if (!migrate.waitFor(120, TimeUnit.SECONDS) || migrate.exitValue() != 0) {
            migrate.destroyForcibly();
            fail("migrate failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SigScheme.class, names = {"ED25519", "ML_DSA_65"})
    void stores_the_rows_of_accepted_receipts_in_the_nodes_schema(SigScheme scheme) throws Exception {
        SecureRandom random = new SecureRandom();
        ChallengeToken token = new ChallengeToken(1, ReceiptBuilder.random(32), ReceiptBuilder.random(16), ReceiptBuilder.random(32),
                1_800_000_000L, 1_800_000_300L, new Policy(100, 1L << 40, 1, List.of(ProofType.HASH)), ReceiptBuilder.random(64));
        IssuedChallenge challenge = new IssuedChallenge(Base64.getEncoder().encodeToString(new byte[180]), token, token.expiresAt());
        ClientKeyPair keys = ClientKeyPair.generate(scheme, random);
        List<SignedReceipt> samples = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            samples.add(ReceiptBuilder.answering(challenge, "did:sov:sample").proofType(ProofType.HASH).sign(keys));
        }
        StorageCeiling ceiling = new StorageCeiling(url, USER, "", samples, challenge);
        ObjectNode first = ceiling.measure(Duration.ofMillis(200), Duration.ofMillis(500), "test");
        ObjectNode second = ceiling.measure(Duration.ofMillis(100), Duration.ofMillis(300), "test");

        assertTrue(first.get("receipts_per_s").asLong() > 0, first.toString());
        assertFalse(first.get("ran_out_of_challenges").asBoolean(), first.toString());
        assertEquals(StorageCeiling.CONNECTIONS, first.get("connections").asInt());
        try (Connection c = DriverManager.getConnection(url, USER, ""); Statement s = c.createStatement()) {
            long receipts = count(s, "select count(*) from receipts");
            assertTrue(receipts >= StorageCeiling.PER_TRANSACTION * (first.get("transactions").asLong() + second.get("transactions").asLong()),
                    "receipts " + receipts);
            assertEquals(0, receipts % StorageCeiling.PER_TRANSACTION);
            assertEquals(receipts, count(s, "select count(*) from used_nonces"));
            assertEquals(receipts, count(s, "select count(*) from reward_entries where kind = 'receipt'"));
            assertEquals(receipts, count(s, "select coalesce(sum(used_receipts), 0) from challenges"));
            assertEquals(receipts, count(s, "select count(*) from receipts r join used_nonces n on n.receipt_nonce = r.receipt_nonce"
                    + " and n.receipt_id = r.receipt_id and n.challenge_nonce = r.challenge_nonce"));
            assertEquals(receipts, count(s, "select count(*) from receipts r join reward_entries e on e.receipt_id = r.receipt_id"
                    + " and e.amount_atoms = r.reward_atoms and e.client_did = r.client_did"));
            assertEquals(0, count(s, "select count(*) from challenges c where used_receipts <> (select count(*) from receipts r"
                    + " where r.challenge_nonce = c.challenge_nonce) or used_bytes <> (select coalesce(sum(bytes_verified), 0)"
                    + " from receipts r where r.challenge_nonce = c.challenge_nonce)"));
            assertEquals(0, count(s, "select count(*) from receipts where sig_scheme <> '" + scheme.wireName() + "'"
                    + " or octet_length(signature) <> " + samples.getFirst().signature().length()));
            assertEquals(StorageCeiling.CONNECTIONS, count(s, "select count(*) from clients"));
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
