package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the shaded {@code pouw-node.jar} itself as a process, the way an operator does, and checks
 * health, metrics, first-start files, configuration failures and SIGTERM.
 */
class NodeJarIT {

    private static final Path JAR = Path.of(System.getProperty("pouw.jar", "target/pouw-node.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Pattern READY = Pattern.compile("ready: API https?://[^ ]+:(\\d+), metrics http://[^ ]+:(\\d+)/metrics, node_id ([0-9a-f]{64})");

    @TempDir
    Path temp;

    private final List<Process> started = new ArrayList<>();

    /** A running node process with the ports and node id it logged. */
    private record RunningNode(Process process, Path stdout, Path stderr, int port, int metricsPort, String nodeId) {
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    private Process launch(Map<String, String> env, Path stdout, Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xmx256m", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("POUW_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private RunningNode startNode(Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("POUW_HTTP_HOST", "127.0.0.1", "POUW_HTTP_PORT", "0",
                "POUW_METRICS_PORT", "0", "POUW_SHUTDOWN_GRACE_SECS", "5"));
        env.putAll(extraEnv);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path stdout = temp.resolve("node-" + tag + ".out");
        Path stderr = temp.resolve("node-" + tag + ".err");
        Process process = launch(env, stdout, stderr);
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            Matcher m = READY.matcher(Files.readString(stdout));
            if (m.find()) {
                return new RunningNode(process, stdout, stderr, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
            }
            if (!process.isAlive()) {
                fail("node exited with " + process.exitValue() + ":\n" + Files.readString(stdout) + Files.readString(stderr));
            }
            Thread.sleep(200);
        }
        fail("node did not log readiness within 120 s:\n" + Files.readString(stdout));
        return null;
    }

    /** An HTTP answer (java.net.http is not readable from inside the bootstrap module's tests). */
    private record Response(int statusCode, String body) {
    }

    private static Response get(int port, String path) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(10_000);
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            connection.disconnect();
        }
    }

    private static int terminate(RunningNode node) throws Exception {
        node.process().destroy(); // SIGTERM
        assertTrue(node.process().waitFor(5 + 15, TimeUnit.SECONDS), "exited within the grace period plus start-up of the hook");
        return node.process().exitValue();
    }

    @Test
    void first_start_on_embedded_h2_serves_health_and_metrics_then_stops_on_sigterm() throws Exception {
        Path dataDir = temp.resolve("data");
        RunningNode node = startNode(Map.of("POUW_DATA_DIR", dataDir.toString()));

        assertEquals(200, get(node.port(), "/health/live").statusCode());
        assertEquals(200, get(node.port(), "/health/ready").statusCode());
        Response health = get(node.port(), "/health");
        assertEquals(200, health.statusCode(), health.body());
        for (String part : List.of("\"status\":\"healthy\"", "\"version\":\"" + Main.version() + "\"", "\"uptime_seconds\":",
                "\"name\":\"database\"", "\"name\":\"node_key\"", "\"name\":\"rate_limiter\"", "\"name\":\"maintenance\"", "H2")) {
            assertTrue(health.body().contains(part), part + " in " + health.body());
        }

        assertEquals(404, get(node.port(), "/api/v1/pouw/no-such-thing-4711").statusCode());
        Response metrics = get(node.metricsPort(), "/metrics");
        assertEquals(200, metrics.statusCode());
        for (String family : List.of("pouw_build_info{version=\"" + Main.version() + "\"", "pouw_receipts_received_total",
                "pouw_receipts_rejected_total{reason=\"duplicate_nonce\"", "pouw_db_pool_max_connections", "jvm_",
                "# TYPE process_cpu_seconds_total counter", "# TYPE jvm_gc_collection_seconds_total counter",
                "# TYPE process_resident_memory_bytes gauge", "# TYPE process_open_fds gauge",
                "# TYPE pouw_http_request_duration_seconds histogram",
                "pouw_http_request_duration_seconds_count{route=\"GET /health/live\",status=\"2xx\",}",
                "pouw_http_request_duration_seconds_count{route=\"other\",status=\"4xx\",}")) {
            assertTrue(metrics.body().contains(family), family + " in:\n" + metrics.body());
        }
        if (OpenFileLimit.soft(java.nio.file.Path.of("/proc/self/limits")).isPresent()) {
            java.util.regex.Matcher max = java.util.regex.Pattern.compile("(?m)^process_max_fds (\\S+)$").matcher(metrics.body());
            java.util.regex.Matcher open = java.util.regex.Pattern.compile("(?m)^process_open_fds (\\S+)$").matcher(metrics.body());
            assertTrue(metrics.body().contains("# TYPE process_max_fds gauge") && max.find() && open.find(), metrics.body());
            assertTrue(Double.parseDouble(max.group(1)) >= Double.parseDouble(open.group(1)), "max fds " + max.group(1) + " < open " + open.group(1));
        }
        assertFalse(metrics.body().contains("no-such-thing-4711"), "a raw path became a label");
        assertFalse(metrics.body().contains("process_cpu_time_seconds"), "renamed to process_cpu_seconds_total");
        assertEquals(404, get(node.port(), "/metrics").statusCode(), "metrics live on their own port");

        for (String file : List.of("node.key", "admin.token")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(file))), file);
        }
        String token = Files.readString(dataDir.resolve("admin.token")).strip();
        String log = Files.readString(node.stdout());
        assertTrue(log.contains("generated an admin token in " + dataDir.resolve("admin.token").toAbsolutePath().normalize()), log);
        assertFalse(log.contains(token), "the token itself is never logged");
        for (String line : log.split("\n")) {
            assertTrue(line.matches("<[3-7]>.*"), "journald priority prefix on every line: " + line);
        }

        // SIGHUP reloads and never stops the node.
        Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(node.process().pid())).start();
        assertEquals(0, hup.waitFor());
        Instant until = Instant.now().plusSeconds(30);
        while (!Files.readString(node.stdout()).contains("reload (SIGHUP)") && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertTrue(Files.readString(node.stdout()).contains("reload (SIGHUP): configuration re-read"), Files.readString(node.stdout()));
        assertTrue(node.process().isAlive(), "SIGHUP must not stop the node");
        assertEquals(200, get(node.port(), "/health/ready").statusCode());

        int status = terminate(node);
        assertTrue(status == 0 || status == 143, "exit status " + status);
        String stopLog = Files.readString(node.stdout());
        assertTrue(stopLog.contains("stopping: readiness is now 503") && stopLog.contains("INFO  Node - stopped"), stopLog);

        // A second start reuses the key and the token.
        RunningNode again = startNode(Map.of("POUW_DATA_DIR", dataDir.toString()));
        assertEquals(node.nodeId(), again.nodeId());
        assertEquals(token, Files.readString(dataDir.resolve("admin.token")).strip());
        assertTrue(Files.readString(again.stdout()).contains("node key loaded from"));
        terminate(again);
    }

    @Test
    void runs_on_postgresql_given_a_libpq_url() throws Exception {
        String database = "pouw_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        psql("CREATE DATABASE " + database);
        try {
            Map<String, String> env = Map.of("POUW_DATA_DIR", temp.resolve("pgdata").toString(),
                    "POUW_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/" + database);
            Path out = temp.resolve("migrate.out");
            Process migrate = launch(env, out, temp.resolve("migrate.err"), "migrate");
            assertTrue(migrate.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, migrate.exitValue(), Files.readString(temp.resolve("migrate.err")));
            assertTrue(Files.readString(out).matches("(?s).*schema up to date \\([1-9]\\d* change sets applied\\).*"), Files.readString(out));

            RunningNode node = startNode(env);
            Response health = get(node.port(), "/health");
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("PostgreSQL"), health.body());
            assertEquals(200, get(node.port(), "/health/ready").statusCode());
            assertTrue(Files.readString(node.stdout()).contains("(0 change sets applied)"), "migrate already applied everything");
            assertFalse(Files.readString(node.stdout()).contains("Version mismatch"), "no jOOQ dialect warning on PostgreSQL 15");
            int status = terminate(node);
            assertTrue(status == 0 || status == 143, "exit status " + status);
        } finally {
            psql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void bad_configuration_exits_78_with_one_line_and_no_stack_trace() throws Exception {
        Path out = temp.resolve("bad.out");
        Path err = temp.resolve("bad.err");
        Process process = launch(Map.of("POUW_HTTP_PORT", "abc", "POUW_DATA_DIR", temp.resolve("d").toString()), out, err);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(78, process.exitValue());
        assertEquals("pouw-node: invalid configuration: POUW_HTTP_PORT: \"abc\" is not a whole number\n", Files.readString(err));
        assertEquals("", Files.readString(out));
    }

    @Test
    void an_unreachable_database_exits_78_naming_the_url_setting() throws Exception {
        Path out = temp.resolve("db.out");
        Path err = temp.resolve("db.err");
        Process process = launch(Map.of("POUW_DATABASE_URL", "postgres://pouw:hunter2@127.0.0.1:1/pouw",
                "POUW_DB_STARTUP_WAIT_SECS", "1", "POUW_DATA_DIR", temp.resolve("d2").toString()), out, err);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(78, process.exitValue());
        String error = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(1, error.lines().count(), error);
        assertTrue(error.startsWith("pouw-node: database unavailable (POUW_DATABASE_URL): "), error);
        assertFalse(error.contains("hunter2"), error);
        assertFalse(Files.readString(out).contains("\tat "), "no stack trace on stdout either");
    }

    @Test
    void a_taken_port_exits_with_one_line_naming_the_port_setting() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path out = temp.resolve("port.out");
            Path err = temp.resolve("port.err");
            Process process = launch(Map.of("POUW_HTTP_HOST", "127.0.0.1", "POUW_HTTP_PORT", String.valueOf(taken.getLocalPort()),
                    "POUW_METRICS_PORT", "0", "POUW_DATA_DIR", temp.resolve("d3").toString()), out, err);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS));
            assertNotEquals(0, process.exitValue());
            String error = Files.readString(err);
            assertEquals(1, error.lines().count(), error);
            assertTrue(error.contains("(POUW_HTTP_PORT)"), error);
            assertFalse(error.contains("POUW_METRICS_PORT"), "names the port that is taken, not both: " + error);
            assertEquals(Main.EXIT_CONFIG, process.exitValue());
            assertFalse(Files.readString(out).contains("change sets applied"), "said before the migrations: " + Files.readString(out));
        }
    }

    @Test
    void a_second_node_on_the_same_data_directory_exits_at_once_saying_another_node_holds_it() throws Exception {
        Path dataDir = temp.resolve("shared");
        RunningNode first = startNode(Map.of("POUW_DATA_DIR", dataDir.toString()));
        try {
            Path out = temp.resolve("second.out");
            Path err = temp.resolve("second.err");
            Instant launched = Instant.now();
            Process second = launch(Map.of("POUW_HTTP_HOST", "127.0.0.1", "POUW_HTTP_PORT", "0", "POUW_METRICS_PORT", "0",
                    "POUW_DATA_DIR", dataDir.toString()), out, err);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            Duration took = Duration.between(launched, Instant.now());
            assertEquals(Main.EXIT_CONFIG, second.exitValue());
            String error = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(1, error.lines().count(), error);
            assertTrue(error.contains("(POUW_DATA_DIR)") && error.contains("another node holds"), error);
            assertTrue(error.contains(dataDir.toAbsolutePath().toString()), error);
            assertFalse(Files.readString(out).contains("database not ready"), "no retries: " + Files.readString(out));
            // The default POUW_DB_STARTUP_WAIT_SECS is 15 s: well under it means the lock was not retried.
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "exited after " + took);
            assertEquals(200, get(first.port(), "/health/ready").statusCode(), "the first node is untouched");
        } finally {
            terminate(first);
        }
    }

    @Test
    void the_access_log_writes_one_json_line_per_request_without_the_query_when_switched_on() throws Exception {
        RunningNode node = startNode(Map.of("POUW_DATA_DIR", temp.resolve("access").toString(),
                "POUW_ACCESS_LOG", "on", "POUW_LOG_FORMAT", "json"));
        try {
            assertEquals(200, get(node.port(), "/health/ready?token=hunter2").statusCode());
            assertEquals(404, get(node.port(), "/api/v1/nothing").statusCode());
            Pattern line = Pattern.compile("^<6>\\{\"ts\":\"[^\"]+\",\"level\":\"INFO\",\"logger\":\"AccessLog\","
                    + "\"msg\":\"(GET /health/ready 200|GET /api/v1/nothing 404) \\d+\\.\\dms 127\\.0\\.0\\.1\"\\}$", Pattern.MULTILINE);
            Instant deadline = Instant.now().plusSeconds(10);
            long found = 0;
            String log = "";
            while (found < 2 && Instant.now().isBefore(deadline)) {
                log = Files.readString(node.stdout());
                found = line.matcher(log).results().count();
                Thread.sleep(100);
            }
            assertEquals(2, found, log);
            assertFalse(log.contains("hunter2"), "no query string in the log");
        } finally {
            terminate(node);
        }
    }

    /** Runs one statement as the PostgreSQL superuser (POUW_TEST_PG_HOST/PORT override 127.0.0.1:5432). */
    private void psql(String sql) throws Exception {
        String host = System.getenv().getOrDefault("POUW_TEST_PG_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("POUW_TEST_PG_PORT", "5432");
        Path log = temp.resolve("psql.log");
        Process process = new ProcessBuilder("psql", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "psql finished");
        assertEquals(0, process.exitValue(), JarNode.postgresFailure(host, port, Files.readString(log)));
    }
}
