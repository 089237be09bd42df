package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One block or unblock of a DID.
 *
 * @param action {@code block} or {@code unblock}
 * @param reason the reason given
 * @param actor  who did it
 * @param at     when
 */
public record BlockEvent(String action, Optional<String> reason, String actor, Instant at) {

    /** Checks that nothing is null. */
    public BlockEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
    }
}
