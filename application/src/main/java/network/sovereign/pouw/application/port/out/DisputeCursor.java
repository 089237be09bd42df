package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;

/**
 * A position in the newest-first dispute list: the last dispute of the previous page.
 *
 * @param createdAt that dispute's filing time
 * @param disputeId that dispute's id (ties on the time are ordered by id, descending)
 */
public record DisputeCursor(Instant createdAt, String disputeId) {

    /** Checks that nothing is null. */
    public DisputeCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(disputeId, "disputeId");
    }

    /** The cursor right after this dispute. */
    public static DisputeCursor after(Dispute dispute) {
        return new DisputeCursor(dispute.createdAt(), dispute.disputeId());
    }
}
