package network.sovereign.pouw.application.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import network.sovereign.pouw.application.port.in.ClientAdmission;
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
 * proof of possession, and for {@code did:zhtp:} DIDs only when the id is BLAKE3-256 of the key. A
 * self-enrolment never replaces the key of an enrolled DID (a proof made with the attacker's own key
 * proves nothing about the DID): it is refused and audited as {@value #CONFLICT_ACTION}.
 */
public final class EnrolClientService implements EnrolClientUseCase {

    /** The prefix of the text a self-enrolment proof signs. */
    public static final String PROOF_PREFIX = "pouw-enroll:v1:";

    /** The audit action of an admin enrolment or key rotation. */
    public static final String AUDIT_ACTION = "enrol_client";

    /** The audit action of a self-enrolment refused because the DID has another key (a takeover attempt). */
    public static final String CONFLICT_ACTION = "self_enrol_conflict";

    /** The audit actor of self-enrolments (no admin token is involved). */
    public static final String SELF_ACTOR = "self-enrolment";

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
    public EnrolmentResult enrolSelf(EnrolClientCommand command, ClientAdmission admission) {
        Objects.requireNonNull(admission, "admission");
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
        ClientKey offered = new ClientKey(command.did(), scheme, command.publicKey());
        Optional<ClientKey> current = clients.findKey(command.did());
        // Only a request that is (or becomes) the DID's key holder spends the DID's permits: a takeover
        // attempt with another key is bounded by the per-IP limit and cannot lock the owner out.
        if ((current.isEmpty() || current.get().equals(offered)) && !admission.admit(command.did())) {
            return new EnrolmentResult.Refused(Refusal.RATE_LIMITED, "too many requests for this DID");
        }
        Instant at = clock.instant();
        ClientDirectory.EnrolOutcome outcome = clients.enrolUnlessTaken(offered, at, existing -> conflictAudit(offered, existing, at));
        return switch (outcome) {
            case CREATED -> new EnrolmentResult.Enrolled(command.did(), true);
            case UNCHANGED -> new EnrolmentResult.Enrolled(command.did(), false);
            case CONFLICT, ROTATED -> new EnrolmentResult.Refused(Refusal.KEY_CONFLICT, "did " + command.did()
                    + " is enrolled with another key; a self-enrolment never replaces a key: the current key's holder keeps it,"
                    + " and only an operator can rotate it (POST /api/v1/admin/clients). The attempt has been recorded.");
        };
    }

    private static AuditEntry conflictAudit(ClientKey offered, ClientKey existing, Instant at) {
        return new AuditEntry(SELF_ACTOR, CONFLICT_ACTION, Optional.of(offered.did()),
                Optional.of("self-enrolment with another key refused; the enrolled key was kept"),
                Optional.of("{\"offered_sig_scheme\":\"" + offered.scheme().wireName() + "\",\"offered_key_sha256\":\""
                        + sha256Hex(offered.publicKey().toArray()) + "\",\"enrolled_sig_scheme\":\"" + existing.scheme().wireName()
                        + "\",\"enrolled_key_sha256\":\"" + sha256Hex(existing.publicKey().toArray()) + "\"}"), at);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The text a self-enrolment proof signs, UTF-8. */
    public static byte[] proofMessage(String did, byte[] nodeId) {
        return (PROOF_PREFIX + did + ":" + HexFormat.of().formatHex(nodeId)).getBytes(StandardCharsets.UTF_8);
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
