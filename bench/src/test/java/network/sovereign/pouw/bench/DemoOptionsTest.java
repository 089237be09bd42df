package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's command line: options, the admin token's sources, and the exit status of a bad command line. */
class DemoOptionsTest {

    @TempDir
    Path temp;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void defaults_are_the_local_node_and_every_scheme() throws Exception {
        Demo.Options options = Demo.Options.parse(new String[0]);
        assertEquals(URI.create("http://127.0.0.1:8080"), options.url());
        assertEquals(Optional.empty(), options.schemes(), "all");
        assertEquals(0, options.clockSkew());
        assertEquals(10, options.maxWait());
        assertFalse(options.help());
    }

    @Test
    void the_demo_word_and_both_option_spellings_are_accepted() throws Exception {
        Demo.Options options = Demo.Options.parse(new String[] {"demo", "--url=http://node:9000", "--scheme", "ml-dsa-87", "--token", "t0k3n",
                "--clock-skew", "30", "--max-wait=45"});
        assertEquals(URI.create("http://node:9000"), options.url());
        assertEquals(Optional.of(SigScheme.ML_DSA_87), options.schemes());
        assertEquals("t0k3n", options.adminToken());
        assertEquals(30, options.clockSkew());
        assertEquals(45, options.maxWait());
        assertEquals(Optional.empty(), Demo.Options.parse(new String[] {"--scheme", "all"}).schemes());
    }

    @Test
    void the_token_file_gives_its_first_line_stripped() throws Exception {
        Path file = Files.writeString(temp.resolve("admin.token"), "  abc-123-token \nignored\n");
        assertEquals("abc-123-token", Demo.Options.parse(new String[] {"--token-file", file.toString()}).adminToken());
    }

    @Test
    void bad_command_lines_exit_64_and_say_why() {
        assertEquals(64, run("--scheme", "rsa").status());
        assertTrue(run("--scheme", "rsa").err().contains("unknown scheme 'rsa'"));
        assertEquals(64, run("bench").status());
        assertEquals(64, run("--url").status());
        assertEquals(64, run("--url", "localhost:8080", "--token", "x").status());
        assertEquals(64, run("--max-wait", "soon", "--token", "x").status());
        assertEquals(64, run("--token", "a", "--token-file", "b").status());
        assertEquals(64, run("--token-file", temp.resolve("missing").toString()).status());
        assertThrows(Demo.UsageException.class, () -> Demo.Options.parse(new String[] {"--frobnicate", "1"}));
    }

    @Test
    void help_prints_the_usage_and_exits_0() {
        Run help = run("demo", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("--token-file FILE"), help.out());
    }

    @Test
    void an_unreachable_node_exits_1_with_a_summary() {
        Run run = run("--url", "http://127.0.0.1:1", "--token", "whatever-token");
        assertEquals(1, run.status());
        assertTrue(run.out().contains("summary: node unreachable -> FAIL"), run.out());
    }
}
