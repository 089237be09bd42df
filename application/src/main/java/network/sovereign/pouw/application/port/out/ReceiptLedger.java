package network.sovereign.pouw.application.port.out;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;

/**
 * Accepted and rejected receipts. {@link #acceptAll} is the authoritative replay check: nonce row,
 * receipt, reward credit and challenge budget commit in one transaction, and a unique key on the
 * nonce decides races between nodes (never check-then-insert).
 *
 * <p>The batch methods are the unit of work (one round trip for a whole batch); the single-receipt
 * forms are shorthands for a batch of one.
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
    default Optional<StoredReceipt> findByNonce(Bytes receiptNonce) {
        return Optional.ofNullable(findByNonces(List.of(receiptNonce)).get(receiptNonce));
    }

    /**
     * The accepted receipts that consumed any of these nonces, by nonce (nonces nobody consumed are
     * absent); one read for all of them.
     */
    default Map<Bytes, StoredReceipt> findByNonces(Collection<Bytes> receiptNonces) {
        Map<Bytes, StoredReceipt> found = new LinkedHashMap<>();
        for (Bytes nonce : receiptNonces) {
            findByNonce(nonce).ifPresent(stored -> found.put(nonce, stored));
        }
        return found;
    }

    /** Stores the receipt atomically with its nonce, credit and budget use. */
    default AcceptResult accept(AcceptedReceipt receipt) {
        return acceptAll(List.of(receipt)).getFirst();
    }

    /**
     * Stores each receipt atomically with its nonce, credit and budget use, and answers each in the
     * order given, only after the commit that stored it. A receipt refused (nonce taken, budget used
     * up) undoes nothing of its neighbours; the challenges' budgets are never exceeded however the
     * receipts are split or raced. Receipts may share transactions with other callers' (group commit).
     */
    default List<AcceptResult> acceptAll(List<AcceptedReceipt> receipts) {
        List<AcceptResult> results = new ArrayList<>(receipts.size());
        for (AcceptedReceipt receipt : receipts) {
            results.add(accept(receipt));
        }
        return results;
    }

    /** Stores a rejection. */
    default void recordRejection(RejectedReceipt rejection) {
        recordRejections(List.of(rejection));
    }

    /** Stores a batch's rejections in one statement. */
    default void recordRejections(List<RejectedReceipt> rejections) {
        rejections.forEach(this::recordRejection);
    }
}
