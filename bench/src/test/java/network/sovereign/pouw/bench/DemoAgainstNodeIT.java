package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo against the real node: bootstrap's shaded jar started as a process on its embedded database
 * with 2-second challenges and no clock skew, so that every step, the expired challenge included, is
 * shown; once in-process for every scheme, once through this module's own shaded jar.
 */
class DemoAgainstNodeIT {

    private static final String ADMIN_TOKEN = "bench-it-admin-token-0123456789";
    private static final Path JAVA = NodeJarProcess.JAVA;

    @TempDir
    static Path temp;

    private static NodeJarProcess node;
    private static Path nodeLog;
    private static String url;

    private record Run(int status, String out, String err) {
    }

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeJarProcess.start(temp, ADMIN_TOKEN, Map.of("POUW_CHALLENGE_TTL_SECS", "2", "POUW_CLOCK_SKEW_SECS", "0"));
        nodeLog = node.log();
        url = node.url();
    }

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (node != null) {
            node.stop();
        }
    }

    private static Path jar(String property, String fromRoot, String what) {
        return NodeJarProcess.jar(property, fromRoot, what);
    }

    private static Run demo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The one line of the output for this scheme and step label. */
    private static String line(String out, SigScheme scheme, String label) {
        Pattern start = Pattern.compile("^\\[[^\\]]+\\]\\s+" + Pattern.quote(scheme.wireName()) + "\\s+" + Pattern.quote(label));
        List<String> lines = out.lines().filter(l -> start.matcher(l).find()).toList();
        assertEquals(1, lines.size(), scheme.wireName() + " " + label + " in:\n" + out);
        String line = lines.getFirst();
        assertTrue(line.startsWith("[ok]"), line);
        return line;
    }

    @Test
    void every_scheme_gets_every_expected_answer_from_the_real_node_including_the_expired_challenge() throws Exception {
        Run run = demo("--url", url, "--token", ADMIN_TOKEN, "--scheme", "all");

        assertEquals(0, run.status(), run.out() + run.err() + "\nnode log:\n" + Files.readString(nodeLog));
        for (SigScheme scheme : SigScheme.values()) {
            assertTrue(line(run.out(), scheme, "enrol").contains("enrolled"));
            assertTrue(line(run.out(), scheme, "challenge").contains("node signature (ed25519) verified"));
            String first = line(run.out(), scheme, "(a) valid receipt");
            assertTrue(first.contains("accepted receipt_id=") && first.contains("replayed=false"), first);
            assertTrue(line(run.out(), scheme, "(b) tampered").contains("rejected invalid_signature"));
            String retry = line(run.out(), scheme, "(c) identical retry");
            assertTrue(retry.contains("accepted receipt_id=") && retry.contains("replayed=true"), retry);
            assertEquals(receiptId(first), receiptId(retry), "same receipt_id");
            assertTrue(line(run.out(), scheme, "(d) other receipt").contains("rejected duplicate_nonce"));
            assertTrue(line(run.out(), scheme, "(e) receipt for an expired challenge").contains("rejected expired_challenge"));
            assertTrue(line(run.out(), scheme, "(f) unknown client").contains("HTTP 401 unknown_client"));
        }
        assertTrue(run.out().contains("summary: 5 schemes, 40 steps as expected, 0 skipped, 0 unexpected -> PASS"), run.out());
    }

    private static String receiptId(String line) {
        Matcher m = Pattern.compile("receipt_id=(\\S+)").matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }

    @Test
    void a_wrong_admin_token_fails_the_demo_with_exit_1() {
        Run run = demo("--url", url, "--token", "not-the-admin-token-at-all", "--scheme", "ed25519");

        assertEquals(1, run.status(), run.out());
        assertTrue(run.out().contains("[UNEXPECTED]") && run.out().contains("HTTP 403"), run.out());
        assertTrue(run.out().contains("-> FAIL"), run.out());
    }

    @Test
    void the_shaded_bench_jar_runs_the_demo_with_a_token_file() throws Exception {
        Path benchJar = jar("pouw.bench.jar", "bench/target/pouw-bench.jar", "the bench jar; `package` builds it");
        Path tokenFile = Files.writeString(temp.resolve("admin.token"), ADMIN_TOKEN + "\n");
        Path out = temp.resolve("bench-jar.out");
        Process process = new ProcessBuilder(JAVA.toString(), "-jar", benchJar.toString(), "demo", "--url", url, "--token-file",
                tokenFile.toString(), "--scheme", "dilithium5").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("java -jar pouw-bench.jar did not finish within 60 s:\n" + Files.readString(out));
        }
        String output = Files.readString(out);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("rejected expired_challenge"), output);
        assertTrue(output.contains("summary: 1 scheme, 8 steps as expected, 0 skipped, 0 unexpected -> PASS"), output);
    }
}
