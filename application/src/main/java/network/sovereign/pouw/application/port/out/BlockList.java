package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The DIDs blocked right now, shared by every node through the database (SPEC §5). Every change is
 * written together with its {@code block_events} row and the admin's {@link AuditEntry} in one
 * transaction: either all three are stored or none. Implementations throw
 * {@link StoreUnavailableException} when they cannot answer.
 */
public interface BlockList {

    /**
     * Blocks the DID unless it is blocked already (idempotent: an existing block, with its reason and
     * author, is left as it is). A {@code block} event is stored only when the DID was newly blocked;
     * the audit entry is stored either way, since the admin acted.
     *
     * @return true when the DID was newly blocked, false when it was blocked already
     */
    boolean block(String did, Optional<String> reason, String actor, Instant at, AuditEntry audit);

    /**
     * Lifts the DID's block, if any. An {@code unblock} event is stored only when the DID was blocked;
     * the audit entry is stored either way.
     *
     * @return true when the DID was blocked
     */
    boolean unblock(String did, String actor, Optional<String> reason, Instant at, AuditEntry audit);

    /**
     * Blocked DIDs in DID order.
     *
     * @param afterDid only DIDs after this one (the last DID of the previous page); empty for the first page
     * @param limit    at most this many (at least 1)
     */
    List<BlockedDid> blocked(Optional<String> afterDid, int limit);

    /** How many DIDs are blocked now (the {@code pouw_blocked_dids} gauge). */
    long count();
}
