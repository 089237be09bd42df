package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.ADMIN_AUDIT;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCKED_DIDS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCK_EVENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.AdminAuditRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.BlockEventsRecord;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.BlockList;
import network.sovereign.pouw.application.port.out.BlockedDid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BlockList} on every database the node supports: idempotent block and
 * unblock, the block event and audit row in the same transaction as the change, paging, the count
 * every node sees, and concurrent blocks from two nodes.
 */
abstract class BlockListContract extends ProtocolStoreContract {

    private static final String DID = "did:sov:malicious";

    private BlockList blocks;

    @BeforeEach
    void blockList() {
        blocks = node.blockList();
    }

    private static AuditEntry audit(String action, String actor, String did, Instant at) {
        return new AuditEntry(actor, action, Optional.of(did), Optional.of("because"), Optional.empty(), at);
    }

    private boolean block(BlockList via, String did, String actor, Instant at) {
        return via.block(did, Optional.of("because"), actor, at, audit("block_did", actor, did, at));
    }

    @Test
    void a_block_stores_the_row_its_event_and_the_audit_entry_and_every_node_sees_it() {
        assertTrue(block(blocks, DID, "alice", T0), "newly blocked");

        assertEquals(List.of(new BlockedDid(DID, Optional.of("because"), "alice", T0)), blocks.blocked(Optional.empty(), 10));
        assertTrue(node.clientDirectory().isBlocked(DID));
        assertTrue(otherNode.clientDirectory().isBlocked(DID), "the block lives in the database");
        assertEquals(1, otherNode.blockList().count());
        BlockEventsRecord event = dsl.fetchSingle(BLOCK_EVENTS);
        assertEquals(List.of(DID, "block", "because", "alice", T0),
                List.of(event.getDid(), event.getAction(), event.getReason(), event.getActor(), event.getCreatedAt()));
        AdminAuditRecord audit = dsl.fetchSingle(ADMIN_AUDIT);
        assertEquals(List.of("alice", "block_did", DID, "because", T0),
                List.of(audit.getActor(), audit.getAction(), audit.getTarget(), audit.getReason(), audit.getCreatedAt()));
        assertNull(audit.getDetails());
    }

    @Test
    void blocking_again_keeps_the_first_block_adds_no_event_but_is_audited() {
        assertTrue(block(blocks, DID, "alice", T0));

        assertFalse(block(otherNode.blockList(), DID, "bob", T0.plusSeconds(60)), "already blocked");

        BlockedDid row = blocks.blocked(Optional.empty(), 10).getFirst();
        assertEquals("alice", row.blockedBy());
        assertEquals(T0, row.blockedAt());
        assertEquals(1, dsl.fetchCount(BLOCK_EVENTS));
        assertEquals(2, dsl.fetchCount(ADMIN_AUDIT));
    }

    @Test
    void unblock_lifts_the_block_with_an_event_and_is_idempotent() {
        block(blocks, DID, "alice", T0);
        Instant later = T0.plusSeconds(3600);

        assertTrue(blocks.unblock(DID, "bob", Optional.empty(), later,
                new AuditEntry("bob", "unblock_did", Optional.of(DID), Optional.empty(), Optional.empty(), later)));
        assertFalse(blocks.unblock(DID, "bob", Optional.empty(), later,
                new AuditEntry("bob", "unblock_did", Optional.of(DID), Optional.empty(), Optional.empty(), later)), "nothing left to lift");

        assertFalse(otherNode.clientDirectory().isBlocked(DID));
        assertEquals(0, blocks.count());
        List<BlockEventsRecord> events = dsl.selectFrom(BLOCK_EVENTS).orderBy(BLOCK_EVENTS.EVENT_ID).fetch();
        assertEquals(List.of("block", "unblock"), events.stream().map(BlockEventsRecord::getAction).toList());
        assertEquals("bob", events.get(1).getActor());
        assertNull(events.get(1).getReason());
        assertEquals(3, dsl.fetchCount(ADMIN_AUDIT));
    }

    @Test
    void when_the_audit_row_cannot_be_stored_neither_the_block_nor_its_event_is() {
        dsl.execute("alter table admin_audit add constraint ck_test_no_explode check (action <> 'explode')");
        try {
            assertThrows(IllegalStateException.class, () -> blocks.block(DID, Optional.empty(), "alice", T0, audit("explode", "alice", DID, T0)));
            assertEquals(0, blocks.count());
            assertEquals(0, dsl.fetchCount(BLOCK_EVENTS));

            block(blocks, DID, "alice", T0);
            assertThrows(IllegalStateException.class, () -> blocks.unblock(DID, "alice", Optional.empty(), T0, audit("explode", "alice", DID, T0)));
            assertEquals(1, blocks.count(), "the unblock was rolled back");
            assertEquals(1, dsl.fetchCount(BLOCK_EVENTS));
        } finally {
            dsl.execute("alter table admin_audit drop constraint ck_test_no_explode");
        }
    }

    @Test
    void blocked_dids_page_in_did_order_and_count() {
        for (String did : List.of("did:sov:c", "did:sov:a", "did:zhtp:00", "did:sov:b")) {
            block(blocks, did, "alice", T0);
        }

        List<BlockedDid> first = blocks.blocked(Optional.empty(), 2);
        List<BlockedDid> rest = blocks.blocked(Optional.of(first.getLast().did()), 10);

        assertEquals(List.of("did:sov:a", "did:sov:b"), first.stream().map(BlockedDid::did).toList());
        assertEquals(List.of("did:sov:c", "did:zhtp:00"), rest.stream().map(BlockedDid::did).toList());
        assertEquals(List.of(), blocks.blocked(Optional.of("did:zhtp:00"), 10));
        assertEquals(4, blocks.count());
        assertEquals(4, otherNode.blockList().count());
    }

    @Test
    void a_did_no_column_can_hold_is_refused_before_the_database() {
        assertThrows(IllegalArgumentException.class, () -> block(blocks, "did:sov:" + "x".repeat(260), "alice", T0));
        assertThrows(IllegalArgumentException.class, () -> block(blocks, "did:sov:a\0b", "alice", T0));
        assertEquals(0, dsl.fetchCount(ADMIN_AUDIT));
    }

    @Test
    void concurrent_blocks_of_one_did_from_two_nodes_block_it_exactly_once() throws Exception {
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 0; round < 5; round++) {
                String did = "did:sov:race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    BlockList via = (i % 2 == 0 ? node : otherNode).blockList();
                    String actor = "admin-" + i;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        return block(via, did, actor, T0);
                    }));
                }
                start.countDown();
                int newly = 0;
                for (Future<Boolean> outcome : outcomes) {
                    newly += outcome.get() ? 1 : 0;
                }
                assertEquals(1, newly, "new blocks of " + did + " on " + engine());
                assertEquals(1, dsl.fetchCount(BLOCK_EVENTS, BLOCK_EVENTS.DID.eq(did)));
                assertEquals(contenders, dsl.fetchCount(ADMIN_AUDIT, ADMIN_AUDIT.TARGET.eq(did)));
            }
            assertEquals(5, dsl.fetchCount(BLOCKED_DIDS));
        } finally {
            pool.shutdownNow();
        }
    }
}
