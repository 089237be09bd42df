package network.sovereign.pouw.application.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.BlockDidUseCase;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.BlockList;
import network.sovereign.pouw.application.port.out.BlockedDid;
import network.sovereign.pouw.domain.Did;

/**
 * Blocks and unblocks DIDs (SPEC §5): checks the DID and the reason, then has the {@link BlockList}
 * store the change, its block event and the audit entry ({@code block_did} / {@code unblock_did},
 * target the DID) in one transaction.
 */
public final class BlockDidService implements BlockDidUseCase {

    /** The audit action of a block. */
    public static final String BLOCK_ACTION = "block_did";
    /** The audit action of an unblock. */
    public static final String UNBLOCK_ACTION = "unblock_did";

    private final BlockList blockList;
    private final Clock clock;

    /** Creates the service. */
    public BlockDidService(BlockList blockList, Clock clock) {
        this.blockList = Objects.requireNonNull(blockList, "blockList");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public BlockResult block(BlockDidCommand command) {
        Optional<String> problem = problem(command);
        if (problem.isPresent()) {
            return new BlockResult.Invalid(problem.get());
        }
        Optional<String> reason = reason(command);
        Instant at = clock.instant();
        boolean blocked = blockList.block(command.did(), reason, command.actor(), at,
                audit(BLOCK_ACTION, command, reason, at));
        return new BlockResult.Blocked(command.did(), !blocked);
    }

    @Override
    public UnblockResult unblock(BlockDidCommand command) {
        Optional<String> problem = problem(command);
        if (problem.isPresent()) {
            return new UnblockResult.Invalid(problem.get());
        }
        Optional<String> reason = reason(command);
        Instant at = clock.instant();
        boolean wasBlocked = blockList.unblock(command.did(), command.actor(), reason, at,
                audit(UNBLOCK_ACTION, command, reason, at));
        return new UnblockResult.Unblocked(command.did(), wasBlocked);
    }

    @Override
    public Page<BlockedDid> blocked(Optional<String> afterDid, int limit) {
        Objects.requireNonNull(afterDid, "afterDid");
        Page.checkLimit(limit);
        return Page.of(blockList.blocked(afterDid, limit + 1), limit);
    }

    private static AuditEntry audit(String action, BlockDidCommand command, Optional<String> reason, Instant at) {
        return new AuditEntry(command.actor(), action, Optional.of(command.did()), reason, Optional.empty(), at);
    }

    private static Optional<String> problem(BlockDidCommand command) {
        if (!Did.isValid(command.did())) {
            return Optional.of("did is not a DID (did:<method>:<id>, at most " + Did.MAX_LENGTH + " characters)");
        }
        Optional<String> reason = reason(command);
        if (reason.isPresent() && reason.get().length() > AuditEntry.MAX_REASON) {
            return Optional.of("reason is at most " + AuditEntry.MAX_REASON + " characters");
        }
        if (reason.isPresent() && reason.get().indexOf('\0') >= 0) {
            return Optional.of("reason must not contain NUL characters");
        }
        if (command.actor().isBlank() || command.actor().length() > AuditEntry.MAX_ACTOR) {
            // A token name is configuration, not request input; still refused before anything is stored.
            return Optional.of("the admin token name must be 1.." + AuditEntry.MAX_ACTOR + " characters to be audited");
        }
        return Optional.empty();
    }

    private static Optional<String> reason(BlockDidCommand command) {
        return command.reason().map(String::strip).filter(r -> !r.isEmpty());
    }
}
