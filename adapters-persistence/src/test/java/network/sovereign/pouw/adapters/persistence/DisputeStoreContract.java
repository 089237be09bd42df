package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.ADMIN_AUDIT;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTE_EVENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS_ARCHIVE;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REJECTIONS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.AdminAuditRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.DisputeEventsRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.RewardEntriesRecord;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.DisputeCursor;
import network.sovereign.pouw.application.port.out.DisputeEvent;
import network.sovereign.pouw.application.port.out.DisputeResolution;
import network.sovereign.pouw.application.port.out.DisputeStore;
import network.sovereign.pouw.application.port.out.DisputeTransition;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.DisputeStatus;
import network.sovereign.pouw.domain.DisputeType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DisputeStore} on every database the node supports: filing with its event,
 * receipt look-up across receipts, archive and rejections, newest-first paging, and conditional status
 * changes that carry their event, compensation credit and audit row in one transaction, so that of
 * two nodes settling one dispute at once exactly one succeeds.
 */
abstract class DisputeStoreContract extends ProtocolStoreContract {

    private static final String DID = Rows.DID;
    private static final BigInteger HUNDRED_SOV = new BigInteger("100000000000000000000");

    private DisputeStore disputes;
    private Rows rows;

    @BeforeEach
    void disputeStore() {
        disputes = node.disputeStore();
        rows = new Rows(dsl);
        rows.client(T0);
    }

    private Dispute file(String id, Instant at) {
        Dispute dispute = new Dispute(id, DID, Optional.empty(), DisputeType.REWARD_NOT_RECEIVED, "where is my reward? ✓",
                DisputeStatus.OPEN, at, Optional.empty());
        assertTrue(disputes.file(dispute, Bytes.of(new byte[] {1, 2, 3}), "nonce-of-" + id + "-0123456789", at.getEpochSecond()));
        return dispute;
    }

    private static Dispute dispute(String id, String did) {
        return new Dispute(id, did, Optional.empty(), DisputeType.OTHER, "replayed?", DisputeStatus.OPEN, T0, Optional.empty());
    }

    @Test
    void a_nonce_files_one_dispute_per_client_on_every_node_and_a_replay_stores_nothing() {
        rows.client(T0, "did:sov:other");
        Bytes signature = Bytes.of(new byte[] {9});
        assertTrue(disputes.file(dispute("d-1", DID), signature, "0123456789abcdef", 1_777_636_800L));
        assertFalse(disputes.file(dispute("d-2", DID), signature, "0123456789abcdef", 1_777_636_800L), "the same nonce again");
        assertFalse(otherNode.disputeStore().file(dispute("d-3", DID), signature, "0123456789abcdef", 1_777_636_801L), "on another node");
        assertTrue(disputes.file(dispute("d-4", "did:sov:other"), signature, "0123456789abcdef", 1_777_636_800L),
                "another client may pick the same nonce");
        assertTrue(disputes.file(dispute("d-5", DID), signature, "0123456789abcdeg", 1_777_636_800L));

        assertEquals(3, dsl.fetchCount(DISPUTES));
        assertEquals(3, dsl.fetchCount(DISPUTE_EVENTS), "a refused replay leaves no event either");
        assertEquals(Optional.empty(), disputes.find("d-2"));
        assertEquals("0123456789abcdef", dsl.fetchSingle(DISPUTES, DISPUTES.DISPUTE_ID.eq("d-1")).getClientNonce());
        assertEquals(1_777_636_800L, dsl.fetchSingle(DISPUTES, DISPUTES.DISPUTE_ID.eq("d-1")).getSignedAt());
    }

    @Test
    void disputes_filed_before_nonces_existed_do_not_collide() {
        for (String id : List.of("old-1", "old-2")) {
            dsl.insertInto(DISPUTES).set(DISPUTES.DISPUTE_ID, id).set(DISPUTES.CLIENT_DID, DID).set(DISPUTES.DISPUTE_TYPE, "Other")
                    .set(DISPUTES.DESCRIPTION, "v1").set(DISPUTES.SIGNATURE, new byte[] {1}).set(DISPUTES.STATUS, "open")
                    .set(DISPUTES.CREATED_AT, T0).execute();
        }
        assertEquals(2, dsl.fetchCount(DISPUTES), "NULL nonces are distinct on both databases");
    }

