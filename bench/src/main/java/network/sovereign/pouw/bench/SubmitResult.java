package network.sovereign.pouw.bench;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.domain.Bytes;

/**
 * The node's answer to a batch ({@code POST /api/v1/pouw/receipts}): one outcome per receipt when the
 * batch was processed (200), or the problem that refused the whole batch (400, 401, 403, 413, 429, ...).
 *
 * @param status     the HTTP status
 * @param outcomes   the per-receipt outcomes, accepted ones first (the node lists them in two arrays); empty when refused
 * @param problem    why the whole batch was refused, when {@code status} is not 200
 * @param serverTime the node's clock at the answer, when processed
 */
public record SubmitResult(int status, List<Outcome> outcomes, Optional<ApiProblem> problem, OptionalLong serverTime) {

    /** Checks that nothing is null and copies the list. */
    public SubmitResult {
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(serverTime, "serverTime");
    }

    /** What happened to one receipt. */
    public sealed interface Outcome permits Accepted, Rejected {
        /** The receipt's nonce, which ties the outcome to the receipt. */
        Bytes receiptNonce();
    }

    /**
     * The receipt is stored and credited (or was already: {@code replayed}).
     *
     * @param receiptNonce the receipt's nonce
     * @param receiptId    the node's id of the stored receipt (the original one for a replay)
     * @param rewardAtoms  the reward credited for it, in atoms
     * @param replayed     true when this was a byte-identical retry of an accepted receipt
     */
    public record Accepted(Bytes receiptNonce, String receiptId, BigInteger rewardAtoms, boolean replayed) implements Outcome {

        /** Checks that nothing is null. */
        public Accepted {
            Objects.requireNonNull(receiptNonce, "receiptNonce");
            Objects.requireNonNull(receiptId, "receiptId");
            Objects.requireNonNull(rewardAtoms, "rewardAtoms");
        }
    }

    /**
     * The receipt was refused.
     *
     * @param receiptNonce the receipt's nonce (empty if the node could not read it)
     * @param reason       one of the protocol's reasons ({@code invalid_signature}, {@code duplicate_nonce}, ...)
     * @param detail       the node's explanation
     */
    public record Rejected(Bytes receiptNonce, String reason, String detail) implements Outcome {

        /** Checks that nothing is null. */
        public Rejected {
            Objects.requireNonNull(receiptNonce, "receiptNonce");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** True when the batch was processed (per-receipt outcomes); false when the node refused it as a whole. */
    public boolean processed() {
        return status == 200;
    }

    /** The outcome of the receipt with this nonce, if the answer has one. */
    public Optional<Outcome> outcomeFor(Bytes receiptNonce) {
        return outcomes.stream().filter(o -> o.receiptNonce().equals(receiptNonce)).findFirst();
    }

    /** One line for people: {@code accepted receipt_id=... replayed=false}, {@code rejected duplicate_nonce (...)} or the refusal. */
    public String summary() {
        if (!processed()) {
            return problem.map(p -> p.summary()).orElse("HTTP " + status);
        }
        return String.join("; ", outcomes.stream().map(SubmitResult::describe).toList());
    }

    /** One outcome for people. */
    public static String describe(Outcome outcome) {
        return switch (outcome) {
            case Accepted a -> "accepted receipt_id=" + a.receiptId() + " reward_atoms=" + a.rewardAtoms() + " replayed=" + a.replayed();
            case Rejected r -> "rejected " + r.reason() + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")");
        };
    }
}
