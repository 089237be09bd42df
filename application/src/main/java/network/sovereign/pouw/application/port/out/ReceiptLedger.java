package network.sovereign.pouw.application.port.out;

import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;

/**
 * Accepted and rejected receipts. {@link #accept} is the authoritative replay check: nonce row,
 * receipt, reward credit and challenge budget commit in one transaction, and a unique key on the
 * nonce decides races between nodes (never check-then-insert).
 */
public interface ReceiptLedger {

    /** What {@link #accept} did. */
    sealed interface AcceptResult {
        /** Stored: nonce consumed, receipt and credit written, budget used. */
        record Stored() implements AcceptResult {
        }

        /** The nonce was already consumed; nothing was written. */
        record NonceTaken(StoredReceipt existing) implements AcceptResult {
        }

        /** The challenge's budget (receipts or bytes) would be exceeded; nothing was written. */
        record BudgetExhausted() implements AcceptResult {
        }
    }

    /** The accepted receipt that consumed this nonce, if any (the cheap pre-check, a read). */
    Optional<StoredReceipt> findByNonce(Bytes receiptNonce);

    /** Stores the receipt atomically with its nonce, credit and budget use. */
    AcceptResult accept(AcceptedReceipt receipt);

    /** Stores a rejection. */
    void recordRejection(RejectedReceipt rejection);
}
