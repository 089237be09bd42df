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
