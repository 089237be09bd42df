package network.sovereign.pouw.application.port.in;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.out.Payout;
import network.sovereign.pouw.domain.PayoutStatus;

/**
 * Payout export and settlement (SPEC §6): lists payouts of closed epochs, making the missing rows
 * first, and moves them {@code pending → processing → paid | failed}, {@code failed → processing}.
 */
public interface PayoutsUseCase {

    /** The longest {@code tx_hash}. */
    int MAX_TX_HASH = 128;

    /** The answer to {@link #list}. */
    sealed interface ListResult {
        /** One page. */
        record Listed(Page<Payout> page) implements ListResult {
        }

        /** The query is not acceptable, e.g. an epoch that is not closed yet. */
        record Invalid(String detail) implements ListResult {
        }
    }

    /**
     * A settlement step.
     *
     * @param rewardId the payout's id
     * @param target   the status to move to
     * @param txHash   the transaction, required for {@code paid}
     * @param note     an error text or note for the audit trail
     * @param actor    the admin token's name
     */
    record TransitionCommand(String rewardId, PayoutStatus target, Optional<String> txHash, Optional<String> note, String actor) {
        /** Checks that nothing is null. */
        public TransitionCommand {
            Objects.requireNonNull(rewardId, "rewardId");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(txHash, "txHash");
            Objects.requireNonNull(note, "note");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /** The answer to {@link #transition}. */
    sealed interface TransitionResult {
        /** Moved, and audited. */
        record Changed(Payout payout) implements TransitionResult {
        }

        /** Already paid with the same transaction: nothing changed. */
        record Unchanged(Payout payout) implements TransitionResult {
        }

        /** The command is not acceptable (e.g. no tx_hash); nothing changed. */
        record Invalid(String detail) implements TransitionResult {
        }

        /** No payout has this id. */
        record NotFound() implements TransitionResult {
        }

        /** The payout's status does not allow this step; nothing changed. */
        record Conflict(String detail) implements TransitionResult {
        }
    }

    /**
     * Payouts, newest epoch first.
     *
     * @param epoch   only this epoch, which must be closed
     * @param status  only this status wire name
     * @param afterId the previous page's last id
     * @param limit   1..{@link Page#MAX_LIMIT}
     */
    ListResult list(OptionalLong epoch, Optional<String> status, Optional<String> afterId, int limit);

    /** One settlement step. */
    TransitionResult transition(TransitionCommand command);

    /**
     * The epoch calendar now (what an operator needs for {@code rewards list --epoch N}).
     *
     * @param current          the epoch now falls into
     * @param currentStartedAt its first instant
     * @param currentEndsAt    the first instant of the next epoch
     * @param epochSeconds     the length of one epoch
     * @param lastClosed       the newest epoch whose payouts can be listed (its end lies a settle margin
     *                         back), empty while none is closed since genesis
     */
    record Epochs(long current, Instant currentStartedAt, Instant currentEndsAt, long epochSeconds, OptionalLong lastClosed) {
        /** Checks that nothing is null. */
        public Epochs {
            Objects.requireNonNull(currentStartedAt, "currentStartedAt");
            Objects.requireNonNull(currentEndsAt, "currentEndsAt");
            Objects.requireNonNull(lastClosed, "lastClosed");
        }
    }

    /** The current and the last closed epoch. */
    Epochs epochs();
}
