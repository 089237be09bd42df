package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A DID blocked right now, as {@code blocked_dids} holds it: who blocked it, when and why.
 *
 * @param did       the blocked DID (it need not be enrolled)
 * @param reason    the reason given when it was blocked, if any
 * @param blockedBy the admin token name that blocked it
 * @param blockedAt when it was blocked
 */
public record BlockedDid(String did, Optional<String> reason, String blockedBy, Instant blockedAt) {

    /** Checks that nothing is null. */
    public BlockedDid {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(blockedBy, "blockedBy");
        Objects.requireNonNull(blockedAt, "blockedAt");
    }
}
