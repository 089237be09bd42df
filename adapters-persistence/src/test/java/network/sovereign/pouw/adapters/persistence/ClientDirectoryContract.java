package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.key;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCKED_DIDS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENT_KEYS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ClientKeysRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ClientsRecord;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ClientDirectory} on every database the node supports: enrolment, key
 * rotation with history, blocks, and concurrent enrolment from two nodes.
 */
abstract class ClientDirectoryContract extends ProtocolStoreContract {

    private static final String DID = "did:sov:alice";

    private ClientDirectory directory;

    @BeforeEach
    void directory() {
        directory = node.clientDirectory();
    }

    @Test
    void enrols_a_new_did_with_its_key_in_the_history() {
        ClientKey key = key(DID, SigScheme.ED25519, 1);

        assertTrue(directory.enrol(key, T0), "the DID was new");

        assertEquals(Optional.of(key), directory.findKey(DID));
        ClientsRecord client = dsl.fetchSingle(CLIENTS);
        assertEquals(T0, client.getEnrolledAt());
        assertEquals(T0, client.getUpdatedAt());
        List<ClientKeysRecord> history = history(DID);
        assertEquals(1, history.size());
        assertEquals("ed25519", history.get(0).getSigScheme());
        assertArrayEquals(key.publicKey().toArray(), history.get(0).getPublicKey());
        assertEquals(T0, history.get(0).getAddedAt());
        assertNull(history.get(0).getRetiredAt());
    }

    @Test
    void re_enrolling_the_same_key_changes_nothing() {
        ClientKey key = key(DID, SigScheme.ML_DSA_65, 2);
        assertTrue(directory.enrol(key, T0));

        assertFalse(directory.enrol(key, T0.plusSeconds(60)));
        assertFalse(otherNode.clientDirectory().enrol(key(DID, SigScheme.ML_DSA_65, 2), T0.plusSeconds(120)));

        assertEquals(Optional.of(key), directory.findKey(DID));
        assertEquals(T0, dsl.fetchSingle(CLIENTS).getUpdatedAt(), "not even updated_at moves");
        assertEquals(1, history(DID).size());
    }

    @Test
    void a_new_key_rotates_and_the_old_one_stays_retired_in_the_history() {
        ClientKey first = key(DID, SigScheme.ED25519, 1);
        ClientKey second = key(DID, SigScheme.ML_DSA_65, 2);
        Instant t1 = T0.plusSeconds(3600);
        Instant t2 = T0.plusSeconds(7200);
        directory.enrol(first, T0);

        assertFalse(directory.enrol(second, t1), "a rotation is not a new DID");

        assertEquals(Optional.of(second), directory.findKey(DID), "the scheme moves with the key");
        ClientsRecord client = dsl.fetchSingle(CLIENTS);
        assertEquals(T0, client.getEnrolledAt());
        assertEquals(t1, client.getUpdatedAt());
        List<ClientKeysRecord> history = history(DID);
        assertEquals(2, history.size());
        assertArrayEquals(first.publicKey().toArray(), history.get(0).getPublicKey());
        assertEquals(t1, history.get(0).getRetiredAt());
        assertArrayEquals(second.publicKey().toArray(), history.get(1).getPublicKey());
        assertEquals("ml-dsa-65", history.get(1).getSigScheme());
        assertEquals(t1, history.get(1).getAddedAt());
        assertNull(history.get(1).getRetiredAt());

        // Back to the first key: a third entry, and only the current key is unretired.
        assertFalse(directory.enrol(first, t2));
        assertEquals(Optional.of(first), directory.findKey(DID));
        history = history(DID);
        assertEquals(3, history.size());
        assertEquals(t2, history.get(1).getRetiredAt());
        assertEquals(t1, history.get(0).getRetiredAt(), "an old retirement is left alone");
        assertNull(history.get(2).getRetiredAt());
    }

    @Test
    void an_unknown_did_has_no_key_and_is_not_blocked() {
        directory.enrol(key(DID, SigScheme.ED25519, 1), T0);

        assertEquals(Optional.empty(), directory.findKey("did:sov:bob"));
        assertFalse(directory.isBlocked("did:sov:bob"));
        assertFalse(directory.isBlocked(DID));
    }

