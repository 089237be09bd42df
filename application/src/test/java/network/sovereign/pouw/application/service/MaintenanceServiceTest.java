package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import network.sovereign.pouw.application.port.in.MaintenanceTask;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase.MaintenanceOutcome;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase.RunMaintenanceCommand;
import network.sovereign.pouw.application.port.out.ComponentHealth.Status;
import network.sovereign.pouw.application.port.out.RetentionStore;
import org.junit.jupiter.api.Test;

class MaintenanceServiceTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** Records what it was asked and holds one lease, like the database would. */
    private static final class FakeRetentionStore implements RetentionStore {
        final List<String> calls = new ArrayList<>();
        String leaseHolder;
        boolean fail;
        /** Runs once inside the rejections purge, i.e. while a run holds the lease. */
        Runnable duringFirstTask;
        final List<String> holders = new ArrayList<>();

        @Override
        public long purgeChallengesExpiredBefore(Instant cutoff, boolean dryRun) {
            calls.add("challenges<" + cutoff + (dryRun ? " dry" : ""));
            return 3;
        }

        @Override
        public long purgeNoncesCreatedBefore(Instant cutoff, boolean dryRun) {
            if (fail) {
                throw new IllegalStateException("disk full");
            }
            calls.add("nonces<" + cutoff + (dryRun ? " dry" : ""));
            return 5;
        }

        @Override
        public long archiveReceiptsSubmittedBefore(Instant cutoff, int batchSize, boolean dryRun) {
            calls.add("receipts<" + cutoff + " batch " + batchSize + (dryRun ? " dry" : ""));
            return 7;
        }

        @Override
        public long purgeRejectionsSubmittedBefore(Instant cutoff, boolean dryRun) {
            calls.add("rejections<" + cutoff + (dryRun ? " dry" : ""));
            if (duringFirstTask != null) {
                Runnable r = duringFirstTask;
                duringFirstTask = null;
                r.run();
            }
            return 11;
        }

        @Override
        public boolean tryAcquireLease(String lease, String holder, Instant now, Duration ttl) {
            holders.add(holder);
            if (leaseHolder != null && !leaseHolder.equals(holder)) {
                return false;
            }
            leaseHolder = holder;
            return true;
        }

        @Override
        public void releaseLease(String lease, String holder) {
            if (holder.equals(leaseHolder)) {
                leaseHolder = null;
            }
        }
    }

    private final FakeRetentionStore store = new FakeRetentionStore();
    private final RetentionSettings settings = new RetentionSettings(Duration.ofDays(7), Duration.ofHours(24),
            Duration.ofDays(90), 500, Duration.ofHours(24), Duration.ofDays(30));
    private final Fakes.InMemoryAudit audit = new Fakes.InMemoryAudit();
    private final MaintenanceService service = new MaintenanceService(store, settings, Clock.fixed(NOW, ZoneOffset.UTC), "node-a", audit);

    @Test
    void runs_every_task_with_cutoffs_from_the_retention_settings() {
        MaintenanceOutcome outcome = service.run(new RunMaintenanceCommand(null, false));
        MaintenanceOutcome.Completed completed = assertInstanceOf(MaintenanceOutcome.Completed.class, outcome);
        assertEquals(Map.of(MaintenanceTask.PURGE_CHALLENGES, 3L, MaintenanceTask.PURGE_NONCES, 5L,
                MaintenanceTask.ARCHIVE_RECEIPTS, 7L, MaintenanceTask.PURGE_REJECTIONS, 11L), completed.counts());
        assertEquals(List.of("challenges<2026-05-25T12:00:00Z", "nonces<2026-05-31T12:00:00Z",
                "receipts<2026-03-03T12:00:00Z batch 500", "rejections<2026-05-02T12:00:00Z"), store.calls);
        assertEquals(null, store.leaseHolder, "lease released after the run");
    }

    @Test
    void dry_run_counts_only_and_needs_no_lease() {
        store.leaseHolder = "node-b";
        MaintenanceOutcome outcome = service.run(new RunMaintenanceCommand(EnumSet.of(MaintenanceTask.PURGE_NONCES), true));
        assertInstanceOf(MaintenanceOutcome.Completed.class, outcome);
        assertEquals(List.of("nonces<2026-05-31T12:00:00Z dry"), store.calls);
        assertEquals("node-b", store.leaseHolder);
        assertTrue(service.check().message().startsWith("no retention run"), "a dry run is not a run");
    }

    @Test
    void another_node_holding_the_lease_makes_the_run_busy_and_touches_nothing() {
        store.leaseHolder = "node-b";
        assertInstanceOf(MaintenanceOutcome.Busy.class, service.run(new RunMaintenanceCommand(null, false)));
        assertTrue(store.calls.isEmpty());
    }

    @Test
    void health_reports_the_last_run_and_degrades_after_a_failure() {
        assertEquals(Status.HEALTHY, service.check().status());
        service.run(new RunMaintenanceCommand(null, false));
        assertEquals(Status.HEALTHY, service.check().status());
        assertTrue(service.check().message().contains("purge_nonces=5"), service.check().message());

        store.fail = true;
        assertThrows(IllegalStateException.class, () -> service.run(new RunMaintenanceCommand(null, false)));
        assertEquals(Status.DEGRADED, service.check().status());
        assertTrue(service.check().message().contains("disk full"));
        assertEquals(null, store.leaseHolder, "lease released after a failed run too");
    }

    @Test
    void an_on_demand_run_is_audited_with_its_counts_and_a_scheduled_one_is_not() {
        service.run(new RunMaintenanceCommand(null, false));
        assertTrue(audit.events.isEmpty(), "the schedule is not an admin action");

        service.run(new RunMaintenanceCommand(EnumSet.of(MaintenanceTask.PURGE_NONCES), true, java.util.Optional.of("alice")));
        service.run(new RunMaintenanceCommand(null, false, java.util.Optional.of("bob")));

        assertEquals(2, audit.events.size());
        assertEquals("alice", audit.events.get(0).entry().actor());
        assertEquals("run_maintenance", audit.events.get(0).entry().action());
        assertEquals(java.util.Optional.of("{\"dry_run\":true,\"tasks\":{\"purge_nonces\":5}}"), audit.events.get(0).entry().details());
        assertEquals(java.util.Optional.of("{\"dry_run\":false,\"tasks\":{\"purge_challenges\":3,\"purge_nonces\":5,\"archive_receipts\":7,"
                        + "\"purge_rejections\":11}}"),
                audit.events.get(1).entry().details());
    }

    @Test
    void a_second_run_on_the_same_node_while_the_first_holds_the_lease_is_busy_and_leaves_the_lease_alone() {
        MaintenanceOutcome[] inner = new MaintenanceOutcome[1];
        String[] holderDuringInner = new String[1];
        store.duringFirstTask = () -> {
            inner[0] = service.run(new RunMaintenanceCommand(null, false, java.util.Optional.of("bob")));
            holderDuringInner[0] = store.leaseHolder;
        };

        MaintenanceOutcome outer = service.run(new RunMaintenanceCommand(null, false, java.util.Optional.of("alice")));

        assertInstanceOf(MaintenanceOutcome.Completed.class, outer);
        assertInstanceOf(MaintenanceOutcome.Busy.class, inner[0], "one run at a time, this node included");
        assertTrue(holderDuringInner[0] != null && holderDuringInner[0].startsWith("node-a/"),
                "the refused run did not release the running one's lease: " + holderDuringInner[0]);
        assertEquals(null, store.leaseHolder, "released by its holder at the end");
        assertEquals(2, new java.util.HashSet<>(store.holders).size(), "a holder token per run: " + store.holders);
        assertEquals(1, audit.events.size(), "only the run that happened is audited");
    }

    @Test
    void a_failed_run_reports_what_it_finished_before_the_failure() {
        store.fail = true;
        assertThrows(IllegalStateException.class, () -> service.run(new RunMaintenanceCommand(null, false)));
        assertTrue(service.check().message().contains("disk full (done before: purge_challenges=3)"), service.check().message());
    }

    @Test
    void a_busy_run_is_not_audited() {
        store.leaseHolder = "node-b";
        service.run(new RunMaintenanceCommand(null, false, java.util.Optional.of("alice")));
        assertTrue(audit.events.isEmpty());
    }
}
