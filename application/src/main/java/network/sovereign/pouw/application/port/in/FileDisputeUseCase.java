package network.sovereign.pouw.application.port.in;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.domain.Bytes;

/**
 * A client files a dispute (SPEC §4 {@code POST /api/v1/pouw/disputes}), signed with its enrolled key
 * over {@code "pouw-dispute:v2:" + client_did + ":" + (receipt_id or "") + ":" + dispute_type + ":"
 * + sha256_hex(description) + ":" + nonce + ":" + timestamp}. The client-chosen {@code nonce} is
 * accepted once per DID and the {@code timestamp} only within the clock skew of the node's time, so
 * a filing that was seen cannot be replayed.
 */
public interface FileDisputeUseCase {

    /**
     * The filing, as sent.
     *
     * @param clientDid   the client's DID
     * @param receiptId   the receipt (accepted, archived or rejection id) it is about, if any
     * @param disputeType the {@code dispute_type} wire name
     * @param description what happened
     * @param signature   the client's signature over the dispute text
     * @param nonce       the client's single-use nonce (absent in the old v1 form, which is refused)
     * @param timestamp   when the client signed, unix seconds (absent in the old v1 form, which is refused)
     */
    record FileDisputeCommand(String clientDid, Optional<String> receiptId, String disputeType, String description, Bytes signature,
                              Optional<String> nonce, OptionalLong timestamp) {
        /** Checks that nothing is null. */
        public FileDisputeCommand {
            Objects.requireNonNull(clientDid, "clientDid");
            Objects.requireNonNull(receiptId, "receiptId");
            Objects.requireNonNull(disputeType, "disputeType");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /**
     * Why a filing was refused (nothing is stored). {@code STALE_TIMESTAMP}: the signed timestamp is
     * outside the node's time ± clock skew; {@code NONCE_REUSED}: the DID used this nonce already (a
     * replay); {@code RATE_LIMITED}: the {@link ClientAdmission} refused the DID.
     */
    enum Refusal { INVALID_REQUEST, UNKNOWN_CLIENT, BLOCKED_DID, INVALID_SIGNATURE, STALE_TIMESTAMP, NONCE_REUSED, RATE_LIMITED }

    /** The outcome. */
    sealed interface FileResult {
        /** Stored, status open. */
        record Filed(Dispute dispute) implements FileResult {
        }

        /** Refused, with a client-safe detail. */
        record Refused(Refusal refusal, String detail) implements FileResult {
        }
    }

    /**
     * Checks and stores the dispute; the admission gate is asked only once the signature verifies.
     */
    FileResult file(FileDisputeCommand command, ClientAdmission admission);

    /** Checks and stores the dispute without an admission gate. */
    default FileResult file(FileDisputeCommand command) {
        return file(command, ClientAdmission.ALWAYS);
    }
}
