package network.sovereign.pouw.bootstrap;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells systemd about the node's state for {@code Type=notify} (sd_notify(3)): {@code READY=1} once the
 * node serves, {@code RELOADING=1} with {@code MONOTONIC_USEC} when a reload starts and {@code READY=1}
 * when it has finished, {@code STOPPING=1} when it stops.
 *
 * <p>Only active when {@code $NOTIFY_SOCKET} is set. Messages go through libsystemd's
 * {@code sd_notify()} (loaded with the FFM API), or, without libsystemd, through FFM calls into libc
 * ({@code socket(AF_UNIX, SOCK_DGRAM)} and {@code sendto}, for path and abstract {@code @} addresses).
 * When neither works, one debug line is logged and nothing else happens: notification never breaks
 * start-up, reload or stop.
 */
final class SystemdNotifier {

    private static final Logger LOG = Logger.getLogger(SystemdNotifier.class.getName());

    /** The variable systemd sets for {@code Type=notify} services. */
    static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

    /** Which native route carries the messages. */
    enum Transport { LIBSYSTEMD, LIBC, NONE }

    /** Sends one state string; returns false when it could not be sent. */
    private interface Sender {
        boolean send(String state);
    }

    private final Transport transport;
    private final Sender sender;
    private final Optional<MethodHandle> clockGettime;
    private volatile boolean failureLogged;
    private final java.util.concurrent.atomic.AtomicBoolean stoppingSent = new java.util.concurrent.atomic.AtomicBoolean();

    private SystemdNotifier(Transport transport, Sender sender, Optional<MethodHandle> clockGettime) {
        this.transport = transport;
        this.sender = sender;
        this.clockGettime = clockGettime;
    }

    /** A notifier for this process: libsystemd first, then libc, else a no-op. */
    static SystemdNotifier fromEnvironment(Map<String, String> environment) {
        return create(environment, Transport.LIBSYSTEMD);
    }

    /**
     * A notifier that uses {@code preferred} (falling back to the routes after it), for tests.
     *
     * @param environment the process environment ({@code NOTIFY_SOCKET} is read)
     * @param preferred   the first route to try
     */
    static SystemdNotifier create(Map<String, String> environment, Transport preferred) {
        String socket = environment.get(NOTIFY_SOCKET);
        if (socket == null || socket.isBlank() || preferred == Transport.NONE) {
            return disabled();
        }
        Optional<MethodHandle> clock = clockGettime();
        if (preferred == Transport.LIBSYSTEMD) {
            try {
                return new SystemdNotifier(Transport.LIBSYSTEMD, libsystemd(), clock);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.FINE, "sd_notify: libsystemd.so.0 not usable (" + e + "), trying libc");
            }
        }
        try {
            return new SystemdNotifier(Transport.LIBC, libc(socket), clock);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "sd_notify: not available (" + e + "); systemd will not be told about readiness");
            return disabled();
        }
    }

    private static SystemdNotifier disabled() {
        return new SystemdNotifier(Transport.NONE, state -> false, Optional.empty());
    }

    /** The route in use; {@link Transport#NONE} when {@code NOTIFY_SOCKET} is unset or nothing works. */
    Transport transport() {
        return transport;
    }

    /** The node serves (also: a reload has finished). */
    void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** A reload starts; {@link #ready} must follow when it has finished. */
    void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros() + "\nSTATUS=reloading");
    }

    /** The node is stopping; said once, however many ways the stop is reached. */
    void stopping() {
        if (stoppingSent.compareAndSet(false, true)) {
            send("STOPPING=1\nSTATUS=stopping");
        }
    }

    /** Sends one message; never throws. Returns whether it was sent. */
    boolean send(String state) {
        if (transport == Transport.NONE) {
            return false;
        }
        boolean sent;
        try {
            sent = sender.send(state);
        } catch (RuntimeException | LinkageError e) {
            sent = false;
            LOG.log(Level.FINE, "sd_notify failed", e);
        }
        if (!sent && !failureLogged) {
            failureLogged = true;
            LOG.warning("could not notify systemd through $" + NOTIFY_SOCKET + " (" + transport.name().toLowerCase(java.util.Locale.ROOT)
                    + "); readiness and reloads are not reported to systemd");
        }
        return sent;
    }

    /** CLOCK_MONOTONIC in microseconds, the clock systemd compares {@code MONOTONIC_USEC} with. */
    long monotonicMicros() {
        if (clockGettime.isPresent()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment timespec = arena.allocate(16, 8);
                int rc = (int) clockGettime.get().invokeExact(1 /* CLOCK_MONOTONIC */, timespec);
                if (rc == 0) {
                    return timespec.get(ValueLayout.JAVA_LONG, 0) * 1_000_000L + timespec.get(ValueLayout.JAVA_LONG, 8) / 1_000L;
                }
            } catch (Throwable e) {
                LOG.log(Level.FINE, "clock_gettime failed, using System.nanoTime()", e);
            }
        }
        // HotSpot's nanoTime is CLOCK_MONOTONIC on Linux.
        return TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
    }

    private static String oneLine(String status) {
        return status.replace('\n', ' ');
    }

    private static Optional<MethodHandle> clockGettime() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("clock_gettime").map(symbol -> linker.downcallHandle(symbol,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** {@code int sd_notify(int unset_environment, const char *state)} from libsystemd.so.0. */
    private static Sender libsystemd() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup = SymbolLookup.libraryLookup("libsystemd.so.0", Arena.global());
        MethodHandle sdNotify = linker.downcallHandle(lookup.find("sd_notify").orElseThrow(
                        () -> new IllegalStateException("libsystemd.so.0 has no sd_notify")),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        return state -> {
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) sdNotify.invokeExact(0, arena.allocateFrom(state, StandardCharsets.UTF_8));
                return rc > 0;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_SIZE = 108;

    /** socket(2)/sendto(2)/close(2) from libc, as libsystemd does it. */
    private static Sender libc(String socketName) {
        byte[] name = socketName.getBytes(StandardCharsets.UTF_8);
        boolean abstractAddress = name[0] == '@';
        if (!abstractAddress && name[0] != '/') {
            throw new IllegalArgumentException(NOTIFY_SOCKET + " is neither an absolute path nor an abstract @ address");
        }
        if (name.length >= SUN_PATH_SIZE) {
            throw new IllegalArgumentException(NOTIFY_SOCKET + " is too long for sockaddr_un");
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        MethodHandle socket = linker.downcallHandle(libc.find("socket").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MethodHandle sendto = linker.downcallHandle(libc.find("sendto").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        return state -> {
            try (Arena arena = Arena.ofConfined()) {
                // struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
                MemorySegment address = arena.allocate(SUN_PATH_OFFSET + SUN_PATH_SIZE, 2);
                address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, name.length);
                int length;
                if (abstractAddress) {
                    // Abstract namespace: a leading NUL instead of '@', and no trailing NUL counted.
                    address.set(ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, (byte) 0);
                    length = SUN_PATH_OFFSET + name.length;
                } else {
                    length = SUN_PATH_OFFSET + name.length + 1;
                }
                byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
                MemorySegment message = arena.allocate(bytes.length);
                MemorySegment.copy(bytes, 0, message, ValueLayout.JAVA_BYTE, 0, bytes.length);
                int fd = (int) socket.invokeExact(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                if (fd < 0) {
                    return false;
                }
                try {
                    long sent = (long) sendto.invokeExact(fd, message, (long) bytes.length, MSG_NOSIGNAL, address, length);
                    return sent == bytes.length;
                } finally {
                    int ignored = (int) close.invokeExact(fd);
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
