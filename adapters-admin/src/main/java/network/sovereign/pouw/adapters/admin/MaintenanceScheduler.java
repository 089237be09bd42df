package network.sovereign.pouw.adapters.admin;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase.MaintenanceOutcome;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase.RunMaintenanceCommand;

/**
 * Runs the retention job on a fixed interval (daily by default). Every node schedules it; the
 * cluster-wide lease inside the use case lets one node at a time do the work.
 */
public final class MaintenanceScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MaintenanceScheduler.class.getName());

    private final RunMaintenanceUseCase maintenance;
    private final Duration interval;
    private final Duration initialDelay;
    private final ScheduledExecutorService executor;

    /**
     * Creates a scheduler; nothing runs before {@link #start()}.
     *
     * @param maintenance  the job
     * @param interval     time between runs
     * @param initialDelay time before the first run
     */
    public MaintenanceScheduler(RunMaintenanceUseCase maintenance, Duration interval, Duration initialDelay) {
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pouw-maintenance").daemon().factory());
    }

    /** Schedules the job. */
    public void start() {
        executor.scheduleWithFixedDelay(this::runOnce, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(() -> "retention job scheduled every " + interval + ", first run in " + initialDelay);
    }

    /** Runs the job once now, logging its outcome; never throws (a failed run is retried next time). */
    void runOnce() {
        try {
            MaintenanceOutcome outcome = maintenance.run(new RunMaintenanceCommand(null, false));
            switch (outcome) {
                case MaintenanceOutcome.Completed completed ->
                        LOG.info(() -> "retention run done: " + completed.counts());
                case MaintenanceOutcome.Busy busy ->
                        LOG.info("retention run skipped: another run (on this node or another) holds the maintenance lease");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention run failed; next attempt in " + interval, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
