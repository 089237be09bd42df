package network.sovereign.pouw.application.port.in;

import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;

/** Binds a DID to a public key: by an admin, or by the client itself with proof of possession. */
public interface EnrolClientUseCase {

    /**
     * The enrolment.
     *
     * @param did       the DID
     * @param sigScheme the key's scheme, as sent
     * @param publicKey the raw public key
     * @param proof     for self-enrolment: a signature over {@code "pouw-enroll:v1:" + did + ":" + node_id_hex}
     */
    record EnrolClientCommand(String did, String sigScheme, Bytes publicKey, Optional<Bytes> proof) {
        /** Checks that nothing is null. */
        public EnrolClientCommand {
            Objects.requireNonNull(did, "did");
            Objects.requireNonNull(sigScheme, "sigScheme");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(proof, "proof");
        }
    }

    /**
     * Why an enrolment was refused. {@code KEY_CONFLICT}: a self-enrolment named a DID that is enrolled
     * with another key (nothing changed; the attempt is in the audit trail). {@code RATE_LIMITED}: the
     * {@link ClientAdmission} refused the DID.
     */
    enum Refusal { INVALID_REQUEST, ENROLMENT_CLOSED, INVALID_PROOF, KEY_CONFLICT, RATE_LIMITED }

    /** The outcome. */
    sealed interface EnrolmentResult {
        /** Enrolled; {@code created} is false when an existing DID's key was rotated. */
        record Enrolled(String did, boolean created) implements EnrolmentResult {
        }

        /** Refused, with a detail. */
        record Refused(Refusal refusal, String detail) implements EnrolmentResult {
        }
    }

    /**
     * Enrolment by an admin (no proof needed), recorded in the audit trail as {@code enrol_client}.
     *
     * @param actor the admin token's name
     */
    EnrolmentResult enrolByAdmin(EnrolClientCommand command, String actor);

    /**
     * Self-enrolment (only when enrolment is open; the proof is required). It never changes the key of
     * a DID that is enrolled already: the same key again is {@code Enrolled(created=false)}, another key
     * is refused with {@link Refusal#KEY_CONFLICT} and recorded in the audit trail (a key changes only
     * through an admin). The admission gate is asked only when the proof verifies and the DID is new
     * or has this very key.
     */
    EnrolmentResult enrolSelf(EnrolClientCommand command, ClientAdmission admission);

    /** Self-enrolment without an admission gate. */
    default EnrolmentResult enrolSelf(EnrolClientCommand command) {
        return enrolSelf(command, ClientAdmission.ALWAYS);
    }
}
