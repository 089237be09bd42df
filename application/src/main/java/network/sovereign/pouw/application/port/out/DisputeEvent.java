package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.DisputeStatus;

/**
 * One status change of a dispute ({@code dispute_events}).
 *
 * @param from  the status before; empty for the filing
 * @param to    the status after
 * @param actor who made the change: the admin token's name, or {@value #CLIENT_ACTOR} for the filing
 * @param note  the note or explanation given, if any
 * @param at    when
 */
public record DisputeEvent(Optional<DisputeStatus> from, DisputeStatus to, String actor, Optional<String> note, Instant at) {

    /** The actor of the filing event (the client's DID is on the dispute itself). */
    public static final String CLIENT_ACTOR = "client";

    /** Checks that nothing is null. */
    public DisputeEvent {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(at, "at");
    }
}
