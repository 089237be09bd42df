package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.DisputeResolutionType;

/**
 * How a dispute was settled: resolved with a resolution type (and perhaps compensation), or
 * rejected (no resolution type); by whom and when.
 *
 * @param type              the resolution type; empty for a rejection
 * @param explanation       the operator's explanation
 * @param compensationAtoms the compensation credited to the client, in atoms, if any
 * @param resolvedBy        the admin token's name
 * @param resolvedAt        when
 */
public record DisputeResolution(Optional<DisputeResolutionType> type, String explanation, Optional<BigInteger> compensationAtoms,
                                String resolvedBy, Instant resolvedAt) {

    /** Checks that nothing is null and that compensation is positive. */
    public DisputeResolution {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(compensationAtoms, "compensationAtoms");
        Objects.requireNonNull(resolvedBy, "resolvedBy");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        if (compensationAtoms.isPresent() && compensationAtoms.get().signum() <= 0) {
            throw new IllegalArgumentException("compensation must be positive");
        }
    }
}
