package network.sovereign.pouw.application.port.in;

import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.out.BlockedDid;

/**
 * Blocks and unblocks DIDs for admins (SPEC §4 and §5): idempotent, effective on every node at once,
 * and every call recorded in the audit trail with its actor and reason.
 */
public interface BlockDidUseCase {

    /**
     * A block or unblock request.
     *
     * @param did    the DID to block or unblock, as sent
     * @param reason why, as the admin wrote it (blank counts as none)
     * @param actor  the admin token's name
     */
    record BlockDidCommand(String did, Optional<String> reason, String actor) {
        /** Checks that nothing is null. */
        public BlockDidCommand {
            Objects.requireNonNull(did, "did");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /** The outcome of a block. */
    sealed interface BlockResult {
        /** The DID is blocked now; {@code alreadyBlocked} when it was before this call (nothing changed). */
        record Blocked(String did, boolean alreadyBlocked) implements BlockResult {
        }

        /** Refused, nothing stored: the DID is not a DID or the reason is too long. */
        record Invalid(String detail) implements BlockResult {
        }
    }

    /** The outcome of an unblock. */
    sealed interface UnblockResult {
        /** The DID is not blocked now; {@code wasBlocked} when this call lifted a block. */
        record Unblocked(String did, boolean wasBlocked) implements UnblockResult {
        }

        /** Refused, nothing stored: the DID is not a DID or the reason is too long. */
        record Invalid(String detail) implements UnblockResult {
        }
    }

    /** Blocks the DID (idempotent). */
    BlockResult block(BlockDidCommand command);

    /** Lifts the DID's block (idempotent). */
    UnblockResult unblock(BlockDidCommand command);

    /**
     * The blocked DIDs in DID order.
     *
     * @param afterDid the last DID of the previous page, empty for the first
     * @param limit    1..{@link Page#MAX_LIMIT}
     */
    Page<BlockedDid> blocked(Optional<String> afterDid, int limit);
}
