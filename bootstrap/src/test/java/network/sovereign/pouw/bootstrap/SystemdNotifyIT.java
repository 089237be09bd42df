package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Type=notify} through the shipped jar: with a fake systemd {@code NOTIFY_SOCKET}, the node says
 * {@code READY=1} once it serves, {@code RELOADING=1} with {@code MONOTONIC_USEC} and then {@code READY=1}
 * on SIGHUP, and {@code STOPPING=1} on SIGTERM before exiting 143; and the JVM prints no native-access
 * warning (the manifest's {@code Enable-Native-Access: ALL-UNNAMED}).
 */
class SystemdNotifyIT {

    @TempDir
    Path temp;

    @Test
    void ready_then_reloading_and_ready_on_sighup_then_stopping_on_sigterm() throws Exception {
        try (FakeNotifySocket socket = FakeNotifySocket.bind(FakeNotifySocket.pathIn(temp));
             JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("data").toString(),
                     "POUW_SHUTDOWN_GRACE_SECS", "5", SystemdNotifier.NOTIFY_SOCKET, socket.address))) {
            List<String> ready = FakeNotifySocket.lines(socket.next());
            assertEquals(List.of("READY=1", "STATUS=serving on port " + node.port), ready);
            assertEquals(200, node.get("/health/ready").status(), "READY=1 comes when the node serves");

            assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(node.process.pid())).start().waitFor());
            List<String> reloading = FakeNotifySocket.lines(socket.next());
            assertEquals("RELOADING=1", reloading.get(0), reloading.toString());
            assertTrue(reloading.get(1).matches("MONOTONIC_USEC=[1-9]\\d*"), reloading.toString());
            assertEquals("READY=1", FakeNotifySocket.lines(socket.next()).getFirst(), "READY=1 again when the reload has finished");
            assertTrue(Files.readString(node.log).contains("reload (SIGHUP): configuration re-read"), Files.readString(node.log));
            assertTrue(node.process.isAlive());

            node.process.destroy(); // SIGTERM
            assertEquals("STOPPING=1", FakeNotifySocket.lines(socket.next()).getFirst());
            assertTrue(node.process.waitFor(60, TimeUnit.SECONDS), "exits after the grace");
            assertEquals(143, node.process.exitValue());
            assertEquals(List.of(), socket.pending(), "nothing after STOPPING=1");
            String log = Files.readString(node.log);
            assertFalse(log.contains("restricted method") || log.contains("native access") || log.contains("could not notify systemd"), log);
        }
    }

    @Test
    void watchdog_pings_only_while_the_api_socket_answers() throws Exception {
        int cap = 4;
        try (FakeNotifySocket socket = FakeNotifySocket.bind(FakeNotifySocket.pathIn(temp));
             JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("dog").toString(),
                     "POUW_HTTP_MAX_CONNECTIONS", String.valueOf(cap), "POUW_HTTP_MAX_CONNECTIONS_PER_IP", String.valueOf(cap),
                     SystemdNotifier.NOTIFY_SOCKET, socket.address, "WATCHDOG_USEC", "1500000"))) {
            FakeNotifySocket.assertFirstLine("READY=1", socket.next());
            assertEquals("WATCHDOG=1", socket.next(), "pings while the API answers");
            assertEquals("WATCHDOG=1", socket.next());

            // Every connection slot held (keep-alive, from another address than the probe's): the API
            // socket accepts nothing more, so the probe gets no answer.
            List<java.net.Socket> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < cap; i++) {
                    java.net.Socket s = new java.net.Socket();
                    s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.2"), 0));
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", node.port), 5_000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    byte[] answer = new byte[12];
                    assertEquals(12, s.getInputStream().readNBytes(answer, 0, 12));
                    assertEquals("HTTP/1.1 200", new String(answer, java.nio.charset.StandardCharsets.US_ASCII));
                    held.add(s);
                }
                Thread.sleep(1_500); // a probe that started before the slots were full may still ping once
                socket.pending();
                Thread.sleep(3_000);
                List<String> during = socket.pending();
                assertFalse(during.contains("WATCHDOG=1"), "no ping while the API does not answer: " + during);
                assertTrue(Files.readString(node.log).contains("the API socket does not answer /health/live"), Files.readString(node.log));
            } finally {
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
            long start = System.nanoTime();
            assertEquals("WATCHDOG=1", socket.next(), "pings again once the API answers");
            long resumed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("reliability.watchdog: no WATCHDOG=1 for 3 s while the API socket did not answer; pings again "
                    + resumed + " ms after it did (WATCHDOG_USEC=1500000)");
        }
    }

    @Test
    void without_notify_socket_the_node_starts_as_before_and_prints_no_native_access_warning() throws Exception {
        try (JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("plain").toString()))) {
            assertEquals(200, node.get("/health/ready").status());
            String log = Files.readString(node.log);
            assertFalse(log.contains("restricted method") || log.contains("native access") || log.contains("sun.misc"), log);
        }
        Path out = temp.resolve("version.out");
        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JarNode.JAR.toAbsolutePath().toString(), "version").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(version.waitFor(60, TimeUnit.SECONDS));
        assertEquals("pouw-node " + Main.version() + "\n", Files.readString(out), "no warning of any kind");
    }
}
