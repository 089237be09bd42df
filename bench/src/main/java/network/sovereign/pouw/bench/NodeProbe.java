package network.sovereign.pouw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Watches the node process from outside: its resident memory from {@code /proc/<pid>/status}
 * ({@code VmRSS} sampled every 250 ms, {@code VmHWM} the kernel's peak), the CPU time of the node, of
 * PostgreSQL's processes and of this load generator from {@code /proc/<pid>/stat} and the machine's
 * from {@code /proc/stat} ({@link #cpu}), and flight recordings started and stopped with {@code jcmd}.
 * Without a pid (or off Linux) every figure is absent.
 */
public final class NodeProbe implements AutoCloseable {

    private final OptionalLong pid;
    private final AtomicLong windowPeakKib = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    /** A probe of process {@code pid}, sampling from now on. */
    public NodeProbe(OptionalLong pid) {
        this.pid = pid;
        this.sampler = Thread.ofPlatform().daemon().name("rss-sampler").start(() -> {
            while (running) {
                statusKib("VmRSS").ifPresent(kib -> windowPeakKib.accumulateAndGet(kib, Math::max));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** The highest {@code VmRSS} sampled since the last call, in MiB (then starts a new window); -1 without a pid. */
    public double takeWindowPeakMib() {
        statusKib("VmRSS").ifPresent(kib -> windowPeakKib.accumulateAndGet(kib, Math::max));
        long kib = windowPeakKib.getAndSet(0);
        return pid.isPresent() ? Stats.round(kib / 1024.0) : -1;
    }

    /** The kernel's peak resident set of the node ({@code VmHWM}) in MiB; -1 without a pid. */
    public double highWaterMarkMib() {
        return statusKib("VmHWM").stream().mapToDouble(kib -> Stats.round(kib / 1024.0)).findFirst().orElse(-1);
    }

    /** The current resident set in MiB; -1 without a pid. */
    public double currentMib() {
        return statusKib("VmRSS").stream().mapToDouble(kib -> Stats.round(kib / 1024.0)).findFirst().orElse(-1);
    }

    private OptionalLong statusKib(String field) {
        if (pid.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid.getAsLong()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return OptionalLong.of(Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process has gone, or this is not Linux: no figure.
        }
        return OptionalLong.empty();
    }

    /**
     * CPU time used so far, in clock ticks ({@code USER_HZ}, 100 per second on Linux): of the node, of
     * every process named {@code postgres} (the server and its backends; a backend that exits between
     * two snapshots takes its ticks with it, so the figure is a lower bound), of this JVM, and of the
     * whole machine (busy = all but idle and iowait).
     */
    public record CpuTicks(long node, long postgres, long self, long machineBusy) {

        private static final double TICKS_PER_SECOND = 100;

        /**
         * Cores used on average from {@code before} to this snapshot, {@code seconds} apart, and CPU
         * microseconds per receipt when {@code receipts} is positive.
         */
        ObjectNode since(CpuTicks before, double seconds, long receipts, ObjectMapper mapper) {
            var json = mapper.createObjectNode();
            long[] now = {node, postgres, self, machineBusy};
            long[] then = {before.node, before.postgres, before.self, before.machineBusy};
            String[] names = {"node", "postgres", "load_generator", "machine"};
            var cores = json.putObject("cores");
            var perReceipt = json.putObject("us_per_receipt");
            for (int i = 0; i < names.length; i++) {
                double cpuSeconds = (now[i] - then[i]) / TICKS_PER_SECOND;
                cores.put(names[i], Stats.round(cpuSeconds / seconds));
                if (receipts > 0) {
                    perReceipt.put(names[i], Stats.round(cpuSeconds * 1e6 / receipts));
                }
            }
            return json;
        }
    }

    /** The CPU ticks used so far ({@link CpuTicks}); zeros where a figure cannot be read. */
    public CpuTicks cpu() {
        long node = pid.isPresent() ? processTicks(Path.of("/proc", String.valueOf(pid.getAsLong()), "stat")) : 0;
        long postgres = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path dir : processes.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if (Files.readString(dir.resolve("comm")).strip().equals("postgres")) {
                        postgres += processTicks(dir.resolve("stat"));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        long self = processTicks(Path.of("/proc/self/stat"));
        long busy = 0;
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().strip().split("\\s+");
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                busy += (i == 4 || i == 5) ? 0 : Long.parseLong(cpu[i]); // 4 idle, 5 iowait
            }
        } catch (IOException | RuntimeException e) {
            busy = 0;
        }
        return new CpuTicks(node, postgres, self, busy);
    }

    /** utime + stime of {@code /proc/<pid>/stat} (fields 14 and 15, counted after the parenthesised name). */
    private static long processTicks(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Starts a flight recording named {@code name} in the node (JFR's "profile" settings); false when it could not. */
    public boolean startRecording(String name, Path file) {
        return jcmd(List.of("JFR.start", "name=" + name, "settings=profile", "filename=" + file.toAbsolutePath()));
    }

    /** Stops the recording {@code name}, which writes its file. */
    public boolean stopRecording(String name) {
        return jcmd(List.of("JFR.stop", "name=" + name));
    }

    private boolean jcmd(List<String> command) {
        if (pid.isEmpty()) {
            return false;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            var args = new java.util.ArrayList<String>();
            args.add(jcmd.toString());
            args.add(String.valueOf(pid.getAsLong()));
            args.addAll(command);
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = process.waitFor(60, TimeUnit.SECONDS);
            if (!done || process.exitValue() != 0) {
                System.err.println("bench: jcmd " + String.join(" ", command) + " failed: " + output.strip());
                return false;
            }
            return true;
        } catch (IOException e) {
            System.err.println("bench: jcmd failed: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
