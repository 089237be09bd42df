package network.sovereign.pouw.application.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import network.sovereign.pouw.application.port.in.MaintenanceTask;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase;
import network.sovereign.pouw.application.port.out.AdminAudit;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.HealthIndicator;
import network.sovereign.pouw.application.port.out.RetentionStore;

/**
 * Runs retention under a cluster-wide lease and reports, as the {@code maintenance} health
 * component, how the last run went.
 */
public final class MaintenanceService implements RunMaintenanceUseCase, HealthIndicator {

    static final String LEASE = "maintenance";
    /** The audit action of an on-demand run. */
    public static final String AUDIT_ACTION = "run_maintenance";

    private final RetentionStore store;
    private final AdminAudit audit;
    private final RetentionSettings settings;
    private final Clock clock;
    private final String nodeName;
    private final AtomicReference<LastRun> lastRun = new AtomicReference<>();

    private record LastRun(Instant at, boolean ok, String summary) {
    }

    /**
     * Creates the service.
     *
     * @param store    where retention happens
     * @param settings what to keep and for how long
     * @param clock    the clock cut-offs are computed with
     * @param nodeName this node's name as lease holder
     * @param audit    where on-demand runs are recorded
     */
    public MaintenanceService(RetentionStore store, RetentionSettings settings, Clock clock, String nodeName, AdminAudit audit) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    }

    @Override
    public MaintenanceOutcome run(RunMaintenanceCommand command) {
        Instant now = clock.instant();
        // The lease outlives any sane run; a crashed holder's lease simply expires.
        if (!command.dryRun() && !store.tryAcquireLease(LEASE, nodeName, now, Duration.ofHours(1))) {
            return new MaintenanceOutcome.Busy();
        }
        try {
            Map<MaintenanceTask, Long> counts = new EnumMap<>(MaintenanceTask.class);
            for (MaintenanceTask task : command.tasks()) {
                counts.put(task, runTask(task, now, command.dryRun()));
            }
            if (!command.dryRun()) {
                lastRun.set(new LastRun(clock.instant(), true, describe(counts)));
            }
            // Recorded after the run: the tasks commit batch by batch, so there is no one transaction to join.
            command.actor().ifPresent(actor -> audit.record(new AuditEntry(actor, AUDIT_ACTION, Optional.empty(), Optional.empty(),
                    Optional.of(details(counts, command.dryRun())), clock.instant())));
            return new MaintenanceOutcome.Completed(counts, command.dryRun());
        } catch (RuntimeException e) {
            if (!command.dryRun()) {
                lastRun.set(new LastRun(clock.instant(), false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            throw e;
        } finally {
            if (!command.dryRun()) {
                store.releaseLease(LEASE, nodeName);
            }
        }
    }

    private long runTask(MaintenanceTask task, Instant now, boolean dryRun) {
        return switch (task) {
            case PURGE_CHALLENGES -> store.purgeChallengesExpiredBefore(now.minus(settings.challengeRetention()), dryRun);
            case PURGE_NONCES -> store.purgeNoncesCreatedBefore(now.minus(settings.nonceRetention()), dryRun);
            case ARCHIVE_RECEIPTS -> store.archiveReceiptsSubmittedBefore(
                    now.minus(settings.receiptArchiveAge()), settings.archiveBatchSize(), dryRun);
        };
    }

    private static String details(Map<MaintenanceTask, Long> counts, boolean dryRun) {
        StringBuilder sb = new StringBuilder("{\"dry_run\":").append(dryRun).append(",\"tasks\":{");
        String separator = "";
        for (Map.Entry<MaintenanceTask, Long> entry : counts.entrySet()) {
            sb.append(separator).append('"').append(entry.getKey().wireName()).append("\":").append(entry.getValue());
            separator = ",";
        }
        return sb.append("}}").toString();
    }

    private static String describe(Map<MaintenanceTask, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((task, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(task.wireName()).append('=').append(n));
        return sb.toString();
    }

    @Override
    public String componentName() {
        return "maintenance";
    }

    @Override
    public ComponentHealth check() {
        LastRun last = lastRun.get();
        if (last == null) {
            return new ComponentHealth(componentName(), ComponentHealth.Status.HEALTHY,
                    "no retention run on this node yet; runs every " + settings.interval(), 0);
        }
        if (!last.ok()) {
            return new ComponentHealth(componentName(), ComponentHealth.Status.DEGRADED,
                    "last retention run at " + last.at() + " failed: " + last.summary(), 0);
        }
        return new ComponentHealth(componentName(), ComponentHealth.Status.HEALTHY,
                "last retention run at " + last.at() + ": " + last.summary(), 0);
    }
}
