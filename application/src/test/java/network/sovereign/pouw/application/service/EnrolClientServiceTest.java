package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase.EnrolClientCommand;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase.EnrolmentResult;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase.Refusal;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;

class EnrolClientServiceTest {

    private final ProtocolFixture f = new ProtocolFixture();
    private final Fakes.InMemoryClients clients = new Fakes.InMemoryClients();

    private EnrolClientService service(boolean open) {
        ProtocolSettings settings = new ProtocolSettings(Duration.ofSeconds(300), Duration.ofSeconds(30), 10, 5, 10_000, 1024,
                EnumSet.of(SigScheme.ED25519, SigScheme.ML_DSA_44), open);
        return new EnrolClientService(clients, new Fakes.FakeSignatures(), new Fakes.FakeDigests(), f.nodeKey, () -> settings, f.clock);
    }

    private Refusal refusal(EnrolmentResult result) {
        return assertInstanceOf(EnrolmentResult.Refused.class, result).refusal();
    }

    @Test
    void admins_enrol_and_rotate_keys_keeping_the_old_one() {
        Bytes first = f.randomBytes(32);
        Bytes second = f.randomBytes(32);
        EnrolmentResult.Enrolled created = assertInstanceOf(EnrolmentResult.Enrolled.class,
                service(false).enrolByAdmin(new EnrolClientCommand("did:sov:carol", "ed25519", first, Optional.empty()), "alice"));
        assertEquals(true, created.created());
        EnrolmentResult.Enrolled rotated = assertInstanceOf(EnrolmentResult.Enrolled.class,
                service(false).enrolByAdmin(new EnrolClientCommand("did:sov:carol", "ed25519", second, Optional.empty()), "alice"));
        assertEquals(false, rotated.created());
        assertEquals(second, clients.findKey("did:sov:carol").orElseThrow().publicKey());
        assertEquals(first, clients.history.getFirst().publicKey());
        assertEquals(2, clients.audit.size(), "one enrol_client audit entry per admin enrolment");
        assertEquals("enrol_client", clients.audit.get(1).action());
        assertEquals("alice", clients.audit.get(1).actor());
        assertEquals(Optional.of("did:sov:carol"), clients.audit.get(1).target());
        assertEquals(Optional.of("{\"sig_scheme\":\"ed25519\",\"created\":true,\"rotated\":false}"), clients.audit.get(0).details());
        assertEquals(Optional.of("{\"sig_scheme\":\"ed25519\",\"created\":false,\"rotated\":true}"), clients.audit.get(1).details());
    }

    @Test
    void bad_dids_schemes_and_key_lengths_are_invalid_requests() {
        EnrolClientService service = service(false);
        assertEquals(Refusal.INVALID_REQUEST, refusal(service.enrolByAdmin(new EnrolClientCommand("carol", "ed25519", f.randomBytes(32), Optional.empty()), "alice")));
        assertEquals(Refusal.INVALID_REQUEST, refusal(service.enrolByAdmin(new EnrolClientCommand("did:sov:c", "rsa", f.randomBytes(32), Optional.empty()), "alice")));
        assertEquals(Refusal.INVALID_REQUEST, refusal(service.enrolByAdmin(new EnrolClientCommand("did:sov:c", "ml-dsa-65", f.randomBytes(1952), Optional.empty()), "alice")),
                "a scheme the node does not accept");
        assertEquals(Refusal.INVALID_REQUEST, refusal(service.enrolByAdmin(new EnrolClientCommand("did:sov:c", "ed25519", f.randomBytes(31), Optional.empty()), "alice")));
        assertEquals(0, clients.keys.size());
    }

