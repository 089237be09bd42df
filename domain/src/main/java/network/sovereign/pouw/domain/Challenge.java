package network.sovereign.pouw.domain;

import java.util.Objects;

/**
 * An issued challenge as the node remembers it: the signed token, whom it was issued to, and how
 * much of its budget accepted receipts have used.
 *
 * @param token         the signed token
 * @param clientDid     the DID it was issued to
 * @param usedReceipts  receipts accepted against it so far
 * @param usedBytes     bytes verified by those receipts
 */
public record Challenge(ChallengeToken token, String clientDid, int usedReceipts, long usedBytes) {

    /** Checks the invariants. */
    public Challenge {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(clientDid, "clientDid");
        if (usedReceipts < 0 || usedBytes < 0) {
            throw new IllegalArgumentException("used budget must not be negative");
        }
    }
}
