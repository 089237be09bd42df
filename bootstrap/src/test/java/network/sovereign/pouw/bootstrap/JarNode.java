package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped jar run as a node process for end-to-end tests, with a tiny HTTP client and psql access. */
final class JarNode implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("pouw.jar", "target/pouw-node.jar"));
    private static final Pattern READY = Pattern.compile("ready: API https?://[^ ]+:(\\d+), metrics http://[^ ]+:(\\d+)/metrics");

    /** An HTTP answer. */
    record Response(int status, String body) {
    }

    final Process process;
    final Path log;
    final int port;
    final int metricsPort;

    private JarNode(Process process, Path log, int port, int metricsPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.metricsPort = metricsPort;
    }

    /** {@code POUW_DB_POOL_SIZE} of a node on PostgreSQL unless the test sets it: enough for the ITs' 4-8 concurrent clients. */
    static final int TEST_POOL_SIZE = 4;

    /** Starts a node on ephemeral loopback ports with these settings and waits until it is ready. */
    static JarNode start(Path workDir, Map<String, String> settings) throws Exception {
        return start(workDir, settings, List.of());
    }

    /** The same, with the java command run under {@code wrapper} (e.g. {@code prlimit --nofile=512:512}). */
    static JarNode start(Path workDir, Map<String, String> settings, List<String> wrapper) throws Exception {
        Path log = workDir.resolve("node-" + UUID.randomUUID().toString().substring(0, 8) + ".log");
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("POUW_"));
        Map<String, String> env = new HashMap<>(Map.of("POUW_HTTP_HOST", "127.0.0.1", "POUW_HTTP_PORT", "0", "POUW_METRICS_PORT", "0"));
        env.putAll(settings);
        if (settings.containsKey("POUW_DATABASE_URL") && !settings.containsKey("POUW_DB_POOL_SIZE")) {
            // A node on the shared PostgreSQL server holds TEST_POOL_SIZE + 1 (health) of its connections, not
            // the default 10 + 1: other test JVMs and benchmarks use the same server. Tests of pool behaviour set it.
            env.put("POUW_DB_POOL_SIZE", String.valueOf(TEST_POOL_SIZE));
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            Matcher m = READY.matcher(Files.readString(log));
            if (m.find()) {
                return new JarNode(process, log, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            if (!process.isAlive()) {
                fail("node exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        fail("node not ready within 120 s: " + Files.readString(log));
        return null;
    }

    Response post(String path, String json, String bearer) throws IOException {
        return call("POST", port, path, json, bearer);
    }

    /** Posts raw bytes with a content type (the protobuf transport, or garbage). */
    Response postBytes(String path, String contentType, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setConnectTimeout(5_000);
        c.setReadTimeout(60_000);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", contentType);
        try (OutputStream os = c.getOutputStream()) {
            os.write(body);
        } catch (IOException e) {
            // The server may answer (413) and close before the whole body is written.
        }
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    Response get(String path) throws IOException {
        return call("GET", port, path, null, null);
    }

    String metrics() throws IOException {
        return call("GET", metricsPort, "/metrics", null, null).body();
    }

    static Response call(String method, int port, String path, String body, String bearer) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5_000);
        c.setReadTimeout(60_000);
        if (bearer != null) {
            c.setRequestProperty("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream os = c.getOutputStream()) {
                os.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    /** What curl sends for {@code -d} without {@code -H "Content-Type: ..."}: a form type, whatever the body is. */
    static final String CURL_FORM = "application/x-www-form-urlencoded";

    /**
     * What curl sends for {@code -X METHOD [-H "Content-Type: T"] [-H 'Authorization: Bearer B'] [-d 'body']}, byte
     * for byte in its headers (HttpURLConnection cannot send PATCH, nor leave the content type alone); returns the
     * raw response: status line, headers, body.
     */
    static String curl(int port, String method, String path, String contentType, String body, String bearer) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String request = method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                + (body == null ? "" : "Content-Length: " + bytes.length + "\r\n") + "\r\n";
        return exchange("127.0.0.1", port, request, bytes);
    }

    /**
     * Sends a raw request head and body from {@code localAddress} (a loopback alias, so the node sees
     * another client address) to the node on 127.0.0.1 and returns the raw response: status line,
     * headers, body.
     */
    static String exchange(String localAddress, int port, String requestHead, byte[] body) throws IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(localAddress), 0));
            socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed in the headers: " + head);
                }
                head.append((char) b);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
            return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
        }
    }

    /** The first string or number value of a JSON field (enough for the flat answers of these tests). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    /** The value of one Prometheus series. */
    static double series(String metrics, String series) {
        List<String> values = new ArrayList<>();
        for (String line : metrics.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space > 0 && line.substring(0, space).replace(",}", "}").equals(series)) {
                values.add(line.substring(space + 1));
            }
        }
        assertEquals(1, values.size(), series + " in metrics");
        return Double.parseDouble(values.getFirst());
    }

    /** Runs SQL as the PostgreSQL superuser and returns psql's unaligned output. */
    static String psql(Path workDir, String database, String sql) throws Exception {
        String host = System.getenv().getOrDefault("POUW_TEST_PG_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("POUW_TEST_PG_PORT", "5432");
        Path out = workDir.resolve("psql-" + UUID.randomUUID() + ".out");
        Process process = new ProcessBuilder("psql", "-h", host, "-p", port, "-U", "postgres", "-d", database, "-At",
                "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "psql finished");
        String output = Files.readString(out).strip();
        assertEquals(0, process.exitValue(), postgresFailure(host, port, output));
        return output;
    }

    /**
     * Why psql failed: a server out of connections (SQLSTATE 53300, "too many clients") is running, and
     * saying it is missing sends the reader the wrong way.
     */
    static String postgresFailure(String host, String port, String output) {
        if (output.contains("too many clients") || output.contains("remaining connection slots")) {
            return "PostgreSQL at " + host + ":" + port + " is running but out of connections (other processes hold them:"
                    + " SELECT datname, count(*) FROM pg_stat_activity GROUP BY 1): " + output;
        }
        return "PostgreSQL is required for this test (" + host + ":" + port + "): " + output;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
