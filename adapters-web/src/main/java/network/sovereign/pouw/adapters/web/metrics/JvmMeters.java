package network.sovereign.pouw.adapters.web.metrics;

import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * JVM and process meters read from the platform MXBeans at scrape time, with Prometheus-style
 * snake_case names (Helidon's built-in system meters are camelCase and not used). Running totals in
 * seconds (CPU and GC time) are counters named {@code ..._seconds_total}; since a Helidon counter
 * cannot hold fractions they are rendered by {@link HelidonProtocolMetrics#fractionalCounter}.
 * Resident memory and file descriptors come from {@code /proc/self} and are left out where it does
 * not exist (not Linux).
 */
final class JvmMeters {

    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final Path PROC_FD = Path.of("/proc/self/fd");

    private JvmMeters() {
    }

    static void register(HelidonProtocolMetrics metrics) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        registerMemory(metrics, "heap", memory::getHeapMemoryUsage);
        registerMemory(metrics, "nonheap", memory::getNonHeapMemoryUsage);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        metrics.gauge("jvm_threads_live", "Live platform threads (virtual threads are not counted)", Map.of(),
                threads::getThreadCount);
        metrics.gauge("jvm_threads_daemon", "Live platform daemon threads", Map.of(), threads::getDaemonThreadCount);
        metrics.gauge("jvm_threads_peak", "Peak live platform threads since start", Map.of(), threads::getPeakThreadCount);

        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        metrics.gauge("jvm_classes_loaded", "Classes currently loaded", Map.of(), classes::getLoadedClassCount);

        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            Map<String, String> label = Map.of("gc", gc.getName());
            metrics.functionalCounter("jvm_gc_collections_total", "Garbage collections, by collector", label,
                    () -> Math.max(0, gc.getCollectionCount()));
            metrics.fractionalCounter("jvm_gc_collection_seconds_total",
                    "Garbage collection time since start, by collector", label,
                    () -> Math.max(0, gc.getCollectionTime()) / 1000.0);
        }

        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        metrics.gauge("process_uptime_seconds", "Time since the JVM started", Map.of(), () -> runtime.getUptime() / 1000.0);
        metrics.gauge("process_start_time_seconds", "Start time of the JVM, seconds since the Unix epoch", Map.of(),
                () -> runtime.getStartTime() / 1000.0);
        metrics.gauge("jvm_info", "JVM version information; the value is always 1",
                Map.of("version", Runtime.version().toString(), "vendor", runtime.getVmVendor()),
                () -> 1);

        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        metrics.fractionalCounter("process_cpu_seconds_total", "CPU time (user and system) the process has used since start",
                Map.of(), () -> ProcessHandle.current().info().totalCpuDuration().map(JvmMeters::seconds).orElse(Double.NaN));
        if (Files.isReadable(PROC_STATUS)) {
            metrics.gauge("process_resident_memory_bytes", "Resident memory size of the process (VmRSS)", Map.of(),
                    JvmMeters::residentBytes);
        }
        if (Files.isDirectory(PROC_FD)) {
            metrics.gauge("process_open_fds", "Open file descriptors of the process", Map.of(), JvmMeters::openFds);
        }
        metrics.gauge("jvm_available_processors", "Processors available to the JVM", Map.of(), os::getAvailableProcessors);
        metrics.gauge("system_load_average_1m", "System load average over the last minute (negative if unknown)",
                Map.of(), os::getSystemLoadAverage);
    }

    private static void registerMemory(HelidonProtocolMetrics metrics, String area,
                                       Supplier<MemoryUsage> usage) {
        Map<String, String> label = Map.of("area", area);
        register(metrics, "jvm_memory_used_bytes", "Memory in use, by area", label, usage, MemoryUsage::getUsed);
        register(metrics, "jvm_memory_committed_bytes", "Memory committed by the JVM, by area", label, usage,
                MemoryUsage::getCommitted);
        register(metrics, "jvm_memory_max_bytes", "Maximum memory the area may use, by area (-1 if unbounded)", label,
                usage, MemoryUsage::getMax);
    }

    private static void register(HelidonProtocolMetrics metrics, String name, String help, Map<String, String> label,
                                 Supplier<MemoryUsage> usage, ToLongFunction<MemoryUsage> field) {
        metrics.gauge(name, help, label, () -> field.applyAsLong(usage.get()));
    }

    /** VmRSS of /proc/self/status in bytes; NaN if absent. */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:     123456 kB"
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Entries of /proc/self/fd (the directory stream's own descriptor is among them, hence minus one). */
    static double openFds() {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_FD)) {
            long count = 0;
            for (Path ignored : fds) {
                count++;
            }
            return Math.max(0, count - 1);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
