package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.out.AdminAudit;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.AuditEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AdminAudit} on every database the node supports: entries come back as
 * written, newest first, paged by id, from every node.
 */
abstract class AdminAuditContract extends ProtocolStoreContract {

    private AdminAudit audit;

    @BeforeEach
    void audit() {
        audit = node.adminAudit();
    }

    @Test
    void an_entry_comes_back_as_written_on_every_node() {
        AuditEntry full = new AuditEntry("alice", "block_did", Optional.of("did:sov:x"), Optional.of("spam, ünïcode"),
                Optional.of("{\"already_blocked\":false}"), T0);
        AuditEntry bare = new AuditEntry("bob", "reload", Optional.empty(), Optional.empty(), Optional.empty(), T0.plusSeconds(1));

        audit.record(full);
        otherNode.adminAudit().record(bare);

        List<AuditEvent> events = otherNode.adminAudit().list(10, OptionalLong.empty());
        assertEquals(List.of(bare, full), events.stream().map(AuditEvent::entry).toList(), "newest first");
        assertTrue(events.get(0).id() > events.get(1).id());
    }

    @Test
    void pages_by_id_before_the_cursor() {
        for (int i = 0; i < 5; i++) {
            audit.record(new AuditEntry("alice", "action_" + i, Optional.empty(), Optional.empty(), Optional.empty(), T0.plusSeconds(i)));
        }

        List<AuditEvent> first = audit.list(2, OptionalLong.empty());
        List<AuditEvent> second = audit.list(2, OptionalLong.of(first.getLast().id()));
        List<AuditEvent> third = audit.list(2, OptionalLong.of(second.getLast().id()));

        assertEquals(List.of("action_4", "action_3"), first.stream().map(e -> e.entry().action()).toList());
        assertEquals(List.of("action_2", "action_1"), second.stream().map(e -> e.entry().action()).toList());
        assertEquals(List.of("action_0"), third.stream().map(e -> e.entry().action()).toList());
        assertEquals(List.of(), audit.list(2, OptionalLong.of(third.getLast().id())));
    }
}