    @Test
    void racing_replays_on_two_nodes_file_exactly_one_dispute() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                DisputeStore via = i % 2 == 0 ? disputes : otherNode.disputeStore();
                String id = "race-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return via.file(dispute(id, DID), Bytes.of(new byte[] {1}), "race-nonce-0123456789", T0.getEpochSecond());
                }));
            }
            start.countDown();
            int filed = 0;
            for (Future<Boolean> result : results) {
                filed += result.get() ? 1 : 0;
            }
            assertEquals(1, filed);
            assertEquals(1, dsl.fetchCount(DISPUTES));
        } finally {
            pool.shutdownNow();
        }
    }

    private static DisputeTransition resolve(String id, DisputeStatus expected, String actor, Instant at, boolean compensate) {
        Optional<BigInteger> atoms = compensate ? Optional.of(HUNDRED_SOV) : Optional.empty();
        return new DisputeTransition(id, expected, DisputeStatus.RESOLVED_FOR_CLAIMANT,
                Optional.of(new DisputeResolution(Optional.of(DisputeResolutionType.CLAIMANT_CORRECT), "Verified bug", atoms, actor, at)),
                Optional.of("Verified bug"), actor, at, atoms.map(a -> new DisputeTransition.Compensation(7, a)),
                new AuditEntry(actor, "resolve_dispute", Optional.of(id), Optional.of("Verified bug"), Optional.of("details"), at));
    }

    @Test
    void a_filed_dispute_is_stored_open_with_its_signature_and_filing_event_for_every_node() {
        Dispute filed = file("d-1", T0);

        assertEquals(Optional.of(filed), otherNode.disputeStore().find("d-1"));
        assertArrayEquals(new byte[] {1, 2, 3}, dsl.fetchSingle(DISPUTES).getSignature());
        assertEquals(List.of(new DisputeEvent(Optional.empty(), DisputeStatus.OPEN, "client", Optional.empty(), T0)), disputes.events("d-1"));
        assertEquals(Optional.empty(), disputes.find("d-2"));
        assertEquals(Optional.empty(), disputes.find("x".repeat(41)));
        assertEquals(List.of(), disputes.events("d-2"));
    }

    @Test
    void a_disputed_receipt_may_be_accepted_archived_or_rejected_but_must_be_the_clients() {
        String accepted = rows.receipt(T0).getReceiptId();
        String archived = rows.receipt(T0).getReceiptId();
        dsl.insertInto(RECEIPTS_ARCHIVE).select(dsl.selectFrom(RECEIPTS).where(RECEIPTS.RECEIPT_ID.eq(archived))).execute();
        dsl.deleteFrom(RECEIPTS).where(RECEIPTS.RECEIPT_ID.eq(archived)).execute();
        dsl.insertInto(REJECTIONS).set(REJECTIONS.REJECTION_ID, "rej-1").set(REJECTIONS.CLIENT_DID, DID)
                .set(REJECTIONS.REASON, "invalid_signature").set(REJECTIONS.DETAIL, "does not verify").set(REJECTIONS.SUBMITTED_AT, T0).execute();
        dsl.insertInto(REJECTIONS).set(REJECTIONS.REJECTION_ID, "rej-2").set(REJECTIONS.CLIENT_DID, "did:sov:other")
                .set(REJECTIONS.REASON, "invalid_signature").set(REJECTIONS.DETAIL, "does not verify").set(REJECTIONS.SUBMITTED_AT, T0).execute();

        assertTrue(disputes.isReceiptOf(accepted, DID));
        assertTrue(disputes.isReceiptOf(archived, DID));
        assertTrue(disputes.isReceiptOf("rej-1", DID));
        assertFalse(disputes.isReceiptOf("rej-2", DID), "another client's rejection");
        assertFalse(disputes.isReceiptOf(accepted, "did:sov:other"));
        assertFalse(disputes.isReceiptOf("nope", DID));
        assertFalse(disputes.isReceiptOf("x".repeat(41), DID));
    }

    @Test
    void a_resolution_stores_status_event_compensation_and_audit_together() {
        file("d-1", T0);
        Instant at = T0.plusSeconds(60);

        Dispute resolved = disputes.transition(resolve("d-1", DisputeStatus.OPEN, "ops", at, true)).orElseThrow();

        assertEquals(DisputeStatus.RESOLVED_FOR_CLAIMANT, resolved.status());
        assertEquals(new DisputeResolution(Optional.of(DisputeResolutionType.CLAIMANT_CORRECT), "Verified bug", Optional.of(HUNDRED_SOV), "ops", at),
                resolved.resolution().orElseThrow());
        assertEquals(Optional.of(resolved), otherNode.disputeStore().find("d-1"));
        RewardEntriesRecord credit = dsl.fetchSingle(REWARD_ENTRIES);
        assertEquals(List.of(DID, 7L, "compensation", "d-1", HUNDRED_SOV, at),
                List.of(credit.getClientDid(), credit.getEpoch(), credit.getKind(), credit.getDisputeId(), credit.getAmountAtoms(), credit.getCreatedAt()));
        DisputeEventsRecord event = dsl.selectFrom(DISPUTE_EVENTS).orderBy(DISPUTE_EVENTS.EVENT_ID.desc()).limit(1).fetchSingle();
        assertEquals(List.of("open", "resolved_for_claimant", "ops", "Verified bug", at),
                List.of(event.getFromStatus(), event.getToStatus(), event.getActor(), event.getNote(), event.getCreatedAt()));
        AdminAuditRecord audit = dsl.fetchSingle(ADMIN_AUDIT);
        assertEquals(List.of("ops", "resolve_dispute", "d-1"), List.of(audit.getActor(), audit.getAction(), audit.getTarget()));
        assertEquals(2, disputes.events("d-1").size());
    }

    @Test
    void a_change_from_a_status_the_dispute_is_not_in_writes_nothing() {
        file("d-1", T0);
        assertTrue(disputes.transition(resolve("d-1", DisputeStatus.OPEN, "ops", T0, false)).isPresent());

        assertEquals(Optional.empty(), disputes.transition(resolve("d-1", DisputeStatus.OPEN, "bob", T0, true)));
        assertEquals(Optional.empty(), disputes.transition(resolve("missing", DisputeStatus.OPEN, "bob", T0, true)));

        assertEquals(0, dsl.fetchCount(REWARD_ENTRIES));
        assertEquals(1, dsl.fetchCount(ADMIN_AUDIT));
        assertEquals(2, dsl.fetchCount(DISPUTE_EVENTS));
        assertEquals("ops", disputes.find("d-1").orElseThrow().resolution().orElseThrow().resolvedBy());
    }

    @Test
    void a_rejection_and_an_investigation_are_stored_without_resolution_type() {
        file("d-1", T0);
        file("d-2", T0);
        AuditEntry audit = new AuditEntry("ops", "reject_dispute", Optional.of("d-1"), Optional.empty(), Optional.empty(), T0);
        Dispute rejected = disputes.transition(new DisputeTransition("d-1", DisputeStatus.OPEN, DisputeStatus.REJECTED,
                Optional.of(new DisputeResolution(Optional.empty(), "no", Optional.empty(), "ops", T0)), Optional.of("no"), "ops", T0,
                Optional.empty(), audit)).orElseThrow();
        assertEquals(Optional.of(new DisputeResolution(Optional.empty(), "no", Optional.empty(), "ops", T0)), rejected.resolution());
        Dispute investigated = disputes.transition(new DisputeTransition("d-2", DisputeStatus.OPEN, DisputeStatus.UNDER_INVESTIGATION,
                Optional.empty(), Optional.empty(), "ops", T0, Optional.empty(), audit)).orElseThrow();
        assertEquals(DisputeStatus.UNDER_INVESTIGATION, investigated.status());
        assertEquals(Optional.empty(), investigated.resolution());
        assertEquals(Optional.of(investigated), disputes.find("d-2"));
    }

    @Test
    void when_the_audit_row_cannot_be_stored_nothing_of_the_change_is() {
        file("d-1", T0);
        dsl.execute("alter table admin_audit add constraint ck_test_no_explode check (actor <> 'explode')");
        try {
            assertThrows(IllegalStateException.class, () -> disputes.transition(resolve("d-1", DisputeStatus.OPEN, "explode", T0, true)));
        } finally {
            dsl.execute("alter table admin_audit drop constraint ck_test_no_explode");
        }
        assertEquals(DisputeStatus.OPEN, disputes.find("d-1").orElseThrow().status());
        assertEquals(0, dsl.fetchCount(REWARD_ENTRIES));
        assertEquals(1, dsl.fetchCount(DISPUTE_EVENTS));
        assertTrue(disputes.transition(resolve("d-1", DisputeStatus.OPEN, "ops", T0, true)).isPresent(), "still resolvable");
    }

    @Test
    void disputes_page_newest_first_with_status_and_client_filters() {
        file("d-a", T0);
        file("d-c", T0.plusSeconds(1));
        file("d-b", T0.plusSeconds(1));
        file("d-d", T0.plusSeconds(2));
        disputes.transition(resolve("d-b", DisputeStatus.OPEN, "ops", T0, false));

        List<Dispute> first = disputes.list(Optional.empty(), Optional.empty(), Optional.empty(), 2);
        List<Dispute> rest = disputes.list(Optional.empty(), Optional.of(DID), Optional.of(DisputeCursor.after(first.getLast())), 10);

        assertEquals(List.of("d-d", "d-c"), first.stream().map(Dispute::disputeId).toList());
        assertEquals(List.of("d-b", "d-a"), rest.stream().map(Dispute::disputeId).toList());
        assertEquals(List.of("d-d", "d-c", "d-a"), disputes.list(Optional.of(DisputeStatus.OPEN), Optional.empty(), Optional.empty(), 10)
                .stream().map(Dispute::disputeId).toList());
        assertEquals(List.of("d-b"), disputes.list(Optional.of(DisputeStatus.RESOLVED_FOR_CLAIMANT), Optional.of(DID), Optional.empty(), 10)
                .stream().map(Dispute::disputeId).toList());
        assertEquals(List.of(), disputes.list(Optional.empty(), Optional.of("did:sov:other"), Optional.empty(), 10));
    }

    @Test
    void concurrent_resolutions_from_two_nodes_succeed_exactly_once_and_compensate_once() throws Exception {
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 0; round < 5; round++) {
                String id = "race-" + round;
                file(id, T0);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<Dispute>>> outcomes = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    DisputeStore via = (i % 2 == 0 ? node : otherNode).disputeStore();
                    String actor = "admin-" + i;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        return via.transition(resolve(id, DisputeStatus.OPEN, actor, T0, true));
                    }));
                }
                start.countDown();
                int won = 0;
                for (Future<Optional<Dispute>> outcome : outcomes) {
                    won += outcome.get().isPresent() ? 1 : 0;
                }
                assertEquals(1, won, "successful resolutions of " + id + " on " + engine());
                assertEquals(1, dsl.fetchCount(REWARD_ENTRIES, REWARD_ENTRIES.DISPUTE_ID.eq(id)));
                assertEquals(1, dsl.fetchCount(ADMIN_AUDIT, ADMIN_AUDIT.TARGET.eq(id)));
                assertEquals(2, dsl.fetchCount(DISPUTE_EVENTS, DISPUTE_EVENTS.DISPUTE_ID.eq(id)));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
