package network.sovereign.pouw.application.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.application.port.out.KeyDigests;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.application.port.out.SignatureVerifier;
import network.sovereign.pouw.domain.Did;
import network.sovereign.pouw.domain.SigScheme;

/**
 * Enrols clients (SPEC §5): admins always; clients themselves only when enrolment is open, with a
 * proof of possession, and for {@code did:zhtp:} DIDs only when the id is BLAKE3-256 of the key.
 */
public final class EnrolClientService implements EnrolClientUseCase {

    /** The prefix of the text a self-enrolment proof signs. */
    public static final String PROOF_PREFIX = "pouw-enroll:v1:";

    /** The audit action of an admin enrolment or key rotation. */
    public static final String AUDIT_ACTION = "enrol_client";

    private static final String ZHTP_PREFIX = "did:zhtp:";

    private final ClientDirectory clients;
    private final SignatureVerifier verifier;
    private final KeyDigests digests;
    private final NodeKey nodeKey;
    private final Supplier<ProtocolSettings> settings;
    private final Clock clock;

    /** Creates the service from its ports and settings. */
    public EnrolClientService(ClientDirectory clients, SignatureVerifier verifier, KeyDigests digests, NodeKey nodeKey,
                              Supplier<ProtocolSettings> settings, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.digests = Objects.requireNonNull(digests, "digests");
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public EnrolmentResult enrolByAdmin(EnrolClientCommand command, String actor) {
        Objects.requireNonNull(actor, "actor");
        Optional<String> problem = checkKey(command);
        if (problem.isPresent()) {
            return new EnrolmentResult.Refused(Refusal.INVALID_REQUEST, problem.get());
        }
        SigScheme scheme = SigScheme.fromWireName(command.sigScheme()).orElseThrow();
        Instant at = clock.instant();
        // The audit entry is written in the enrolment's own transaction, so neither exists without the other.
        ClientDirectory.EnrolOutcome outcome = clients.enrol(new ClientKey(command.did(), scheme, command.publicKey()), at,
                done -> new AuditEntry(actor, AUDIT_ACTION, Optional.of(command.did()), Optional.empty(),
                        Optional.of("{\"sig_scheme\":\"" + scheme.wireName() + "\",\"created\":" + (done == ClientDirectory.EnrolOutcome.CREATED)
                                + ",\"rotated\":" + (done == ClientDirectory.EnrolOutcome.ROTATED) + "}"), at));
        return new EnrolmentResult.Enrolled(command.did(), outcome == ClientDirectory.EnrolOutcome.CREATED);
    }

    @Override
    public EnrolmentResult enrolSelf(EnrolClientCommand command) {
        if (!settings.get().openEnrollment()) {
            return new EnrolmentResult.Refused(Refusal.ENROLMENT_CLOSED, "self-enrolment is closed on this node; ask its operator");
        }
        Optional<String> problem = checkKey(command);
        if (problem.isPresent()) {
            return new EnrolmentResult.Refused(Refusal.INVALID_REQUEST, problem.get());
        }
        if (command.proof().isEmpty()) {
            return new EnrolmentResult.Refused(Refusal.INVALID_REQUEST, "proof is required");
        }
        SigScheme scheme = SigScheme.fromWireName(command.sigScheme()).orElseThrow();
        if (command.did().startsWith(ZHTP_PREFIX)) {
            String expected = digests.blake3(command.publicKey()).hex();
            if (!command.did().substring(ZHTP_PREFIX.length()).equals(expected)) {
                return new EnrolmentResult.Refused(Refusal.INVALID_PROOF, "a did:zhtp id must be hex(BLAKE3-256(public_key))");
            }
        }
        byte[] message = proofMessage(command.did(), nodeKey.nodeId());
        if (!verifier.verify(scheme, command.publicKey().toArray(), message, command.proof().get().toArray())) {
            return new EnrolmentResult.Refused(Refusal.INVALID_PROOF,
                    "proof does not verify: it must sign \"" + PROOF_PREFIX + "<did>:<node_id hex>\" with the enrolled key");
        }
        return enrol(command);
    }

    /** The text a self-enrolment proof signs, UTF-8. */
    public static byte[] proofMessage(String did, byte[] nodeId) {
        return (PROOF_PREFIX + did + ":" + HexFormat.of().formatHex(nodeId)).getBytes(StandardCharsets.UTF_8);
    }

    private EnrolmentResult enrol(EnrolClientCommand command) {
        SigScheme scheme = SigScheme.fromWireName(command.sigScheme()).orElseThrow();
        boolean created = clients.enrol(new ClientKey(command.did(), scheme, command.publicKey()), clock.instant());
        return new EnrolmentResult.Enrolled(command.did(), created);
    }

    private Optional<String> checkKey(EnrolClientCommand command) {
        if (!Did.isValid(command.did())) {
            return Optional.of("did is not a DID (did:<method>:<id>, at most " + Did.MAX_LENGTH + " characters)");
        }
        Optional<SigScheme> scheme = SigScheme.fromWireName(command.sigScheme());
        ProtocolSettings settings = this.settings.get();
        if (scheme.isEmpty() || !settings.acceptedSigSchemes().contains(scheme.get())) {
            return Optional.of("sig_scheme must be one of " + settings.acceptedSigSchemes().stream().map(SigScheme::wireName).sorted().toList());
        }
        if (command.publicKey().length() != scheme.get().publicKeyLength()) {
            return Optional.of("a " + scheme.get().wireName() + " public key is " + scheme.get().publicKeyLength()
                    + " bytes, got " + command.publicKey().length());
        }
        return Optional.empty();
    }
}