    @Test
    void a_did_is_blocked_while_it_has_a_row_in_blocked_dids_and_stays_enrolled() throws InterruptedException {
        ClientKey key = key(DID, SigScheme.ED25519, 1);
        directory.enrol(key, T0);
        block(DID);
        block("did:sov:never-enrolled");

        assertTrue(directory.isBlocked(DID));
        assertTrue(otherNode.clientDirectory().isBlocked(DID), "every node sees the block");
        assertTrue(directory.isBlocked("did:sov:never-enrolled"));
        assertFalse(directory.isBlocked("did:sov:bob"));
        assertEquals(Optional.of(key), directory.findKey(DID), "a blocked DID stays enrolled");

        node.blockList().unblock(DID, "admin", Optional.empty(), T0,
                new network.sovereign.pouw.application.port.out.AuditEntry("admin", "unblock_did", Optional.of(DID), Optional.empty(),
                        Optional.empty(), T0));
        assertFalse(directory.isBlocked(DID), "at once on the node that made the change");
        // Another node may answer from its cache for at most the cache's TTL (2 s), then agrees.
        long deadline = System.nanoTime() + CachingClientDirectory.DEFAULT_TTL.toNanos() + 1_000_000_000L;
        while (otherNode.clientDirectory().isBlocked(DID) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(otherNode.clientDirectory().isBlocked(DID), "every node sees the unblock within the staleness bound");
    }

    @Test
    void dids_no_column_can_hold_are_unknown_and_cannot_be_enrolled() {
        String nul = "did:sov:a\0b";
        String tooLong = "did:sov:" + "x".repeat(260);

        for (String did : List.of(nul, tooLong)) {
            assertEquals(Optional.empty(), directory.findKey(did));
            assertFalse(directory.isBlocked(did));
            assertThrows(IllegalArgumentException.class, () -> directory.enrol(key(did, SigScheme.ED25519, 1), T0));
        }
        assertEquals(0, dsl.fetchCount(CLIENTS));
    }

    @Test
    void concurrent_enrolments_of_one_new_did_from_two_nodes_make_exactly_one_new_client() throws Exception {
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 0; round < 10; round++) {
                String did = "did:sov:race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    ClientDirectory via = (i % 2 == 0 ? node : otherNode).clientDirectory();
                    ClientKey key = key(did, SigScheme.ED25519, i);
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        return via.enrol(key, T0);
                    }));
                }
                start.countDown();
                int created = 0;
                for (Future<Boolean> outcome : outcomes) {
                    created += outcome.get() ? 1 : 0;
                }
                assertEquals(1, created, "new clients for " + did + " on " + engine());

                List<ClientKeysRecord> history = history(did);
                assertEquals(contenders, history.size(), "one history entry per distinct key");
                List<ClientKeysRecord> current = history.stream().filter(k -> k.getRetiredAt() == null).toList();
                assertEquals(1, current.size(), "exactly one current key");
                assertArrayEquals(current.get(0).getPublicKey(), directory.findKey(did).orElseThrow().publicKey().toArray());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<ClientKeysRecord> history(String did) {
        return dsl.selectFrom(CLIENT_KEYS).where(CLIENT_KEYS.DID.eq(did)).orderBy(CLIENT_KEYS.ID).fetch();
    }

    private void block(String did) {
        dsl.insertInto(BLOCKED_DIDS)
                .set(BLOCKED_DIDS.DID, did)
                .set(BLOCKED_DIDS.REASON, "test")
                .set(BLOCKED_DIDS.BLOCKED_BY, "admin")
                .set(BLOCKED_DIDS.BLOCKED_AT, T0)
                .execute();
    }

    @Test
    void an_audited_enrolment_writes_its_audit_entry_in_the_same_transaction() {
        ClientKey first = key(DID, SigScheme.ED25519, 1);
        ClientKey second = key(DID, SigScheme.ED25519, 2);
        java.util.function.Function<ClientDirectory.EnrolOutcome, network.sovereign.pouw.application.port.out.AuditEntry> audit =
                outcome -> new network.sovereign.pouw.application.port.out.AuditEntry("alice", "enrol_client", Optional.of(DID),
                        Optional.empty(), Optional.of(outcome.name()), T0);

        assertEquals(ClientDirectory.EnrolOutcome.CREATED, directory.enrol(first, T0, audit));
        assertEquals(ClientDirectory.EnrolOutcome.UNCHANGED, otherNode.clientDirectory().enrol(first, T0.plusSeconds(1), audit));
        assertEquals(ClientDirectory.EnrolOutcome.ROTATED, directory.enrol(second, T0.plusSeconds(2), audit));

        assertEquals(List.of("ROTATED", "UNCHANGED", "CREATED"), node.adminAudit().list(10, java.util.OptionalLong.empty()).stream()
                .map(e -> e.entry().details().orElseThrow()).toList());
        assertEquals(Optional.of(second), directory.findKey(DID));
    }

    @Test
    void an_audit_entry_that_cannot_be_stored_rolls_the_enrolment_back() {
        ClientKey key = key(DID, SigScheme.ED25519, 1);
        assertThrows(RuntimeException.class, () -> directory.enrol(key, T0, outcome -> {
            throw new IllegalStateException("audit refused");
        }));
        assertEquals(Optional.empty(), directory.findKey(DID), "no enrolment without its audit entry");
        assertEquals(0, dsl.fetchCount(CLIENT_KEYS));
    }

    private static network.sovereign.pouw.application.port.out.AuditEntry conflict(ClientKey existing) {
        return new network.sovereign.pouw.application.port.out.AuditEntry("self-enrolment", "self_enrol_conflict", Optional.of(existing.did()),
                Optional.empty(), Optional.of("kept " + existing.publicKey().hex()), T0);
    }

    @Test
    void a_self_enrolment_never_replaces_a_key_and_audits_the_attempt() {
        ClientKey owner = key(DID, SigScheme.ED25519, 1);
        ClientKey attacker = key(DID, SigScheme.ED25519, 2);

        assertEquals(ClientDirectory.EnrolOutcome.CREATED, directory.enrolUnlessTaken(owner, T0, ContractConflicts::fail));
        assertEquals(ClientDirectory.EnrolOutcome.UNCHANGED, otherNode.clientDirectory().enrolUnlessTaken(owner, T0.plusSeconds(1),
                ContractConflicts::fail));
        assertEquals(ClientDirectory.EnrolOutcome.CONFLICT, otherNode.clientDirectory().enrolUnlessTaken(attacker, T0.plusSeconds(2),
                ClientDirectoryContract::conflict));
        assertEquals(ClientDirectory.EnrolOutcome.CONFLICT, directory.enrolUnlessTaken(key(DID, SigScheme.ML_DSA_65, 3), T0.plusSeconds(3),
                ClientDirectoryContract::conflict));

        assertEquals(Optional.of(owner), directory.findKey(DID), "the owner's key stays");
        assertEquals(1, history(DID).size(), "no other key ever entered the history");
        List<network.sovereign.pouw.application.port.out.AuditEntry> audit = node.adminAudit().list(10, java.util.OptionalLong.empty())
                .stream().map(e -> e.entry()).toList();
        assertEquals(2, audit.size());
        assertEquals("self_enrol_conflict", audit.getFirst().action());
        assertEquals(Optional.of("kept " + owner.publicKey().hex()), audit.getFirst().details(), "made from the current key");
    }

    @Test
    void racing_first_self_enrolments_of_one_did_create_one_client_and_never_rotate() throws Exception {
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            String did = "did:sov:self-race";
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ClientDirectory.EnrolOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                ClientDirectory via = (i % 2 == 0 ? node : otherNode).clientDirectory();
                ClientKey key = key(did, SigScheme.ED25519, i);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return via.enrolUnlessTaken(key, T0, ClientDirectoryContract::conflict);
                }));
            }
            start.countDown();
            List<ClientDirectory.EnrolOutcome> results = new ArrayList<>();
            for (Future<ClientDirectory.EnrolOutcome> outcome : outcomes) {
                results.add(outcome.get());
            }
            assertEquals(1, results.stream().filter(o -> o == ClientDirectory.EnrolOutcome.CREATED).count(), results + " on " + engine());
            assertEquals(contenders - 1, results.stream().filter(o -> o == ClientDirectory.EnrolOutcome.CONFLICT).count(), results.toString());
            assertEquals(1, history(did).size(), "the first key only");
            assertEquals(contenders - 1, node.adminAudit().list(50, java.util.OptionalLong.empty()).size());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A conflict audit that must never be asked for. */
    private static final class ContractConflicts {
        static network.sovereign.pouw.application.port.out.AuditEntry fail(ClientKey existing) {
            throw new AssertionError("no conflict expected, the DID had " + existing);
        }
    }
}
