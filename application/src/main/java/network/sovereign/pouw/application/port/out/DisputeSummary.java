package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A dispute as a client's history lists it.
 *
 * @param disputeId   its id
 * @param disputeType its type, e.g. {@code RewardNotReceived}
 * @param status      its status wire name
 * @param createdAt   when it was filed
 * @param resolvedAt  when it was settled, if it was
 */
public record DisputeSummary(String disputeId, String disputeType, String status, Instant createdAt, Optional<Instant> resolvedAt) {

    /** Checks that nothing is null. */
    public DisputeSummary {
        Objects.requireNonNull(disputeId, "disputeId");
        Objects.requireNonNull(disputeType, "disputeType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
    }
}
