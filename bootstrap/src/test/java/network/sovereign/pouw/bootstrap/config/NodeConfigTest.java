package network.sovereign.pouw.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeConfigTest {

    @TempDir
    Path temp;

    private static NodeConfig parse(Map<String, String> values) {
        return NodeConfig.from(ConfigSource.of(values));
    }

    @Test
    void defaults_are_those_of_the_spec() {
        NodeConfig config = parse(Map.of());
        assertEquals("0.0.0.0", config.http().host());
        assertEquals(8080, config.http().port());
        assertEquals(9090, config.http().metricsPort());
        assertEquals(4L * 1024 * 1024, config.http().maxBodyBytes());
        assertEquals(Path.of("./data"), config.dataDir());
        assertTrue(config.database().url().isEmpty(), "embedded H2 by default");
        assertEquals(10, config.database().poolSize());
        assertEquals(Duration.ofSeconds(2), config.database().acquireTimeout());
        assertEquals(Duration.ofSeconds(10), config.database().statementTimeout());
        assertEquals(Duration.ofSeconds(15), config.database().socketTimeout());
        assertEquals(SigScheme.ED25519, config.nodeKey().scheme());
        assertEquals(Path.of("./data/node.key"), config.nodeKey().keyFile());
        assertEquals(Duration.ofSeconds(300), config.protocol().challengeTtl());
        assertEquals(Duration.ofSeconds(30), config.protocol().clockSkew());
        assertEquals(100, config.protocol().batchSizeMax());
        assertEquals(20, config.protocol().maxReceiptsPerChallenge());
        assertEquals(10_485_760L, config.protocol().maxBytesPerChallenge());
        assertEquals(1024L, config.protocol().minBytesPerReceipt());
        assertEquals(5, config.protocol().acceptedSigSchemes().size());
        assertEquals(BigInteger.TEN.pow(12), config.rewards().baseAtoms());
        assertEquals(new BigInteger("599315068493150684"), config.rewards().epochCapAtoms());
        assertEquals(Map.of(ProofType.HASH, 1, ProofType.MERKLE, 2, ProofType.SIGNATURE, 3), config.rewards().weights());
        assertEquals(3600, config.rewards().epochSecs());
        assertEquals(100, config.rateLimits().perIp());
        assertEquals(50, config.rateLimits().perDid());
        assertEquals(Duration.ofSeconds(60), config.rateLimits().window());
        assertEquals(NodeConfig.Enrollment.ADMIN, config.security().enrollment());
        assertTrue(config.security().adminTokens().isEmpty(), "a token is generated when none is configured");
        assertEquals(Duration.ofDays(7), config.retention().challengeRetention());
        assertEquals(Duration.ofHours(24), config.retention().nonceRetention());
        assertEquals(Duration.ofDays(90), config.retention().receiptArchiveAge());
        assertEquals(Level.INFO, config.logging().level());
        assertEquals(NodeConfig.Logging.Format.TEXT, config.logging().format());
        assertTrue(config.tls().isEmpty());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "POUW_HTTP_PORT|abc",
            "POUW_HTTP_PORT|70000",
            "POUW_METRICS_PORT|-1",
            "POUW_DB_POOL_SIZE|0",
            "POUW_DB_ACQUIRE_TIMEOUT_SECS|0",
            "POUW_DB_STATEMENT_TIMEOUT_SECS|0",
            "POUW_DB_SOCKET_TIMEOUT_SECS|10",
            "POUW_DB_SOCKET_TIMEOUT_SECS|soon",
            "POUW_CHALLENGE_TTL_SECS|ten",
            "POUW_CLOCK_SKEW_SECS|-5",
            "POUW_RATE_LIMIT_IP|0",
            "POUW_RATE_LIMIT_DID|lots",
            "POUW_BATCH_SIZE_MAX|0",
            "POUW_MAX_BODY_BYTES|12",
            "POUW_LOG_LEVEL|verbose",
            "POUW_LOG_FORMAT|xml",
            "POUW_ENROLLMENT|public",
            "POUW_NODE_KEY_SCHEME|rsa",
            "POUW_NODE_KEY_SCHEME|ml-dsa-44",
            "POUW_NODE_SECRET_KEY|not*base64",
            "POUW_ACCEPTED_SIG_SCHEMES|ed25519,rsa",
            "POUW_REWARD_WEIGHTS|hash:1,merkle:2",
            "POUW_REWARD_WEIGHTS|hash:one,merkle:2,signature:3",
            "POUW_REWARD_BASE_ATOMS|-1",
            "POUW_EPOCH_CAP_ATOMS|1e18",
            "POUW_EPOCH_SECS|0",
            "POUW_DATABASE_URL|mysql://localhost/pouw",
            "POUW_DATABASE_URL|postgres://user:pw@host:5432/",
            "POUW_ADMIN_TOKENS|justatoken",
            "POUW_ADMIN_TOKENS|ops:short",
            "POUW_METRICS_TOKEN|short",
            "POUW_TRUSTED_PROXIES|10.0.0.0/33",
            "POUW_TRUSTED_PROXIES|proxy.example.com",
            "POUW_TRUSTED_PROXIES|1.2.3",
            "POUW_HTTP_HOST|bad host",
            "POUW_HTTP_MAX_CONNECTIONS|0",
            "POUW_HTTP_MAX_CONNECTIONS_PER_IP|0",
            "POUW_HTTP_BODY_TIMEOUT_SECS|0",
            "POUW_TLS_CERT|/nonexistent/cert.pem",
    })
    void a_bad_value_is_refused_with_the_setting_named(String setting, String value) {
        Map<String, String> values = new HashMap<>();
        values.put(setting, value);
        if (setting.equals("POUW_TLS_CERT")) {
            values.put("POUW_TLS_KEY", "/nonexistent/key.pem");
        }
        ConfigException e = assertThrows(ConfigException.class, () -> parse(values));
        assertEquals(setting, e.setting());
        assertTrue(e.getMessage().startsWith(setting + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void secrets_are_never_echoed_in_errors() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(Map.of("POUW_ADMIN_TOKENS", "ops:s3cr3t-short")));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        ConfigException url = assertThrows(ConfigException.class,
                () -> parse(Map.of("POUW_DATABASE_URL", "mysql://pouw:hunter2@db/pouw")));
        assertFalse(url.getMessage().contains("hunter2"), url.getMessage());
    }

    @Test
    void nonce_retention_shorter_than_ttl_plus_skew_is_refused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(Map.of("POUW_CHALLENGE_TTL_SECS", "86400", "POUW_CLOCK_SKEW_SECS", "60", "POUW_NONCE_RETENTION_HOURS", "24")));
        assertEquals("POUW_NONCE_RETENTION_HOURS", e.setting());
        assertEquals(Duration.ofHours(25), parse(Map.of("POUW_CHALLENGE_TTL_SECS", "86400", "POUW_CLOCK_SKEW_SECS", "60",
                "POUW_NONCE_RETENTION_HOURS", "25")).retention().nonceRetention());
    }

    @Test
    void listener_limits_default_and_a_per_ip_cap_above_the_cap_is_refused() {
        NodeConfig defaults = parse(Map.of());
        assertTrue(defaults.http().maxConnections().isEmpty(), "the default is fitted to the open-file limit at start-up");
        assertEquals(64, defaults.http().maxConnectionsPerIp());
        assertEquals(Duration.ofSeconds(30), defaults.http().bodyTimeout());
        assertEquals(500, parse(Map.of("POUW_HTTP_MAX_CONNECTIONS", "500")).http().maxConnections().getAsInt());
        assertEquals("POUW_HTTP_MAX_CONNECTIONS_PER_IP", assertThrows(ConfigException.class,
                () -> parse(Map.of("POUW_HTTP_MAX_CONNECTIONS", "10", "POUW_HTTP_MAX_CONNECTIONS_PER_IP", "11"))).setting());
    }

    @Test
    void same_http_and_metrics_port_is_refused() {
        assertEquals("POUW_METRICS_PORT",
                assertThrows(ConfigException.class, () -> parse(Map.of("POUW_HTTP_PORT", "9090"))).setting());
    }

    @Test
    void tls_needs_both_files() throws IOException {
        Path cert = Files.writeString(temp.resolve("cert.pem"), "x");
        assertEquals("POUW_TLS_KEY", assertThrows(ConfigException.class, () -> parse(Map.of("POUW_TLS_CERT", cert.toString()))).setting());
        Path key = Files.writeString(temp.resolve("key.pem"), "x");
        NodeConfig config = parse(Map.of("POUW_TLS_CERT", cert.toString(), "POUW_TLS_KEY", key.toString()));
        assertEquals(cert, config.tls().orElseThrow().certificate());
    }

    @Test
    void admin_tokens_trusted_proxies_and_schemes_are_parsed() {
        NodeConfig config = parse(Map.of(
                "POUW_ADMIN_TOKENS", "alice:0123456789abcdef0123, ci-bot:fedcba9876543210fedc",
                "POUW_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7, ::1, fd00::/8",
                "POUW_ACCEPTED_SIG_SCHEMES", "ed25519, ml-dsa-65",
                "POUW_ENROLLMENT", "open"));
        assertEquals(Map.of("alice", "0123456789abcdef0123", "ci-bot", "fedcba9876543210fedc"),
                config.security().adminTokens().orElseThrow());
        assertEquals(List.of("10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8"), config.security().trustedProxies());
        assertEquals(java.util.Set.of(SigScheme.ED25519, SigScheme.ML_DSA_65), config.protocol().acceptedSigSchemes());
        assertEquals(NodeConfig.Enrollment.OPEN, config.security().enrollment());
        assertFalse(config.security().toString().contains("0123456789abcdef"), "toString hides tokens");
    }

    @Test
    void the_key_file_defaults_into_the_data_dir() {
        NodeConfig config = parse(Map.of("POUW_DATA_DIR", "/var/lib/pouw"));
        assertEquals(Path.of("/var/lib/pouw/node.key"), config.nodeKey().keyFile());
        assertEquals(Optional.empty(), config.nodeKey().secret());
    }

    @Test
    void environment_overrides_the_config_file_and_unknown_names_are_reported() throws IOException {
        Path file = Files.writeString(temp.resolve("pouw.env"), """
                # pouw-node settings
                POUW_HTTP_PORT=8181
                export POUW_METRICS_PORT="9191"
                POUW_LOG_LEVEL='debug'
                POUW_TYPO=1
                """);
        ConfigSource source = ConfigSource.load(Map.of("POUW_CONFIG", file.toString(), "POUW_HTTP_PORT", "8282",
                "PATH", "/usr/bin"), Optional.empty());
        NodeConfig config = NodeConfig.from(source);
        assertEquals(8282, config.http().port(), "environment wins");
        assertEquals(9191, config.http().metricsPort(), "file value, quotes removed");
        assertEquals(Level.FINE, config.logging().level());
        assertEquals(Optional.of(file), config.configFile());
        assertEquals(List.of("POUW_TYPO"), NodeConfig.unknownSettings(source));
    }

    @Test
    void a_config_file_that_cannot_be_read_or_parsed_names_the_setting() throws IOException {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ConfigSource.load(Map.of("POUW_CONFIG", temp.resolve("nope.env").toString()), Optional.empty()));
        assertEquals("POUW_CONFIG", missing.setting());
        Path bad = Files.writeString(temp.resolve("bad.env"), "POUW_HTTP_PORT 8080\n");
        ConfigException garbled = assertThrows(ConfigException.class, () -> ConfigSource.load(Map.of(), Optional.of(bad)));
        assertEquals("--config", garbled.setting());
        assertTrue(garbled.getMessage().contains("line 1"));
    }

    @Test
    void every_setting_in_the_table_is_read_by_the_parser() {
        // A name in the table that the parser ignores would be documented but dead.
        for (String name : NodeConfig.SETTINGS.keySet()) {
            if (name.equals("POUW_CONFIG")) {
                continue;
            }
            assertTrue(NodeConfig.unknownSettings(ConfigSource.of(Map.of(name, "x"))).isEmpty(), name);
        }
    }
}