    @Test
    void self_enrolment_needs_open_enrolment_and_a_proof_over_did_and_node_id() {
        Bytes key = f.randomBytes(32);
        String did = "did:sov:dave";
        Bytes proof = Bytes.of(Fakes.FakeSignatures.sign(key, EnrolClientService.proofMessage(did, f.nodeKey.nodeId())));
        assertEquals(Refusal.ENROLMENT_CLOSED, refusal(service(false).enrolSelf(new EnrolClientCommand(did, "ed25519", key, Optional.of(proof)))));
        assertEquals(Refusal.INVALID_REQUEST, refusal(service(true).enrolSelf(new EnrolClientCommand(did, "ed25519", key, Optional.empty()))));
        Bytes wrongProof = Bytes.of(Fakes.FakeSignatures.sign(key, EnrolClientService.proofMessage("did:sov:other", f.nodeKey.nodeId())));
        assertEquals(Refusal.INVALID_PROOF, refusal(service(true).enrolSelf(new EnrolClientCommand(did, "ed25519", key, Optional.of(wrongProof)))));
        assertEquals(0, clients.keys.size());
        assertInstanceOf(EnrolmentResult.Enrolled.class, service(true).enrolSelf(new EnrolClientCommand(did, "ed25519", key, Optional.of(proof))));
        assertEquals(key, clients.findKey(did).orElseThrow().publicKey());
    }

    @Test
    void a_self_enrolment_with_another_key_is_a_conflict_that_keeps_the_key_and_is_audited() {
        String did = "did:sov:erin";
        Bytes owner = f.randomBytes(32);
        Bytes attacker = f.randomBytes(32);
        Bytes ownerProof = Bytes.of(Fakes.FakeSignatures.sign(owner, EnrolClientService.proofMessage(did, f.nodeKey.nodeId())));
        Bytes attackerProof = Bytes.of(Fakes.FakeSignatures.sign(attacker, EnrolClientService.proofMessage(did, f.nodeKey.nodeId())));
        java.util.List<String> admitted = new java.util.ArrayList<>();
        assertEquals(true, assertInstanceOf(EnrolmentResult.Enrolled.class,
                service(true).enrolSelf(new EnrolClientCommand(did, "ed25519", owner, Optional.of(ownerProof)), admitted::add)).created());

        EnrolmentResult takeover = service(true).enrolSelf(new EnrolClientCommand(did, "ed25519", attacker, Optional.of(attackerProof)), admitted::add);
        assertEquals(Refusal.KEY_CONFLICT, refusal(takeover));
        assertEquals(owner, clients.findKey(did).orElseThrow().publicKey(), "the owner's key stays");
        assertEquals(1, clients.audit.size());
        assertEquals(EnrolClientService.CONFLICT_ACTION, clients.audit.getFirst().action());
        assertEquals(Optional.of(did), clients.audit.getFirst().target());
        assertEquals(java.util.List.of(did), admitted, "the takeover attempt spent no DID permit");

        assertEquals(false, assertInstanceOf(EnrolmentResult.Enrolled.class,
                service(true).enrolSelf(new EnrolClientCommand(did, "ed25519", owner, Optional.of(ownerProof)), admitted::add)).created());
        assertEquals(Refusal.RATE_LIMITED, refusal(service(true).enrolSelf(new EnrolClientCommand(did, "ed25519", owner, Optional.of(ownerProof)),
                d -> false)));
    }

    @Test
    void a_zhtp_did_must_be_the_blake3_of_its_key() {
        Bytes key = f.randomBytes(32);
        String good = "did:zhtp:" + new Fakes.FakeDigests().blake3(key).hex();
        String bad = "did:zhtp:" + "00".repeat(32);
        Bytes goodProof = Bytes.of(Fakes.FakeSignatures.sign(key, EnrolClientService.proofMessage(good, f.nodeKey.nodeId())));
        Bytes badProof = Bytes.of(Fakes.FakeSignatures.sign(key, EnrolClientService.proofMessage(bad, f.nodeKey.nodeId())));
        assertEquals(Refusal.INVALID_PROOF, refusal(service(true).enrolSelf(new EnrolClientCommand(bad, "ed25519", key, Optional.of(badProof)))));
        assertInstanceOf(EnrolmentResult.Enrolled.class, service(true).enrolSelf(new EnrolClientCommand(good, "ed25519", key, Optional.of(goodProof))));
    }

    @Test
    void the_proof_message_is_the_spec_text() {
        assertEquals("pouw-enroll:v1:did:sov:x:0a0b", new String(EnrolClientService.proofMessage("did:sov:x", new byte[] {10, 11}),
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
