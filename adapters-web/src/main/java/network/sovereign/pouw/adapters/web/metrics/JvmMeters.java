package network.sovereign.pouw.adapters.web.metrics;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * JVM and process meters read from the platform MXBeans at scrape time, with Prometheus-style
 * snake_case names (Helidon's built-in system meters are camelCase and not used). Durations the JVM
 * only reports as running totals in milliseconds are gauges in seconds, since a Helidon counter
 * cannot hold fractions.
 */
final class JvmMeters {

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
            metrics.gauge("jvm_gc_collection_time_seconds",
                    "Accumulated garbage collection time since start, by collector", label,
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
        metrics.gauge("process_cpu_time_seconds", "CPU time the process has used since start", Map.of(),
                () -> ProcessHandle.current().info().totalCpuDuration().map(JvmMeters::seconds).orElse(Double.NaN));
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

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
