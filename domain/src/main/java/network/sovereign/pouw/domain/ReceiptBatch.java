package network.sovereign.pouw.domain;

import java.util.List;
import java.util.Objects;

/**
 * Receipts a client submits together (pouw.v1 {@code ReceiptBatch}); each gets its own outcome.
 *
 * @param version    protocol version, 1
 * @param clientDid  the submitting client
 * @param batchNonce the client's nonce for the batch (informational)
 * @param receipts   the signed receipts
 */
public record ReceiptBatch(int version, String clientDid, Bytes batchNonce, List<SignedReceipt> receipts) {

    /** Copies the receipts. */
    public ReceiptBatch {
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(batchNonce, "batchNonce");
        receipts = List.copyOf(receipts);
    }
}
