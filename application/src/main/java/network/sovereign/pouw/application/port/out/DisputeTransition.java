package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.DisputeStatus;

/**
 * One status change an operator makes, stored by {@link DisputeStore#transition} in one transaction
 * with its event, its audit entry and any compensation credit, and only if the dispute is still in
 * the {@code expected} status.
 *
 * @param disputeId    the dispute
 * @param expected     the status the change starts from
 * @param next         the status it leads to
 * @param resolution   what to record as the settlement (for resolve and reject)
 * @param note         the event's note
 * @param actor        the admin token's name
 * @param at           when
 * @param compensation a credit to add to the client's reward ledger
 * @param audit        the admin audit entry
 */
public record DisputeTransition(String disputeId, DisputeStatus expected, DisputeStatus next, Optional<DisputeResolution> resolution,
                                Optional<String> note, String actor, Instant at, Optional<Compensation> compensation, AuditEntry audit) {

    /**
     * A compensation credit: a {@code reward_entries} row of kind {@code compensation}.
     *
     * @param epoch the epoch it counts in (the current one)
     * @param atoms the amount, positive
     */
    public record Compensation(long epoch, BigInteger atoms) {
        /** Checks that the amount is positive. */
        public Compensation {
            if (atoms.signum() <= 0) {
                throw new IllegalArgumentException("compensation must be positive");
            }
        }
    }

    /** Checks that nothing is null and that the state machine allows the change. */
    public DisputeTransition {
        Objects.requireNonNull(disputeId, "disputeId");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(compensation, "compensation");
        Objects.requireNonNull(audit, "audit");
        if (!expected.canMoveTo(next)) {
            throw new IllegalArgumentException("a dispute cannot move from " + expected.wireName() + " to " + next.wireName());
        }
    }
}
