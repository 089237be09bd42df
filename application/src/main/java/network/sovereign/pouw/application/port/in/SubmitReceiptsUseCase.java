package network.sovereign.pouw.application.port.in;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.RejectionReason;

/** Validates a batch of signed receipts, each on its own, and credits the accepted ones exactly once. */
public interface SubmitReceiptsUseCase {

    /** Why a whole batch was refused (SPEC §3.2); otherwise every receipt gets its own outcome. */
    enum BatchRefusal { MALFORMED, TOO_LARGE, UNKNOWN_CLIENT, BLOCKED_DID }

    /** One receipt's outcome. */
    sealed interface ReceiptOutcome {
        /** The receipt's nonce (empty when it could not be read). */
        Bytes receiptNonce();

        /** Accepted now, or earlier when {@code replayed} (then with the original id and credit). */
        record Accepted(Bytes receiptNonce, String receiptId, BigInteger rewardAtoms, boolean replayed) implements ReceiptOutcome {
        }

        /** Rejected for a reason; {@code rejectionId} is the stored rejection's id (empty when none was stored). */
        record Rejected(Bytes receiptNonce, RejectionReason reason, String detail, Optional<String> rejectionId) implements ReceiptOutcome {
            /** Checks that nothing is null. */
            public Rejected {
                Objects.requireNonNull(rejectionId, "rejectionId");
            }

            /** A rejection that was not stored. */
            public Rejected(Bytes receiptNonce, RejectionReason reason, String detail) {
                this(receiptNonce, reason, detail, Optional.empty());
            }
        }
    }

    /** The batch's outcome. */
    sealed interface SubmitOutcome {
        /** Every receipt got an outcome, in the batch's order. */
        record Processed(List<ReceiptOutcome> outcomes) implements SubmitOutcome {
            /** Copies the outcomes. */
            public Processed {
                outcomes = List.copyOf(outcomes);
            }
        }

        /**
         * The batch was authenticated but its DID has no permit left (SPEC §9): nothing was stored.
         *
         * @param retryAfterSeconds when to retry
         */
        record Throttled(long retryAfterSeconds) implements SubmitOutcome {
        }

        /** The whole batch was refused. */
        record Refused(BatchRefusal refusal, String detail) implements SubmitOutcome {
            /** Checks that nothing is null. */
            public Refused {
                Objects.requireNonNull(refusal, "refusal");
                Objects.requireNonNull(detail, "detail");
            }
        }
    }

    /** Validates and stores the batch's receipts (all of them readable). */
    default SubmitOutcome submit(ReceiptBatch batch) {
        return submit(batch, 0, "");
    }

    /** Like {@link #submit(ReceiptBatch, int, String)} from an unknown client address. */
    default SubmitOutcome submit(ReceiptBatch readable, int unreadable) {
        return submit(readable, unreadable, "");
    }

    /** The most receipts a batch may hold now (the live {@code batch_size_max}): decoders stop reading past it. */
    int batchSizeMax();

    /**
     * Validates and stores the batch's readable receipts. {@code unreadable} more receipts of the same
     * batch could not be decoded (the transport rejects each as malformed); they still count for the
     * whole-batch checks: a batch of only unreadable receipts from an unknown or blocked DID is refused
     * like any other, and its size includes them. {@code origin} is the client address, for the
     * budgets of unauthenticated rejections.
     */
    SubmitOutcome submit(ReceiptBatch readable, int unreadable, String origin);
}
