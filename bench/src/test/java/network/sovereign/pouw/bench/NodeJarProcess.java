package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bootstrap's shaded node jar started as a process on its embedded database in a temporary
 * directory, for this module's integration tests: ephemeral ports, an admin token, no inherited
 * {@code POUW_*} settings.
 *
 * @param process the node
 * @param log     its output (stdout and stderr)
 * @param url     its API, {@code http://127.0.0.1:PORT}
 */
record NodeJarProcess(Process process, Path log, String url) {

    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Pattern READY = Pattern.compile("ready: API (http://127\\.0\\.0\\.1:\\d+)");

    /** Starts the node in {@code dir} with the admin token {@code adminToken} and {@code extraEnv}, and waits until it serves. */
    static NodeJarProcess start(Path dir, String adminToken, Map<String, String> extraEnv) throws IOException, InterruptedException {
        Path jar = jar("pouw.node.jar", "bootstrap/target/pouw-node.jar",
                "the node jar; build it first (./dev mvn -pl bench -am verify builds bootstrap before bench)");
        Path log = dir.resolve("node.log");
        ProcessBuilder builder = new ProcessBuilder(JAVA.toString(), "-Xmx384m", "-jar", jar.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("POUW_"));
        Map<String, String> env = new HashMap<>(Map.of("POUW_HTTP_HOST", "127.0.0.1", "POUW_HTTP_PORT", "0", "POUW_METRICS_PORT", "0",
                "POUW_DATA_DIR", dir.resolve("data").toString(), "POUW_ADMIN_TOKENS", "it:" + adminToken));
        env.putAll(extraEnv);
        builder.environment().putAll(env);
        Process process = builder.start();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            Matcher ready = READY.matcher(Files.readString(log));
            if (ready.find()) {
                return new NodeJarProcess(process, log, ready.group(1));
            }
            if (!process.isAlive()) {
                fail("the node exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        fail("the node was not ready within 90 s:\n" + Files.readString(log));
        throw new AssertionError("unreachable");
    }

    /** Stops the node (SIGTERM, then SIGKILL after 30 s). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The node's output so far, for failure messages. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** A jar named by a system property (set by the pom), else found from the repository root; missing is a failure, never a skip. */
    static Path jar(String property, String fromRoot, String what) {
        String configured = System.getProperty(property);
        Path jar = configured != null ? Path.of(configured) : repoRoot().resolve(fromRoot);
        jar = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            fail(jar + " is missing: " + what);
        }
        return jar;
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("bootstrap")) && Files.isDirectory(dir.resolve("bench")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("cannot find the repository root (with bootstrap/ and bench/) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
