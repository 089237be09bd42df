package network.sovereign.pouw.application.port.in;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.out.BlockEvent;
import network.sovereign.pouw.application.port.out.DisputeSummary;
import network.sovereign.pouw.application.port.out.EpochRewards;
import network.sovereign.pouw.application.port.out.HistoryCursor;
import network.sovereign.pouw.application.port.out.ReceiptHistoryItem;
import network.sovereign.pouw.application.port.out.ReceiptRecord;

/** The operator's reads (SPEC §4): one receipt by id, and a client's history. */
public interface OperatorReadsUseCase {

    /**
     * One epoch of a client's rewards with the cap applied (SPEC §6).
     *
     * @param totals             the ledger totals and payout status
     * @param cappedReceiptAtoms {@code min(receipt credits, cap)}
     * @param payableAtoms       capped credits plus compensation
     */
    record EpochPayable(EpochRewards totals, BigInteger cappedReceiptAtoms, BigInteger payableAtoms) {
        /** Checks that nothing is null. */
        public EpochPayable {
            Objects.requireNonNull(totals, "totals");
            Objects.requireNonNull(cappedReceiptAtoms, "cappedReceiptAtoms");
            Objects.requireNonNull(payableAtoms, "payableAtoms");
        }
    }

    /**
     * A client's history.
     *
     * @param did         the DID
     * @param enrolled    whether it is enrolled
     * @param blocked     whether it is blocked now
     * @param receipts    one page of receipts, newest first
     * @param rewards     rewards per epoch, newest first
     * @param disputes    disputes, newest first
     * @param blockEvents block events, newest first
     */
    record ClientHistory(String did, boolean enrolled, boolean blocked, Page<ReceiptHistoryItem> receipts,
                         List<EpochPayable> rewards, List<DisputeSummary> disputes, List<BlockEvent> blockEvents) {
        /** Copies the lists. */
        public ClientHistory {
            Objects.requireNonNull(did, "did");
            Objects.requireNonNull(receipts, "receipts");
            rewards = List.copyOf(rewards);
            disputes = List.copyOf(disputes);
            blockEvents = List.copyOf(blockEvents);
        }
    }

    /** The answer to {@link #history}. */
    sealed interface HistoryResult {
        /** The history. */
        record Found(ClientHistory history) implements HistoryResult {
        }

        /** The DID is not a DID. */
        record InvalidDid(String detail) implements HistoryResult {
        }

        /** The DID is not enrolled and the node has nothing at all about it. */
        record Unknown() implements HistoryResult {
        }
    }

    /** The accepted or rejected receipt with this id. */
    Optional<ReceiptRecord> receipt(String receiptId);

    /**
     * A client's history.
     *
     * @param after     where the previous page of receipts ended; empty for the first page
     * @param limit     receipts per page, 1..{@link Page#MAX_LIMIT}
     * @param listLimit at most this many rewards, disputes and block events (at least 1)
     */
    HistoryResult history(String did, Optional<HistoryCursor> after, int limit, int listLimit);
}
