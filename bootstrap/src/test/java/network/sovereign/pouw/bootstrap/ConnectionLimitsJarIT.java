package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients against the listener, through the shipped jar over real sockets (RELIABILITY.md,
 * "Hostile clients"): more idle connections than the process has file descriptors, more connections
 * from one address than it may hold, a body dripped one byte a second, and clients that hang up
 * mid-body. Each prints a {@code reliability.} figure.
 */
class ConnectionLimitsJarIT {

    /** The node's open-file limit in the exhaustion test (prlimit). */
    private static final int FD_LIMIT = 512;
    private static final int FLOOD = Integer.getInteger("pouw.reliability.fd.connections", 700);

    @TempDir
    Path temp;

    @Test
    void more_idle_connections_than_file_descriptors_do_not_end_the_listener() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is needed to lower the node's open-file limit");
        List<String> prlimit = List.of("/usr/bin/prlimit", "--nofile=" + FD_LIMIT + ":" + FD_LIMIT, "--");

        // A cap that cannot fit under the limit is refused at start-up, one line naming the setting.
        Path refusedLog = temp.resolve("refused.log");
        List<String> refused = new ArrayList<>(prlimit);
        refused.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JarNode.JAR.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(refused).directory(temp.toFile()).redirectErrorStream(true).redirectOutput(refusedLog.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("POUW_"));
        builder.environment().putAll(Map.of("POUW_DATA_DIR", temp.resolve("refused").toString(), "POUW_HTTP_HOST", "127.0.0.1",
                "POUW_HTTP_PORT", "0", "POUW_METRICS_PORT", "0", "POUW_HTTP_MAX_CONNECTIONS", "1000"));
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "refused at start-up: " + Files.readString(refusedLog));
        } finally {
            process.destroyForcibly();
        }
        String out = Files.readString(refusedLog);
        assertEquals(Main.EXIT_CONFIG, process.exitValue(), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("POUW_HTTP_MAX_CONNECTIONS") && l.contains("open-file limit " + FD_LIMIT)), out);
        System.out.println("reliability.fd_cap_refused: " + out.lines().filter(l -> l.contains("POUW_HTTP_MAX_CONNECTIONS")).findFirst().orElseThrow());

        try (JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_HTTP_MAX_CONNECTIONS_PER_IP", "1000"), prlimit)) {
            String log = Files.readString(node.log);
            assertTrue(log.contains("at most " + (FD_LIMIT - 256 - 10 - 64) + " connections"), "the default cap is lowered to fit: " + log);
            List<Socket> idle = new ArrayList<>();
            long maxFds = 0;
            try {
                for (int i = 0; i < FLOOD; i++) {
                    Socket s = new Socket();
                    // Several source addresses, as a botnet would come (and below any per-address cap).
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + i % 8)), 0));
                    s.connect(new InetSocketAddress("127.0.0.1", node.port), 5_000);
                    idle.add(s);
                }
                Thread.sleep(1_000);
                maxFds = openFiles(node.process.pid());
                assertTrue(maxFds < FD_LIMIT, "node descriptors under " + FLOOD + " idle connections: " + maxFds);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            long start = System.nanoTime();
            int status = 0;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30) && status != 200) {
                try {
                    status = JarNode.call("GET", node.port, "/health/live", null, null).status();
                } catch (IOException e) {
                    Thread.sleep(200);
                }
            }
            long recovered = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(200, status, "the listener serves again once the idle connections are gone");
            assertEquals(200, JarNode.call("GET", node.port, "/health/ready", null, null).status());
            log = Files.readString(node.log);
            assertFalse(log.contains("server socket is terminating"), log);
            assertFalse(log.contains("Too many open files"), log);
            System.out.println("reliability.fd_exhaustion: " + FLOOD + " idle connections against LimitNOFILE " + FD_LIMIT
                    + ": node descriptors peaked at " + maxFds + ", /health/live 200 again " + recovered + " ms after they closed");
        }
    }

    @Test
    void per_address_cap_body_deadline_and_hang_ups_mid_body() throws Exception {
        int perIp = 8;
        try (JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_HTTP_MAX_CONNECTIONS_PER_IP", String.valueOf(perIp), "POUW_HTTP_BODY_TIMEOUT_SECS", "2"))) {
            connectionsPerAddressAreCapped(node, perIp);
            aDrippedBodyIsCutOffAtTheDeadline(node);
            hangUpsMidBodyLogNoError(node);
        }
    }

    private void connectionsPerAddressAreCapped(JarNode node, int perIp) throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < perIp; i++) {
                Socket s = new Socket("127.0.0.1", node.port);
                s.setSoTimeout(10_000);
                // One keep-alive request each, so the node has surely taken the connection.
                assertTrue(exchange(s, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 200"));
                held.add(s);
            }
            try (Socket extra = new Socket("127.0.0.1", node.port)) {
                extra.setSoTimeout(5_000);
                String answer;
                try {
                    answer = exchange(extra, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                } catch (IOException e) {
                    answer = "closed: " + e;
                }
                assertTrue(answer.startsWith("HTTP/1.1 429") || answer.startsWith("closed"), "connection " + (perIp + 1) + ": " + answer);
                if (answer.startsWith("HTTP/1.1 429")) {
                    assertTrue(answer.contains("application/problem+json") && answer.contains("Retry-After: 1"), answer);
                }
            }
            // Another address is not affected.
            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                other.connect(new InetSocketAddress("127.0.0.1", node.port), 5_000);
                other.setSoTimeout(10_000);
                assertTrue(exchange(other, "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        // Once they are closed, the address may connect again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = JarNode.call("GET", node.port, "/health/live", null, null).status();
        }
        assertEquals(200, status);
        System.out.println("reliability.connections_per_ip: connection " + (perIp + 1) + " from one address refused (429), "
                + "another address and the same one after closing served");
    }

    private void aDrippedBodyIsCutOffAtTheDeadline(JarNode node) throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            s.getOutputStream().write(("POST /api/v1/pouw/clients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            s.setSoTimeout(1_000);
            InputStream in = s.getInputStream();
            String answer = null;
            for (int i = 0; i < 10 && answer == null; i++) {
                try {
                    s.getOutputStream().write('{');
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    answer = "closed while sending: " + e;
                    break;
                }
                try {
                    byte[] buffer = new byte[2048];
                    int n = in.read(buffer);
                    answer = n < 0 ? "closed" : new String(buffer, 0, n, StandardCharsets.UTF_8);
                } catch (SocketTimeoutException e) {
                    // not yet
                } catch (IOException e) {
                    answer = "closed: " + e;
                }
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(answer != null, "no answer to a body dripped for 10 s");
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("application/problem+json") && answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
            assertTrue(elapsed < 2_000 + 1_500, "408 " + elapsed + " ms after the headers, deadline 2 s");
            System.out.println("reliability.body_deadline: a body dripped 1 byte/s answered 408 after " + elapsed
                    + " ms (POUW_HTTP_BODY_TIMEOUT_SECS=2)");
        }
    }

    private void hangUpsMidBodyLogNoError(JarNode node) throws Exception {
        int hangUps = 20;
        for (int i = 0; i < hangUps; i++) {
            String path = i % 2 == 0 ? "/api/v1/pouw/clients" : "/api/v1/pouw/receipts";
            try (Socket s = new Socket("127.0.0.1", node.port)) {
                s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n0123456789").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                Thread.sleep(50);
            }
        }
        Thread.sleep(1_000);
        assertEquals(200, JarNode.call("GET", node.port, "/health/live", null, null).status());
        List<String> bad;
        try (Stream<String> lines = Files.lines(node.log)) {
            bad = lines.filter(l -> l.startsWith("<3>") || l.startsWith("<2>") || l.contains(" ERROR ") || l.startsWith("\tat ")
                    || l.matches("^\\s+at [a-z].*")).toList();
        }
        assertEquals(List.of(), bad, "error lines or stack traces after " + hangUps + " hang-ups mid-body");
        System.out.println("reliability.hang_up_mid_body: " + hangUps + " clients hung up mid-body: 0 error lines, 0 stack traces");
    }

    /** Sends a request and reads one answer (headers and a Content-Length body). */
    private static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.length() + " bytes: " + head);
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static long openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }
}
