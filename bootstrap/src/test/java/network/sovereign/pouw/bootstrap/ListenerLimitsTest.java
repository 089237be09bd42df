package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import network.sovereign.pouw.bootstrap.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection cap against the open-file limit, and when the systemd watchdog is fed. */
class ListenerLimitsTest {

    @TempDir
    Path temp;

    @Test
    void the_soft_open_file_limit_is_read_from_proc_limits() throws IOException {
        Path limits = Files.writeString(temp.resolve("limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             127368               127368               processes
                Max open files            4096                 524288               files
                Max locked memory         8388608              8388608              bytes
                """);
        assertEquals(OptionalLong.of(4096), OpenFileLimit.soft(limits));
        Path unlimited = Files.writeString(temp.resolve("unlimited"), "Max open files            unlimited            unlimited            files\n");
        assertEquals(OptionalLong.empty(), OpenFileLimit.soft(unlimited));
        assertEquals(OptionalLong.empty(), OpenFileLimit.soft(temp.resolve("absent")));
        assertTrue(OpenFileLimit.soft(Path.of("/proc/self/limits")).isPresent() || !Files.exists(Path.of("/proc/self/limits")));
    }

    @Test
    void the_cap_must_fit_under_the_limit() {
        // 4096 - 256 reserved - 10 pool - 64 metrics = 3766
        assertEquals(3766, OpenFileLimit.apiConnections(OptionalInt.empty(), OptionalLong.of(4096), 10), "default lowered to fit");
        assertEquals(10_000, OpenFileLimit.apiConnections(OptionalInt.empty(), OptionalLong.of(65_536), 10));
        assertEquals(10_000, OpenFileLimit.apiConnections(OptionalInt.empty(), OptionalLong.empty(), 10));
        assertEquals(3766, OpenFileLimit.apiConnections(OptionalInt.of(3766), OptionalLong.of(4096), 10));
        ConfigException e = assertThrows(ConfigException.class,
                () -> OpenFileLimit.apiConnections(OptionalInt.of(3767), OptionalLong.of(4096), 10));
        assertEquals("POUW_HTTP_MAX_CONNECTIONS", e.setting());
        assertTrue(e.getMessage().contains("open-file limit 4096") && e.getMessage().contains("leaves 3766"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals("POUW_HTTP_MAX_CONNECTIONS", assertThrows(ConfigException.class,
                () -> OpenFileLimit.apiConnections(OptionalInt.empty(), OptionalLong.of(300), 10)).setting());
    }

    @Test
    void the_watchdog_runs_only_when_systemd_asks_this_process() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), ApiWatchdog.interval(Map.of("WATCHDOG_USEC", "30000000"), 42));
        assertEquals(Optional.of(Duration.ofSeconds(30)), ApiWatchdog.interval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42));
        assertEquals(Optional.empty(), ApiWatchdog.interval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 42));
        assertEquals(Optional.empty(), ApiWatchdog.interval(Map.of(), 42));
        assertEquals(Optional.empty(), ApiWatchdog.interval(Map.of("WATCHDOG_USEC", "soon"), 42));
        assertEquals("127.0.0.1", ApiWatchdog.loopbackFor("0.0.0.0"));
        assertEquals("::1", ApiWatchdog.loopbackFor("::"));
        assertEquals("10.1.2.3", ApiWatchdog.loopbackFor("10.1.2.3"));
    }
}
