package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.LEASES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.USED_NONCES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ReceiptsRecord;
import network.sovereign.pouw.application.port.in.MaintenanceTask;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase.MaintenanceOutcome;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase.RunMaintenanceCommand;
import network.sovereign.pouw.application.port.out.RetentionStore;
import network.sovereign.pouw.application.service.MaintenanceService;
import network.sovereign.pouw.application.service.RetentionSettings;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract of {@link RetentionStore}, run against every database the node supports: one concrete
 * subclass per database supplies a fresh, empty one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RetentionStoreContract {

    /** All times are whole seconds, so both databases store them exactly. */
    private static final Instant CUTOFF = Instant.parse("2026-03-01T00:00:00Z");

    private TestDatabase database;
    private Persistence persistence;
    private RetentionStore store;
    private DSLContext dsl;
    private Rows rows;

    /** A new, empty database of the kind under test. */
    abstract TestDatabase createDatabase();

    @BeforeAll
    void startDatabase() {
        database = createDatabase();
        Persistence.migrate(database.settings());
        persistence = Persistence.start(database.settings());
        store = persistence.retentionStore();
        dsl = persistence.dsl();
        rows = new Rows(dsl);
    }

    @AfterAll
    void stopDatabase() {
        if (persistence != null) {
            persistence.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        OperatorStoresFixture.emptyOperatorTables(dsl);
        for (var table : List.of(RECEIPTS, RECEIPTS_ARCHIVE, USED_NONCES, CHALLENGES, REJECTIONS, LEASES, CLIENTS)) {
            dsl.deleteFrom(table).execute();
        }
        rows.client(CUTOFF.minus(Duration.ofDays(400)));
    }

    @Test
    void purges_challenges_that_expired_strictly_before_the_cutoff() {
        rows.challenge(CUTOFF.minus(Duration.ofDays(30)));
        rows.challenge(CUTOFF.minusSeconds(1));
        var atCutoff = rows.challenge(CUTOFF);
        var after = rows.challenge(CUTOFF.plusSeconds(1));

        assertEquals(2, store.purgeChallengesExpiredBefore(CUTOFF, false));

        assertEquals(Set.of(hex(atCutoff.getChallengeNonce()), hex(after.getChallengeNonce())),
                dsl.select(CHALLENGES.CHALLENGE_NONCE).from(CHALLENGES).fetchSet(r -> hex(r.value1())));
        assertEquals(0, store.purgeChallengesExpiredBefore(CUTOFF, false), "nothing left to purge");
    }

    @Test
    void purges_nonces_created_strictly_before_the_cutoff() {
        rows.nonce(CUTOFF.minus(Duration.ofHours(48)));
        rows.nonce(CUTOFF.minusSeconds(1));
        var atCutoff = rows.nonce(CUTOFF);
        var after = rows.nonce(CUTOFF.plusSeconds(1));

        assertEquals(2, store.purgeNoncesCreatedBefore(CUTOFF, false));

        assertEquals(Set.of(hex(atCutoff.getReceiptNonce()), hex(after.getReceiptNonce())),
                dsl.select(USED_NONCES.RECEIPT_NONCE).from(USED_NONCES).fetchSet(r -> hex(r.value1())));
    }

    @Test
    void purges_in_chunks_until_nothing_is_left() {
        var chunked = new JooqRetentionStore(persistence.access(), 7);
        for (int i = 0; i < 20; i++) {
            rows.nonce(CUTOFF.minusSeconds(100 + i));
        }
        rows.nonce(CUTOFF.plusSeconds(5));

        assertEquals(20, chunked.purgeNoncesCreatedBefore(CUTOFF, false));
        assertEquals(1, dsl.fetchCount(USED_NONCES));
    }

    @Test
    void concurrent_purges_together_leave_nothing_expired_and_count_every_row_once() throws Exception {
        // Two purges choosing the same chunks: one's chunk comes back short because the other took rows,
        // which must not end it while expired rows remain (it did, leaving most of a backlog behind).
        var chunked = new JooqRetentionStore(persistence.access(), 50);
        for (int i = 0; i < 2_000; i++) {
            rows.challenge(CUTOFF.minusSeconds(10 + i));
        }
        rows.challenge(CUTOFF.plusSeconds(10));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return chunked.purgeChallengesExpiredBefore(CUTOFF, false);
                }));
            }
            start.countDown();
            long total = runs.get(0).get() + runs.get(1).get();
            assertEquals(2_000, total, "every expired challenge counted once");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, store.purgeChallengesExpiredBefore(CUTOFF, true), "no expired challenge left");
        assertEquals(1, dsl.fetchCount(CHALLENGES));
    }

    @Test
    void purges_rejections_submitted_before_the_cutoff_and_keeps_recent_ones_and_those_an_open_dispute_names() {
        String old = rejection(CUTOFF.minus(Duration.ofDays(40)));
        rejection(CUTOFF.minusSeconds(1));
        String atCutoff = rejection(CUTOFF);
        String recent = rejection(CUTOFF.plusSeconds(1));
        String disputedOpen = rejection(CUTOFF.minus(Duration.ofDays(50)));
        String disputedInvestigated = rejection(CUTOFF.minus(Duration.ofDays(50)));
        String disputedSettled = rejection(CUTOFF.minus(Duration.ofDays(50)));
        disputeAbout(disputedOpen, "open");
        disputeAbout(disputedInvestigated, "under_investigation");
        disputeAbout(disputedSettled, "resolved_for_node");

        assertEquals(3, store.purgeRejectionsSubmittedBefore(CUTOFF, true), "dry run counts");
        assertEquals(7, dsl.fetchCount(REJECTIONS), "a dry run deletes nothing");
        assertEquals(3, store.purgeRejectionsSubmittedBefore(CUTOFF, false));

        assertEquals(Set.of(atCutoff, recent, disputedOpen, disputedInvestigated),
                dsl.select(REJECTIONS.REJECTION_ID).from(REJECTIONS).fetchSet(REJECTIONS.REJECTION_ID));
        assertFalse(dsl.fetchExists(REJECTIONS, REJECTIONS.REJECTION_ID.eq(old)));
        assertEquals(0, store.purgeRejectionsSubmittedBefore(CUTOFF, false), "nothing left to purge");
    }

    @Test
    void purges_many_rejections_in_chunks() {
        var chunked = new JooqRetentionStore(persistence.access(), 7);
        for (int i = 0; i < 30; i++) {
            rejection(CUTOFF.minusSeconds(100 + i));
        }
        rejection(CUTOFF.plusSeconds(5));

        assertEquals(30, chunked.purgeRejectionsSubmittedBefore(CUTOFF, false));
        assertEquals(1, dsl.fetchCount(REJECTIONS));
    }

    @Test
    void a_second_run_on_the_same_node_is_busy_while_the_first_holds_the_lease_and_does_not_release_it() throws Exception {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        // The real store, with the first task held open until the second run has been refused.
        RetentionStore slow = new RetentionStore() {
            @Override
            public long purgeChallengesExpiredBefore(Instant cutoff, boolean dryRun) {
                inside.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return store.purgeChallengesExpiredBefore(cutoff, dryRun);
            }

            @Override
            public long purgeNoncesCreatedBefore(Instant cutoff, boolean dryRun) {
                return store.purgeNoncesCreatedBefore(cutoff, dryRun);
            }

            @Override
            public long purgeRejectionsSubmittedBefore(Instant cutoff, boolean dryRun) {
                return store.purgeRejectionsSubmittedBefore(cutoff, dryRun);
            }

            @Override
            public long archiveReceiptsSubmittedBefore(Instant cutoff, int batchSize, boolean dryRun) {
                return store.archiveReceiptsSubmittedBefore(cutoff, batchSize, dryRun);
            }

            @Override
            public boolean tryAcquireLease(String lease, String holder, Instant at, Duration ttl) {
                return store.tryAcquireLease(lease, holder, at, ttl);
            }

            @Override
            public void releaseLease(String lease, String holder) {
                store.releaseLease(lease, holder);
            }
        };
        var settings = new RetentionSettings(Duration.ofDays(7), Duration.ofHours(24), Duration.ofDays(90), 1000, Duration.ofDays(1));
        var service = new MaintenanceService(slow, settings, Clock.fixed(now, ZoneOffset.UTC), "node-a", persistence.adminAudit());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<MaintenanceOutcome> first = pool.submit(() -> service.run(new RunMaintenanceCommand(Set.of(), false)));
            assertTrue(inside.await(30, java.util.concurrent.TimeUnit.SECONDS), "the first run started");
            String holder = dsl.select(LEASES.HOLDER).from(LEASES).fetchSingle(LEASES.HOLDER);
            assertTrue(holder.startsWith("node-a/"), holder);

            assertInstanceOf(MaintenanceOutcome.Busy.class, service.run(new RunMaintenanceCommand(Set.of(), false)),
                    "the same node's second run");
            assertEquals(holder, dsl.select(LEASES.HOLDER).from(LEASES).fetchSingle(LEASES.HOLDER),
                    "the refused run left the lease to its holder");

            finish.countDown();
            assertInstanceOf(MaintenanceOutcome.Completed.class, first.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, dsl.fetchCount(LEASES), "the holder released it");
        } finally {
            finish.countDown();
            pool.shutdownNow();
        }
    }

    private String rejection(Instant submittedAt) {
        String id = "rej-" + java.util.UUID.randomUUID();
        dsl.insertInto(REJECTIONS)
                .set(REJECTIONS.REJECTION_ID, id)
                .set(REJECTIONS.CLIENT_DID, Rows.DID)
                .set(REJECTIONS.REASON, "invalid_signature")
                .set(REJECTIONS.DETAIL, "signature does not verify")
                .set(REJECTIONS.SUBMITTED_AT, submittedAt)
                .execute();
        return id;
    }

    private void disputeAbout(String rejectionId, String status) {
        String disputeId = OperatorStoresFixture.dispute(dsl, Rows.DID, status, CUTOFF);
        dsl.update(DISPUTES).set(DISPUTES.RECEIPT_ID, rejectionId).set(DISPUTES.DISPUTE_TYPE, "ReceiptWronglyRejected")
                .where(DISPUTES.DISPUTE_ID.eq(disputeId)).execute();
    }

    @Test
    void dry_run_counts_what_would_go_and_changes_nothing() {
        rows.challenge(CUTOFF.minusSeconds(10));
        rows.challenge(CUTOFF.plusSeconds(10));
        rows.nonce(CUTOFF.minusSeconds(10));
        rows.nonce(CUTOFF.minusSeconds(20));
        rows.nonce(CUTOFF.plusSeconds(10));
        for (int i = 0; i < 3; i++) {
            rows.receipt(CUTOFF.minusSeconds(i + 1));
        }
        rows.receipt(CUTOFF);

        assertEquals(1, store.purgeChallengesExpiredBefore(CUTOFF, true));
        assertEquals(2, store.purgeNoncesCreatedBefore(CUTOFF, true));
        assertEquals(3, store.archiveReceiptsSubmittedBefore(CUTOFF, 2, true));

        assertEquals(2, dsl.fetchCount(CHALLENGES));
        assertEquals(3, dsl.fetchCount(USED_NONCES));
        assertEquals(4, dsl.fetchCount(RECEIPTS));
        assertEquals(0, dsl.fetchCount(RECEIPTS_ARCHIVE));
    }

    @Test
    void archives_every_old_receipt_in_batches_smaller_than_the_backlog_and_keeps_recent_ones() {
        List<ReceiptsRecord> old = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            old.add(rows.receipt(CUTOFF.minus(Duration.ofDays(1)).minusSeconds(i)));
        }
        old.add(rows.receipt(CUTOFF.minusSeconds(1)));
        var atCutoff = rows.receipt(CUTOFF);
        var recent = rows.receipt(CUTOFF.plusSeconds(1));

        assertEquals(26, store.archiveReceiptsSubmittedBefore(CUTOFF, 10, false));

        assertEquals(Set.of(atCutoff.getReceiptId(), recent.getReceiptId()),
                dsl.select(RECEIPTS.RECEIPT_ID).from(RECEIPTS).fetchSet(RECEIPTS.RECEIPT_ID));
        assertEquals(old.stream().map(ReceiptsRecord::getReceiptId).collect(Collectors.toSet()),
                dsl.select(RECEIPTS_ARCHIVE.RECEIPT_ID).from(RECEIPTS_ARCHIVE).fetchSet(RECEIPTS_ARCHIVE.RECEIPT_ID));
        assertEquals(0, store.archiveReceiptsSubmittedBefore(CUTOFF, 10, false), "nothing left to archive");
    }

    @Test
    void archived_receipts_keep_every_column_value() {
        var original = rows.receipt(CUTOFF.minusSeconds(60));

        assertEquals(1, store.archiveReceiptsSubmittedBefore(CUTOFF, 100, false));

        var archived = dsl.selectFrom(RECEIPTS_ARCHIVE).where(RECEIPTS_ARCHIVE.RECEIPT_ID.eq(original.getReceiptId())).fetchSingle();
        assertTrue(Rows.sameValues(original, archived), () -> "archived " + archived + "\nbut stored " + original);
    }

    @Test
    void archiving_tolerates_receipts_the_archive_already_holds() {
        // As after an operator ran the runbook's INSERT INTO receipts_archive but not its DELETE.
        var first = rows.receipt(CUTOFF.minusSeconds(30));
        rows.receipt(CUTOFF.minusSeconds(20));
        dsl.insertInto(RECEIPTS_ARCHIVE).select(dsl.selectFrom(RECEIPTS).where(RECEIPTS.RECEIPT_ID.eq(first.getReceiptId()))).execute();

        assertEquals(2, store.archiveReceiptsSubmittedBefore(CUTOFF, 10, false));

        assertEquals(0, dsl.fetchCount(RECEIPTS));
        assertEquals(2, dsl.fetchCount(RECEIPTS_ARCHIVE));
    }

    @Test
    void a_lease_is_exclusive_until_it_expires_and_renewable_by_its_holder() {
        Duration ttl = Duration.ofMinutes(10);
        Instant t0 = CUTOFF;

        assertTrue(store.tryAcquireLease("maintenance", "node-a", t0, ttl));
        assertFalse(store.tryAcquireLease("maintenance", "node-b", t0.plusSeconds(1), ttl));
        assertTrue(store.tryAcquireLease("maintenance", "node-a", t0.plusSeconds(2), ttl), "the holder renews");
        assertFalse(store.tryAcquireLease("maintenance", "node-b", t0.plus(ttl), ttl), "renewal moved the expiry");
        assertTrue(store.tryAcquireLease("other-job", "node-b", t0, ttl), "leases are independent by name");

        Instant expired = t0.plusSeconds(2).plus(ttl);
        assertTrue(store.tryAcquireLease("maintenance", "node-b", expired, ttl), "an expired lease can be taken over");
        assertFalse(store.tryAcquireLease("maintenance", "node-a", expired.plusSeconds(1), ttl));
    }

    @Test
    void only_the_holder_releases_a_lease() {
        Duration ttl = Duration.ofMinutes(10);
        assertTrue(store.tryAcquireLease("maintenance", "node-a", CUTOFF, ttl));

        store.releaseLease("maintenance", "node-b");
        assertFalse(store.tryAcquireLease("maintenance", "node-b", CUTOFF, ttl), "a stranger's release is ignored");

        store.releaseLease("maintenance", "node-a");
        assertTrue(store.tryAcquireLease("maintenance", "node-b", CUTOFF, ttl));
    }

    @Test
    void exactly_one_of_many_concurrent_contenders_gets_a_free_lease() throws Exception {
        int contenders = 6;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 0; round < 5; round++) {
                String lease = "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    String holder = "node-" + i;
                    Callable<Boolean> attempt = () -> {
                        start.await();
                        return store.tryAcquireLease(lease, holder, CUTOFF, Duration.ofMinutes(5));
                    };
                    outcomes.add(pool.submit(attempt));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> outcome : outcomes) {
                    winners += outcome.get() ? 1 : 0;
                }
                assertEquals(1, winners, "winners of " + lease);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_maintenance_service_runs_every_task_against_this_store() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        rows.challenge(now.minus(Duration.ofDays(8)));
        rows.challenge(now.minus(Duration.ofDays(6)));
        rows.nonce(now.minus(Duration.ofHours(25)));
        rows.nonce(now.minus(Duration.ofHours(23)));
        rows.receipt(now.minus(Duration.ofDays(91)));
        rows.receipt(now.minus(Duration.ofDays(89)));
        rejection(now.minus(Duration.ofDays(31)));
        rejection(now.minus(Duration.ofDays(29)));
        var settings = new RetentionSettings(Duration.ofDays(7), Duration.ofHours(24), Duration.ofDays(90), 1000, Duration.ofDays(1),
                Duration.ofDays(30));
        var service = new MaintenanceService(store, settings, Clock.fixed(now, ZoneOffset.UTC), "node-a", persistence.adminAudit());

        MaintenanceOutcome outcome = service.run(new RunMaintenanceCommand(Set.of(), false));

        var completed = assertInstanceOf(MaintenanceOutcome.Completed.class, outcome);
        assertEquals(Map.of(MaintenanceTask.PURGE_CHALLENGES, 1L, MaintenanceTask.PURGE_NONCES, 1L,
                MaintenanceTask.ARCHIVE_RECEIPTS, 1L, MaintenanceTask.PURGE_REJECTIONS, 1L), completed.counts());
        assertEquals(1, dsl.fetchCount(REJECTIONS), "the recent rejection stays");
        assertEquals(0, dsl.fetchCount(LEASES), "the lease is given back after the run");
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
