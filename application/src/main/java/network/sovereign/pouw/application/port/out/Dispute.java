package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.DisputeStatus;
import network.sovereign.pouw.domain.DisputeType;

/**
 * A dispute as stored (SPEC §7): what the client filed, where it stands, and how it was settled.
 *
 * @param disputeId   the id the node gave it
 * @param clientDid   the client that filed it
 * @param receiptId   the accepted, archived or rejected receipt it is about, if any
 * @param type        what is disputed
 * @param description the client's description, 1..{@value #MAX_TEXT} characters
 * @param status      where it stands
 * @param createdAt   when it was filed (microsecond precision, as the databases keep it)
 * @param resolution  how it was settled, once it was resolved or rejected
 */
public record Dispute(String disputeId, String clientDid, Optional<String> receiptId, DisputeType type, String description,
                      DisputeStatus status, Instant createdAt, Optional<DisputeResolution> resolution) {

    /** The longest description, explanation or note. */
    public static final int MAX_TEXT = 4000;
    /** The longest dispute or receipt id. */
    public static final int MAX_ID = 40;

    /** Checks that nothing is null. */
    public Dispute {
        Objects.requireNonNull(disputeId, "disputeId");
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(receiptId, "receiptId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(resolution, "resolution");
    }

    /** This dispute in another status, with a resolution when one is given. */
    public Dispute moved(DisputeStatus next, Optional<DisputeResolution> settled) {
        return new Dispute(disputeId, clientDid, receiptId, type, description, next, createdAt, settled.or(() -> resolution));
    }
}
