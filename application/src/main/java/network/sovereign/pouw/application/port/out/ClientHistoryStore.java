package network.sovereign.pouw.application.port.out;

import java.util.List;
import java.util.Optional;

/**
 * Read-only views for operators (SPEC §4): a receipt by id, and a client's history of receipts,
 * rewards, disputes and block events. Every list is bounded by its {@code limit}. Implementations
 * throw {@link StoreUnavailableException} when they cannot answer.
 */
public interface ClientHistoryStore {

    /** The accepted (live or archived) or rejected receipt with this id. */
    Optional<ReceiptRecord> findReceipt(String receiptId);

    /** True when the DID is enrolled. */
    boolean isEnrolled(String did);

    /** True when the DID is blocked now. */
    boolean isBlocked(String did);

    /**
     * The DID's receipts of both outcomes, newest first by {@code (submitted_at, receipt_id)}.
     *
     * @param after only items after this position in that order; empty for the newest
     * @param limit at most this many (at least 1)
     */
    List<ReceiptHistoryItem> receipts(String did, Optional<HistoryCursor> after, int limit);

    /** The DID's ledger totals per epoch, newest epoch first, at most {@code limit}. */
    List<EpochRewards> rewards(String did, int limit);

    /** The DID's disputes, newest first, at most {@code limit}. */
    List<DisputeSummary> disputes(String did, int limit);

    /** The DID's block and unblock events, newest first, at most {@code limit}. */
    List<BlockEvent> blockEvents(String did, int limit);
}
