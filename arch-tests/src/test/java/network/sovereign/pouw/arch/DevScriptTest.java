package network.sovereign.pouw.arch;

import static network.sovereign.pouw.arch.Processes.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import network.sovereign.pouw.arch.Processes.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The developer entry point {@code ./dev}: its usage text and what it says before a quiet build. */
class DevScriptTest {

    private static final Path ROOT = SourceConventionsTest.repoRoot();

    @Test
    void help_and_its_flags_print_the_usage_and_succeed() throws Exception {
        for (String arg : List.of("help", "-h", "--help")) {
            Result r = run(ROOT, Map.of(), "bash", ROOT.resolve("dev").toString(), arg);
            assertEquals(0, r.code(), arg + ":\n" + r.output());
            assertTrue(r.output().startsWith("pouw-node developer entry point"), arg + ":\n" + r.output());
            for (String command : List.of("./dev run", "./dev demo", "./dev client", "./dev test", "./dev build", "./dev bench", "./dev help")) {
                assertTrue(r.output().contains(command), arg + " does not list " + command + ":\n" + r.output());
            }
            assertTrue(!r.output().contains("set -euo"), arg + " printed more than the comment header:\n" + r.output());
        }
    }

    @Test
    void an_unknown_command_prints_the_usage_and_exits_64() throws Exception {
        Result r = run(ROOT, Map.of(), "bash", ROOT.resolve("dev").toString(), "no-such-command");
        assertEquals(64, r.code(), r.output());
        assertTrue(r.output().contains("unknown command 'no-such-command'"), r.output());
        assertTrue(r.output().contains("./dev run"), r.output());
    }

    /** A cold {@code ./dev run} builds with {@code mvnw -q}, silent for about a minute: it must say so first. */
    @Test
    void run_on_a_cold_build_says_it_is_building_before_maven_starts(@TempDir Path temp) throws Exception {
        Files.copy(ROOT.resolve("dev"), temp.resolve("dev"));
        Path mvnw = temp.resolve("mvnw");
        Files.writeString(mvnw, "#!/bin/sh\necho MVNW-CALLED \"$@\"\nexit 3\n");
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = run(temp, Map.of("JAVA_HOME", System.getProperty("java.home")), "bash", temp.resolve("dev").toString(), "run");
        assertEquals(3, r.code(), r.output());
        int building = r.output().indexOf("dev: building the jar");
        int maven = r.output().indexOf("MVNW-CALLED");
        assertTrue(building >= 0 && maven > building, "no 'dev: building the jar...' line before Maven:\n" + r.output());
    }
}
