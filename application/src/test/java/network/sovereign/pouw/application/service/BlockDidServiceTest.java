package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.BlockDidUseCase.BlockDidCommand;
import network.sovereign.pouw.application.port.in.BlockDidUseCase.BlockResult;
import network.sovereign.pouw.application.port.in.BlockDidUseCase.UnblockResult;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.AuditEvent;
import network.sovereign.pouw.application.port.out.BlockedDid;
import org.junit.jupiter.api.Test;

class BlockDidServiceTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final String DID = "did:sov:malicious";

    private final Fakes.MutableClock clock = new Fakes.MutableClock(T0);
    private final Fakes.InMemoryAudit audit = new Fakes.InMemoryAudit();
    private final Fakes.InMemoryBlockList blockList = new Fakes.InMemoryBlockList(audit);
    private final BlockDidService service = new BlockDidService(blockList, clock);
    private final ListAuditService auditTrail = new ListAuditService(audit);

    private static BlockDidCommand command(String did, String reason, String actor) {
        return new BlockDidCommand(did, Optional.ofNullable(reason), actor);
    }

    @Test
    void blocking_stores_the_block_its_event_and_an_audit_entry_by_the_actor() {
        BlockResult.Blocked blocked = assertInstanceOf(BlockResult.Blocked.class, service.block(command(DID, " spam ", "alice")));

        assertEquals(DID, blocked.did());
        assertFalse(blocked.alreadyBlocked());
        assertEquals(List.of(new BlockedDid(DID, Optional.of("spam"), "alice", T0)), List.copyOf(blockList.blocked.values()),
                "the reason is stripped");
        assertEquals(List.of(new Fakes.BlockEvent(DID, "block", Optional.of("spam"), "alice", T0)), blockList.events);
        assertEquals(List.of(new AuditEvent(1, new AuditEntry("alice", "block_did", Optional.of(DID), Optional.of("spam"), Optional.empty(), T0))),
                audit.events);
        assertEquals(1, blockList.count());
    }

    @Test
    void blocking_twice_is_idempotent_keeps_the_first_block_and_still_audits_the_call() {
        service.block(command(DID, "spam", "alice"));
        clock.advance(Duration.ofMinutes(5));

        BlockResult.Blocked again = assertInstanceOf(BlockResult.Blocked.class, service.block(command(DID, "still spam", "bob")));

        assertTrue(again.alreadyBlocked());
        assertEquals(new BlockedDid(DID, Optional.of("spam"), "alice", T0), blockList.blocked.get(DID), "the first block stands");
        assertEquals(1, blockList.events.size(), "no event without a change");
        assertEquals(2, audit.events.size(), "every admin action is audited");
        assertEquals("bob", audit.events.get(1).entry().actor());
    }

    @Test
    void unblocking_lifts_the_block_and_says_whether_there_was_one() {
        service.block(command(DID, null, "alice"));
        clock.advance(Duration.ofHours(1));

        UnblockResult.Unblocked lifted = assertInstanceOf(UnblockResult.Unblocked.class, service.unblock(command(DID, "appeal granted", "bob")));
        UnblockResult.Unblocked again = assertInstanceOf(UnblockResult.Unblocked.class, service.unblock(command(DID, null, "bob")));

        assertTrue(lifted.wasBlocked());
        assertFalse(again.wasBlocked());
        assertEquals(0, blockList.count());
        assertEquals(List.of(new Fakes.BlockEvent(DID, "block", Optional.empty(), "alice", T0),
                new Fakes.BlockEvent(DID, "unblock", Optional.of("appeal granted"), "bob", T0.plus(Duration.ofHours(1)))), blockList.events);
        assertEquals(List.of("block_did", "unblock_did", "unblock_did"), audit.events.stream().map(e -> e.entry().action()).toList());
    }

    @Test
    void bad_dids_long_reasons_and_blank_reasons() {
        for (String bad : List.of("malicious", "did:sov:", "did:Sov:x", "did:sov:" + "x".repeat(256), "did:sov:a b")) {
            assertInstanceOf(BlockResult.Invalid.class, service.block(command(bad, null, "alice")), bad);
            assertInstanceOf(UnblockResult.Invalid.class, service.unblock(command(bad, null, "alice")), bad);
        }
        assertInstanceOf(BlockResult.Invalid.class, service.block(command(DID, "x".repeat(1025), "alice")));
        assertInstanceOf(BlockResult.Invalid.class, service.block(command(DID, "a\0b", "alice")));
        assertInstanceOf(BlockResult.Invalid.class, service.block(command(DID, null, "x".repeat(129))));
        assertEquals(0, blockList.count());
        assertEquals(0, audit.events.size(), "nothing is stored for a refused request");

        service.block(command(DID, "   ", "alice"));
        assertEquals(Optional.empty(), blockList.blocked.get(DID).reason(), "a blank reason is no reason");
    }

    @Test
    void blocked_dids_page_in_did_order() {
        for (String did : List.of("did:sov:c", "did:sov:a", "did:sov:b")) {
            service.block(command(did, null, "alice"));
        }

        Page<BlockedDid> first = service.blocked(Optional.empty(), 2);
        Page<BlockedDid> second = service.blocked(Optional.of(first.items().getLast().did()), 2);

        assertEquals(List.of("did:sov:a", "did:sov:b"), first.items().stream().map(BlockedDid::did).toList());
        assertTrue(first.more());
        assertEquals(List.of("did:sov:c"), second.items().stream().map(BlockedDid::did).toList());
        assertFalse(second.more());
        assertThrows(IllegalArgumentException.class, () -> service.blocked(Optional.empty(), 0));
        assertThrows(IllegalArgumentException.class, () -> service.blocked(Optional.empty(), 501));
    }

    @Test
    void the_audit_trail_pages_newest_first() {
        service.block(command("did:sov:a", null, "alice"));
        service.block(command("did:sov:b", null, "alice"));
        service.unblock(command("did:sov:a", null, "bob"));

        Page<AuditEvent> first = auditTrail.list(OptionalLong.empty(), 2);
        Page<AuditEvent> second = auditTrail.list(OptionalLong.of(first.items().getLast().id()), 2);

        assertEquals(List.of(3L, 2L), first.items().stream().map(AuditEvent::id).toList());
        assertTrue(first.more());
        assertEquals(List.of(1L), second.items().stream().map(AuditEvent::id).toList());
        assertFalse(second.more());
        assertThrows(IllegalArgumentException.class, () -> auditTrail.list(OptionalLong.empty(), 0));
    }
}
