package network.sovereign.pouw.domain;

import java.util.List;
import java.util.Objects;

/**
 * What a challenge covers: how many receipts and bytes in all, the fewest bytes one receipt must
 * verify, and the proof types allowed. Counts are unsigned on the wire; here they are non-negative.
 *
 * @param maxReceipts        receipts the challenge accepts at most
 * @param maxBytesTotal      bytes verified over all receipts at most
 * @param minBytesPerReceipt bytes one receipt must verify at least
 * @param allowedProofTypes  proof types allowed, in the order issued
 */
public record Policy(int maxReceipts, long maxBytesTotal, long minBytesPerReceipt, List<ProofType> allowedProofTypes) {

    /** Checks the invariants. */
    public Policy {
        if (maxReceipts < 0 || maxBytesTotal < 0 || minBytesPerReceipt < 0) {
            throw new IllegalArgumentException("policy limits must not be negative");
        }
        allowedProofTypes = List.copyOf(Objects.requireNonNull(allowedProofTypes, "allowedProofTypes"));
    }

    /** True when receipts of this proof type may answer the challenge. */
    public boolean allows(ProofType type) {
        return allowedProofTypes.contains(type);
    }
}
