package network.sovereign.pouw.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the node process from outside: its resident memory from {@code /proc/<pid>/status}
 * ({@code VmRSS} sampled every 250 ms, {@code VmHWM} the kernel's peak) and flight recordings started
 * and stopped with {@code jcmd}. Without a pid (or off Linux) every figure is absent.
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
