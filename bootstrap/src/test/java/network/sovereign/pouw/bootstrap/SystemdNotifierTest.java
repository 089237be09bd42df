package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** sd_notify through libsystemd and through libc, to a path and to an abstract socket (python3 receives). */
class SystemdNotifierTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = SystemdNotifier.Transport.class, names = {"LIBSYSTEMD", "LIBC"})
    void ready_reloading_and_stopping_reach_a_path_socket(SystemdNotifier.Transport transport) throws Throwable {
        try (FakeNotifySocket socket = FakeNotifySocket.bind(FakeNotifySocket.pathIn(temp))) {
            exercise(transport, socket);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SystemdNotifier.Transport.class, names = {"LIBSYSTEMD", "LIBC"})
    void ready_reloading_and_stopping_reach_an_abstract_socket(SystemdNotifier.Transport transport) throws Throwable {
        try (FakeNotifySocket socket = FakeNotifySocket.bind("@pouw-test-" + UUID.randomUUID())) {
            exercise(transport, socket);
        }
    }

    private static void exercise(SystemdNotifier.Transport transport, FakeNotifySocket socket) throws Throwable {
        // libsystemd's sd_notify() reads NOTIFY_SOCKET from the C environment, as it does in the node.
        setenv(SystemdNotifier.NOTIFY_SOCKET, socket.address);
        SystemdNotifier notifier = SystemdNotifier.create(Map.of(SystemdNotifier.NOTIFY_SOCKET, socket.address), transport);
        assertEquals(transport, notifier.transport(), "this machine has libsystemd.so.0 and libc");
        notifier.ready("serving on port 8080");
        assertEquals(List.of("READY=1", "STATUS=serving on port 8080"), FakeNotifySocket.lines(socket.next()));

        long before = notifier.monotonicMicros();
        notifier.reloading();
        List<String> reloading = FakeNotifySocket.lines(socket.next());
        long after = notifier.monotonicMicros();
        assertEquals("RELOADING=1", reloading.get(0));
        assertTrue(reloading.get(1).startsWith("MONOTONIC_USEC="), reloading.toString());
        long usec = Long.parseLong(reloading.get(1).substring("MONOTONIC_USEC=".length()));
        assertTrue(before <= usec && usec <= after, before + " <= " + usec + " <= " + after);

        notifier.ready("reloaded\nsecond line");
        assertEquals(List.of("READY=1", "STATUS=reloaded second line"), FakeNotifySocket.lines(socket.next()), "STATUS stays one line");
        notifier.stopping();
        FakeNotifySocket.assertFirstLine("STOPPING=1", socket.next());
        notifier.stopping();
        notifier.send("X-TEST-MARK=1");
        assertEquals("X-TEST-MARK=1", socket.next(), "STOPPING=1 is sent once");
    }

    /** setenv(3) in this (forked test) JVM's C environment; System.getenv() keeps its snapshot. */
    private static void setenv(String name, String value) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1));
        }
    }

    @Test
    void the_monotonic_clock_is_clock_monotonic_not_the_wall_clock() throws Exception {
        SystemdNotifier notifier = SystemdNotifier.create(Map.of(SystemdNotifier.NOTIFY_SOCKET, "@unused"), SystemdNotifier.Transport.LIBC);
        // /proc/uptime is CLOCK_BOOTTIME, which equals CLOCK_MONOTONIC plus time spent suspended: never less.
        double uptime = Double.parseDouble(java.nio.file.Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        long micros = notifier.monotonicMicros();
        assertTrue(micros > 0 && micros <= (long) ((uptime + 1) * 1_000_000), micros + " vs uptime " + uptime);
        assertTrue(micros < System.currentTimeMillis() * 1_000 / 2, "not the wall clock");
    }

    @Test
    void without_notify_socket_nothing_is_sent_and_nothing_fails() {
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of());
        assertEquals(SystemdNotifier.Transport.NONE, notifier.transport());
        notifier.ready("x");
        notifier.reloading();
        notifier.stopping();
        assertFalse(notifier.send("READY=1"));
    }

    @ParameterizedTest
    @EnumSource(value = SystemdNotifier.Transport.class, names = {"LIBSYSTEMD", "LIBC"})
    void a_socket_nobody_listens_on_gives_false_never_an_exception(SystemdNotifier.Transport transport) throws Throwable {
        setenv(SystemdNotifier.NOTIFY_SOCKET, temp.resolve("nobody.sock").toString());
        SystemdNotifier notifier = SystemdNotifier.create(Map.of(SystemdNotifier.NOTIFY_SOCKET,
                temp.resolve("nobody.sock").toString()), transport);
        assertFalse(notifier.send("READY=1"));
        notifier.ready("still fine");
        notifier.stopping();
    }

    @Test
    void a_relative_notify_socket_disables_the_libc_route() {
        SystemdNotifier notifier = SystemdNotifier.create(Map.of(SystemdNotifier.NOTIFY_SOCKET, "relative.sock"), SystemdNotifier.Transport.LIBC);
        assertEquals(SystemdNotifier.Transport.NONE, notifier.transport());
        assertFalse(notifier.send("READY=1"));
    }
}
