package network.sovereign.pouw.application.service;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import network.sovereign.pouw.domain.SigScheme;

/**
 * The protocol's knobs (SPEC §12), read once by the composition root.
 *
 * @param challengeTtl            how long a challenge can be answered
 * @param clockSkew               tolerated client clock skew
 * @param batchSizeMax            receipts per batch at most
 * @param maxReceiptsPerChallenge the node's cap on a challenge's max_receipts
 * @param maxBytesPerChallenge    the node's cap on a challenge's max_bytes_total
 * @param minBytesPerReceipt      the fewest bytes one receipt must verify
 * @param acceptedSigSchemes      schemes receipts (and enrolled keys) may use
 * @param openEnrollment          whether clients may enrol themselves
 */
public record ProtocolSettings(Duration challengeTtl, Duration clockSkew, int batchSizeMax, int maxReceiptsPerChallenge,
                               long maxBytesPerChallenge, long minBytesPerReceipt, Set<SigScheme> acceptedSigSchemes,
                               boolean openEnrollment) {

    /** Checks the invariants. */
    public ProtocolSettings {
        Objects.requireNonNull(challengeTtl, "challengeTtl");
        Objects.requireNonNull(clockSkew, "clockSkew");
        acceptedSigSchemes = Set.copyOf(acceptedSigSchemes);
        if (challengeTtl.isNegative() || challengeTtl.isZero() || clockSkew.isNegative()) {
            throw new IllegalArgumentException("challenge TTL must be positive and clock skew not negative");
        }
        if (batchSizeMax < 1 || maxReceiptsPerChallenge < 1 || maxBytesPerChallenge < 1 || minBytesPerReceipt < 0) {
            throw new IllegalArgumentException("protocol limits must be positive");
        }
    }
}
