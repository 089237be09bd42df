package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.PayoutStatus;

/**
 * A client's ledger totals for one epoch and its payout status, if a payout exists.
 *
 * @param epoch             the epoch
 * @param receiptAtoms      the sum of its receipt credits
 * @param compensationAtoms the sum of its compensation entries
 * @param payoutStatus      the payout's status, empty while no payout row exists
 */
public record EpochRewards(long epoch, BigInteger receiptAtoms, BigInteger compensationAtoms, Optional<PayoutStatus> payoutStatus) {

    /** Checks that nothing is null. */
    public EpochRewards {
        Objects.requireNonNull(receiptAtoms, "receiptAtoms");
        Objects.requireNonNull(compensationAtoms, "compensationAtoms");
        Objects.requireNonNull(payoutStatus, "payoutStatus");
    }
}
