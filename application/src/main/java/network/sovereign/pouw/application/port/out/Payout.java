package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.PayoutStatus;

/**
 * What a client is paid for one closed epoch (SPEC §6) and where its settlement stands.
 *
 * @param rewardId    its id ({@code payouts.payout_id})
 * @param clientDid   who is paid
 * @param epoch       the closed epoch
 * @param amountAtoms capped receipt credits plus compensation
 * @param status      the settlement status
 * @param txHash      the settling transaction, once paid
 * @param createdAt   when the row was made
 * @param updatedAt   when it last changed
 */
public record Payout(String rewardId, String clientDid, long epoch, BigInteger amountAtoms, PayoutStatus status,
                     Optional<String> txHash, Instant createdAt, Instant updatedAt) {

    /** Checks that nothing is null. */
    public Payout {
        Objects.requireNonNull(rewardId, "rewardId");
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(amountAtoms, "amountAtoms");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
