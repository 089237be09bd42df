package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.RejectionReason;

/**
 * A rejection as stored for the client and the operator: what could be read of the receipt, the
 * reason and its detail.
 *
 * @param rejectionId    the id the node gives it
 * @param clientDid      the DID, when known
 * @param receiptNonce   the receipt's nonce, when it could be read
 * @param challengeNonce the challenge nonce, when it could be read
 * @param reason         why
 * @param detail         a short explanation
 * @param sigScheme      the {@code sig_scheme} as sent (may be empty)
 * @param signedBytes    the canonical receipt bytes, when the receipt could be read
 * @param signature      the signature as sent
 * @param submittedAt    when it was rejected
 * @param authenticated  true when the receipt's signature verified with the batch DID's key, so the
 *                       rejection is the DID's own; false when anyone could have sent it
 */
public record RejectedReceipt(String rejectionId, Optional<String> clientDid, Optional<Bytes> receiptNonce,
                              Optional<Bytes> challengeNonce, RejectionReason reason, String detail, String sigScheme,
                              Bytes signedBytes, Bytes signature, Instant submittedAt,
                              boolean authenticated) {

    /** Checks that nothing is null. */
    public RejectedReceipt {
        Objects.requireNonNull(rejectionId, "rejectionId");
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(receiptNonce, "receiptNonce");
        Objects.requireNonNull(challengeNonce, "challengeNonce");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(sigScheme, "sigScheme");
        Objects.requireNonNull(signedBytes, "signedBytes");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
