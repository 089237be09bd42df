package network.sovereign.pouw.application.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
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
 *
 * <p>One run at a time per cluster, this node included: every run takes the lease under a holder token
 * of its own ({@code <node name>/<random>}), so a second concurrent run on the same node is refused like
 * one on another node, and only the run that holds the lease releases it.
 */
public final class MaintenanceService implements RunMaintenanceUseCase, HealthIndicator {

    static final String LEASE = "maintenance";
    /** How long a run holds the lease without renewing it; renewed before each task. */
    static final Duration LEASE_TTL = Duration.ofHours(1);
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
     * @param nodeName this node's name, the first part of each run's lease holder token
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
        // A token per run, not the node's name: a concurrent run on this node must not "renew" our lease.
        String holder = holderToken();
        // The lease outlives any sane run; a crashed holder's lease simply expires.
        if (!command.dryRun() && !store.tryAcquireLease(LEASE, holder, now, LEASE_TTL)) {
            return new MaintenanceOutcome.Busy();
        }
        Map<MaintenanceTask, Long> counts = new EnumMap<>(MaintenanceTask.class);
        try {
            for (MaintenanceTask task : command.tasks()) {
                // Renewed before each task, so a long run keeps it; losing it (expired and taken) stops the run.
                if (!command.dryRun() && !store.tryAcquireLease(LEASE, holder, clock.instant(), LEASE_TTL)) {
                    throw new IllegalStateException("maintenance lease lost before " + task.wireName()
                            + (counts.isEmpty() ? "" : " (done: " + describe(counts) + ")"));
                }
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
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                // How far it got: the tasks that finished before the failure, with their counts.
                lastRun.set(new LastRun(clock.instant(), false, counts.isEmpty() ? reason : reason + " (done before: " + describe(counts) + ")"));
            }
            throw e;
        } finally {
            if (!command.dryRun()) {
                store.releaseLease(LEASE, holder);
            }
        }
    }

    private long runTask(MaintenanceTask task, Instant now, boolean dryRun) {
        return switch (task) {
            case PURGE_CHALLENGES -> store.purgeChallengesExpiredBefore(now.minus(settings.challengeRetention()), dryRun);
            case PURGE_NONCES -> store.purgeNoncesCreatedBefore(now.minus(settings.nonceRetention()), dryRun);
            case ARCHIVE_RECEIPTS -> store.archiveReceiptsSubmittedBefore(
                    now.minus(settings.receiptArchiveAge()), settings.archiveBatchSize(), dryRun);
            case PURGE_REJECTIONS -> store.purgeRejectionsSubmittedBefore(now.minus(settings.rejectionRetention()), dryRun);
        };
    }

    /** {@code <node name>/<random>}: unique per run, within the leases table's 256 characters. */
    private String holderToken() {
        String name = nodeName.length() > 200 ? nodeName.substring(0, 200) : nodeName;
        return name + "/" + UUID.randomUUID();
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
