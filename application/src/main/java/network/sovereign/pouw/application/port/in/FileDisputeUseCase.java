package network.sovereign.pouw.application.port.in;

import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.domain.Bytes;

/**
 * A client files a dispute (SPEC §4 {@code POST /api/v1/pouw/disputes}), signed with its enrolled key
 * over {@code "pouw-dispute:v1:" + client_did + ":" + (receipt_id or "") + ":" + dispute_type + ":" + sha256_hex(description)}.
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
     */
    record FileDisputeCommand(String clientDid, Optional<String> receiptId, String disputeType, String description, Bytes signature) {
        /** Checks that nothing is null. */
        public FileDisputeCommand {
            Objects.requireNonNull(clientDid, "clientDid");
            Objects.requireNonNull(receiptId, "receiptId");
            Objects.requireNonNull(disputeType, "disputeType");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(signature, "signature");
        }
    }

    /** Why a filing was refused (nothing is stored). */
    enum Refusal { INVALID_REQUEST, UNKNOWN_CLIENT, BLOCKED_DID, INVALID_SIGNATURE }

    /** The outcome. */
    sealed interface FileResult {
        /** Stored, status open. */
        record Filed(Dispute dispute) implements FileResult {
        }

        /** Refused, with a client-safe detail. */
        record Refused(Refusal refusal, String detail) implements FileResult {
        }
    }

    /** Checks and stores the dispute. */
    FileResult file(FileDisputeCommand command);
}
