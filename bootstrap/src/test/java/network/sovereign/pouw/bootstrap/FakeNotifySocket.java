package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What systemd listens on for {@code Type=notify}: an AF_UNIX datagram socket (a path, or an abstract
 * {@code @name}), here bound by a python3 child process that prints every datagram as one line with
 * its newlines shown as {@code |}. Tests are skipped when python3 is absent.
 */
final class FakeNotifySocket implements AutoCloseable {

    private static final String SCRIPT = """
            import socket, sys
            name = sys.argv[1]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind('\\0' + name[1:] if name.startswith('@') else name)
            print('BOUND', flush=True)
            while True:
                data = s.recv(65536)
                print(data.decode('utf-8', 'replace').replace('\\n', '|'), flush=True)
            """;

    /** The value for NOTIFY_SOCKET. */
    final String address;
    private final Process process;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

    private FakeNotifySocket(String address, Process process) {
        this.address = address;
        this.process = process;
    }

    /** Binds a socket at {@code address} (a path, or {@code @name} for the abstract namespace). */
    static FakeNotifySocket bind(String address) throws IOException, InterruptedException {
        Assumptions.assumeTrue(python3(), "python3 is not installed: cannot bind a fake systemd NOTIFY_SOCKET (AF_UNIX datagrams); skipping");
        Process process = new ProcessBuilder("python3", "-u", "-c", SCRIPT, address).redirectErrorStream(true).start();
        FakeNotifySocket socket = new FakeNotifySocket(address, process);
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = reader.readLine();
        if (!"BOUND".equals(first)) {
            process.destroyForcibly();
            fail("python3 could not bind " + address + ": " + first + " " + reader.lines().toList());
        }
        Thread.ofPlatform().daemon().name("fake-notify-socket").start(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    socket.messages.add(line);
                }
            } catch (IOException e) {
                // the receiver was stopped
            }
        });
        return socket;
    }

    /** A path for a socket file in {@code dir} (kept short: sun_path holds 107 bytes). */
    static String pathIn(Path dir) throws IOException {
        String path = dir.toAbsolutePath().resolve("notify.sock").toString();
        if (path.length() < 100) {
            return path;
        }
        Path shorter = Files.createTempDirectory(Path.of("/tmp"), "sdn");
        shorter.toFile().deleteOnExit();
        return shorter.resolve("notify.sock").toString();
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import socket; socket.AF_UNIX").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The next datagram (newlines shown as {@code |}); fails after 60 s without one. */
    String next() throws InterruptedException {
        String message = messages.poll(60, TimeUnit.SECONDS);
        if (message == null) {
            fail("no datagram on " + address + " within 60 s");
        }
        return message;
    }

    /** Datagrams received so far and not yet taken. */
    List<String> pending() {
        List<String> rest = new ArrayList<>();
        messages.drainTo(rest);
        return rest;
    }

    /** The fields of a datagram ({@code KEY=VALUE} lines). */
    static List<String> lines(String message) {
        return List.of(message.split("\\|"));
    }

    static void assertFirstLine(String expected, String message) {
        assertEquals(expected, lines(message).getFirst(), message);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        if (address.startsWith("/")) {
            try {
                Files.deleteIfExists(Path.of(address));
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
