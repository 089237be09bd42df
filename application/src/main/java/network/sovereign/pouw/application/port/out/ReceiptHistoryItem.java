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
 */
public record ReceiptHistoryItem(String receiptId, boolean accepted, Optional<String> reason, Optional<String> proofType,
                                 OptionalLong bytesVerified, Optional<BigInteger> rewardAtoms, OptionalLong epoch,
                                 Instant submittedAt) {

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
