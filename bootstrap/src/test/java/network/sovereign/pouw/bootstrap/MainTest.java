package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import network.sovereign.pouw.bootstrap.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path temp;

    private record Result(int status, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_bad_setting_exits_78_with_one_line_naming_it() {
        Result result = run(Map.of("POUW_HTTP_PORT", "abc"), "check-config");
        assertEquals(Main.EXIT_CONFIG, result.status());
        assertEquals("pouw-node: invalid configuration: POUW_HTTP_PORT: \"abc\" is not a whole number\n", result.err());
        Result serve = run(Map.of("POUW_LOG_FORMAT", "yaml"));
        assertEquals(Main.EXIT_CONFIG, serve.status(), "serve is the default command and checks the config first");
        assertTrue(serve.err().startsWith("pouw-node: invalid configuration: POUW_LOG_FORMAT: "), serve.err());
        assertEquals(1, serve.err().lines().count());
    }

    @Test
    void check_config_prints_settings_without_secrets() {
        Result result = run(Map.of("POUW_ADMIN_TOKENS", "ops:0123456789abcdef0123", "POUW_DATABASE_URL",
                "postgres://pouw:hunter2hunter2@db:5432/pouw", "POUW_DATA_DIR", temp.toString(), "POUW_TYPO", "1"), "check-config");
        assertEquals(Main.EXIT_OK, result.status(), result.err());
        assertTrue(result.out().startsWith("configuration OK"));
        assertTrue(result.out().contains("jdbc:postgresql://db:5432/pouw"), result.out());
        assertFalse(result.out().contains("hunter2"), "password hidden");
        assertFalse(result.out().contains("0123456789abcdef0123"), "token hidden");
        assertTrue(result.err().contains("unknown setting POUW_TYPO"), result.err());
        // Settings as an operator writes them: POUW_* names and wire values, never Java toString()s.
        assertTrue(result.out().contains("\nPOUW_ADMIN_TOKENS=ops:***  (set)\n"), result.out());
        assertTrue(result.out().contains("\nPOUW_DATABASE_URL=postgres://pouw:***@db:5432/pouw  (set)\n"), result.out());
        assertTrue(result.out().contains("\nPOUW_CHALLENGE_TTL_SECS=300  (default)\n"), result.out());
        assertTrue(result.out().contains("\nPOUW_ACCEPTED_SIG_SCHEMES=ml-dsa-44,ml-dsa-65,ml-dsa-87,dilithium5,ed25519  (default)\n"), result.out());
        for (String javaism : List.of("Optional.", "PT5M", "ML_DSA_87", "metricsPort=", "Http[", "OptionalInt")) {
            assertFalse(result.out().contains(javaism), javaism + " in " + result.out());
        }
        assertEquals(NodeConfig.SETTINGS.size() - 1 + 2, result.out().lines().count(), "a line per setting (not POUW_CONFIG) and two headers");
        Result secret = run(Map.of("POUW_METRICS_TOKEN", "metrics-secret-0123456789", "POUW_DATA_DIR", temp.toString()), "check-config");
        assertTrue(secret.out().contains("\nPOUW_METRICS_TOKEN=***  (set)\n"), secret.out());
        assertFalse(secret.out().contains("metrics-secret"), secret.out());
    }

    @Test
    void usage_errors_exit_64() {
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "frobnicate").status());
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "--config").status());
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "--verbose").status());
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "migrate", "now").status());
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "keygen", "--scheme", "rsa").status());
    }

    @Test
    void version_and_help() {
        Result version = run(Map.of(), "version");
        assertEquals(Main.EXIT_OK, version.status());
        assertTrue(version.out().matches("pouw-node \\d+\\.\\d+\\.\\d+.*\\n"), version.out());
        Result help = run(Map.of(), "--help");
        assertTrue(help.out().contains("check-config"));
    }

    @Test
    void config_file_from_the_command_line_is_read() throws Exception {
        Path file = Files.writeString(temp.resolve("node.env"), "POUW_RATE_LIMIT_IP=nope\n");
        Result result = run(Map.of(), "--config", file.toString(), "check-config");
        assertEquals(Main.EXIT_CONFIG, result.status());
        assertTrue(result.err().contains("POUW_RATE_LIMIT_IP"), result.err());
    }

    @Test
    void keygen_prints_a_usable_secret_or_writes_a_private_key_file() throws Exception {
        Result printed = run(Map.of(), "keygen");
        assertEquals(Main.EXIT_OK, printed.status(), printed.err());
        byte[] secret = Base64.getDecoder().decode(printed.out().strip());
        assertEquals(32, secret.length);
        assertTrue(printed.err().contains("node_id "), printed.err());

        Path keyFile = temp.resolve("keys/node.key");
        Result written = run(Map.of(), "keygen", "--scheme", "ml-dsa-65", "--out", keyFile.toString());
        assertEquals(Main.EXIT_OK, written.status(), written.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertTrue(written.err().contains("sig_scheme ml-dsa-65"));
        assertEquals(Main.EXIT_FAILURE, run(Map.of(), "keygen", "--out", keyFile.toString()).status(), "never overwrites a key");

        // The secret printed by keygen is accepted as POUW_NODE_SECRET_KEY.
        Result check = run(Map.of("POUW_NODE_SECRET_KEY", printed.out().strip()), "check-config");
        assertEquals(Main.EXIT_OK, check.status(), check.err());
    }
}
