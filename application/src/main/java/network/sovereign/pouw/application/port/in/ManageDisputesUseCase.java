package network.sovereign.pouw.application.port.in;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.DisputeCursor;
import network.sovereign.pouw.application.port.out.DisputeEvent;
import network.sovereign.pouw.domain.DisputeStatus;

/**
 * The operator's side of disputes (SPEC §7): list, read, investigate, resolve (optionally with
 * compensation credited in the current epoch) and reject. Every change is audited with the operator's
 * token name and refused once the dispute is settled.
 */
public interface ManageDisputesUseCase {

    /**
     * A dispute with its history.
     *
     * @param dispute the dispute
     * @param events  its status changes, oldest first
     */
    record DisputeDetail(Dispute dispute, List<DisputeEvent> events) {
        /** Copies the events. */
        public DisputeDetail {
            Objects.requireNonNull(dispute, "dispute");
            events = List.copyOf(events);
        }
    }

    /**
     * Compensation as the operator wrote it.
     *
     * @param amount   in SOV, positive, at most 18 decimals
     * @param currency must be {@code SOV}
     */
    record Compensation(BigDecimal amount, String currency) {
        /** Checks that nothing is null. */
        public Compensation {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(currency, "currency");
        }
    }

    /**
     * A resolution, as sent.
     *
     * @param disputeId      the dispute
     * @param resolutionType the {@code resolution_type} wire name
     * @param explanation    why
     * @param compensation   what to credit the client, only for a claimant-favourable resolution
     * @param actor          the admin token's name
     */
    record ResolveCommand(String disputeId, String resolutionType, String explanation, Optional<Compensation> compensation, String actor) {
        /** Checks that nothing is null. */
        public ResolveCommand {
            Objects.requireNonNull(disputeId, "disputeId");
            Objects.requireNonNull(resolutionType, "resolutionType");
            Objects.requireNonNull(explanation, "explanation");
            Objects.requireNonNull(compensation, "compensation");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /** The outcome of a change. */
    sealed interface ChangeResult {
        /** Done; the dispute as it is now. */
        record Changed(Dispute dispute) implements ChangeResult {
        }

        /** No such dispute. */
        record NotFound() implements ChangeResult {
        }

        /** The dispute's status does not allow the change (settled already, or not open); nothing changed. */
        record Conflict(DisputeStatus current, String detail) implements ChangeResult {
        }

        /** The request is invalid; nothing changed. */
        record Invalid(String detail) implements ChangeResult {
        }
    }

    /**
     * Disputes newest first.
     *
     * @param status    only this status
     * @param clientDid only this client
     * @param after     the last dispute of the previous page
     * @param limit     1..{@link Page#MAX_LIMIT}
     */
    Page<Dispute> list(Optional<DisputeStatus> status, Optional<String> clientDid, Optional<DisputeCursor> after, int limit);

    /** The dispute with its events. */
    Optional<DisputeDetail> detail(String disputeId);

    /** {@code open → under_investigation}, with an optional note. */
    ChangeResult investigate(String disputeId, Optional<String> note, String actor);

    /** Resolves the dispute. */
    ChangeResult resolve(ResolveCommand command);

    /** {@code → rejected}, with an explanation. */
    ChangeResult reject(String disputeId, String explanation, String actor);
}
