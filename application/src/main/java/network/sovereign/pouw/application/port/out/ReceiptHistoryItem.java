package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One receipt in a client's history, accepted (live or archived) or rejected.
 *
 * @param receiptId     the receipt or rejection id
 * @param accepted      true when accepted
 * @param reason        the rejection reason (wire name), rejected only
 * @param proofType     the proof type's JSON name, accepted only
 * @param bytesVerified bytes verified, accepted only
 * @param rewardAtoms   the credit, accepted only
 * @param epoch         the reward epoch, accepted only
 * @param submittedAt   when it was submitted
 * @param authenticated true for every accepted receipt and for a rejection whose signature verified
 *                      with the DID's key; false for a rejection anyone could have sent
 */
public record ReceiptHistoryItem(String receiptId, boolean accepted, Optional<String> reason, Optional<String> proofType,
                                 OptionalLong bytesVerified, Optional<BigInteger> rewardAtoms, OptionalLong epoch,
                                 Instant submittedAt, boolean authenticated) {

    /** An item of the DID's own (accepted, or rejected with a verified signature). */
    public ReceiptHistoryItem(String receiptId, boolean accepted, Optional<String> reason, Optional<String> proofType,
                              OptionalLong bytesVerified, Optional<BigInteger> rewardAtoms, OptionalLong epoch, Instant submittedAt) {
        this(receiptId, accepted, reason, proofType, bytesVerified, rewardAtoms, epoch, submittedAt, true);
    }

    /** Checks that nothing is null. */
    public ReceiptHistoryItem {
        Objects.requireNonNull(receiptId, "receiptId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(proofType, "proofType");
        Objects.requireNonNull(bytesVerified, "bytesVerified");
        Objects.requireNonNull(rewardAtoms, "rewardAtoms");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
