package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import network.sovereign.pouw.domain.PayoutStatus;

/**
 * Payout rows on top of the reward ledger (SPEC §6), shared by every node through the database.
 * Implementations throw {@link StoreUnavailableException} when they cannot answer.
 */
public interface PayoutStore {

    /** What {@link #transition} did. */
    sealed interface TransitionResult {
        /** The status changed; the audit entry was stored in the same transaction. */
        record Changed(Payout payout) implements TransitionResult {
        }

        /** The payout is not in an allowed status; nothing was written. */
        record Conflict(Payout current) implements TransitionResult {
        }

        /** No payout has this id; nothing was written. */
        record NotFound() implements TransitionResult {
        }
    }

    /**
     * Inserts the missing payout rows, one per client with ledger entries in a closed epoch, as
     * {@code pending} with {@code min(Σ receipt credits, cap) + Σ compensation}. Idempotent: a row that
     * exists (also one another node inserts concurrently) is kept as it is.
     *
     * @param epoch          only this epoch, or every closed epoch that has entries but no payouts yet
     * @param firstOpenEpoch the epoch {@code now} falls into: only epochs below it are closed
     * @param capAtoms       the per-client, per-epoch cap on receipt credits
     * @param now            the rows' creation time
     * @return the number of rows inserted
     */
    int materialise(OptionalLong epoch, long firstOpenEpoch, BigInteger capAtoms, Instant now);

    /**
     * Payouts, newest epoch first (by id, which sorts by epoch).
     *
     * @param epoch   only this epoch, when present
     * @param status  only this status, when present
     * @param afterId only payouts after this id in list order; empty for the first page
     * @param limit   at most this many (at least 1)
     */
    List<Payout> list(OptionalLong epoch, Optional<PayoutStatus> status, Optional<String> afterId, int limit);

    /**
     * Moves a payout to {@code target} when its status is one of {@code allowedFrom}, storing the
     * audit entry in the same transaction.
     *
     * @param txHash the settling transaction, stored when present
     */
    TransitionResult transition(String rewardId, Set<PayoutStatus> allowedFrom, PayoutStatus target, Optional<String> txHash,
                                Instant at, AuditEntry audit);
}
