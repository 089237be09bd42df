package network.sovereign.pouw.application.service;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.OperatorReadsUseCase;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.BlockEvent;
import network.sovereign.pouw.application.port.out.ClientHistoryStore;
import network.sovereign.pouw.application.port.out.DisputeSummary;
import network.sovereign.pouw.application.port.out.EpochRewards;
import network.sovereign.pouw.application.port.out.HistoryCursor;
import network.sovereign.pouw.application.port.out.ReceiptHistoryItem;
import network.sovereign.pouw.application.port.out.ReceiptRecord;
import network.sovereign.pouw.domain.Did;
import network.sovereign.pouw.domain.RewardSchedule;

/**
 * The operator's reads: a receipt by id, and a client's history with the epoch cap applied to its
 * rewards. A DID the node has nothing about (not enrolled, no row anywhere) is unknown.
 */
public final class OperatorReadsService implements OperatorReadsUseCase {

    private final ClientHistoryStore store;
    private final RewardSchedule rewards;

    /** Creates the service. */
    public OperatorReadsService(ClientHistoryStore store, RewardSchedule rewards) {
        this.store = Objects.requireNonNull(store, "store");
        this.rewards = Objects.requireNonNull(rewards, "rewards");
    }

    @Override
    public Optional<ReceiptRecord> receipt(String receiptId) {
        Objects.requireNonNull(receiptId, "receiptId");
        if (receiptId.isEmpty() || receiptId.length() > 40 || !receiptId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // No id the node hands out looks like this.
            return Optional.empty();
        }
        return store.findReceipt(receiptId);
    }

    @Override
    public HistoryResult history(String did, Optional<HistoryCursor> after, int limit, int listLimit) {
        Objects.requireNonNull(after, "after");
        Page.checkLimit(limit);
        if (listLimit < 1) {
            throw new IllegalArgumentException("listLimit must be at least 1");
        }
        if (!Did.isValid(did)) {
            return new HistoryResult.InvalidDid("client_did is not a DID (did:<method>:<id>, at most " + Did.MAX_LENGTH + " characters)");
        }
        boolean enrolled = store.isEnrolled(did);
        boolean blocked = store.isBlocked(did);
        Page<ReceiptHistoryItem> receipts = Page.of(store.receipts(did, after, limit + 1), limit);
        List<EpochRewards> totals = store.rewards(did, listLimit);
        List<DisputeSummary> disputes = store.disputes(did, listLimit);
        List<BlockEvent> blockEvents = store.blockEvents(did, listLimit);
        if (!enrolled && !blocked && after.isEmpty() && receipts.items().isEmpty() && totals.isEmpty() && disputes.isEmpty()
                && blockEvents.isEmpty()) {
            return new HistoryResult.Unknown();
        }
        List<EpochPayable> payable = totals.stream().map(this::payable).toList();
        return new HistoryResult.Found(new ClientHistory(did, enrolled, blocked, receipts, payable, disputes, blockEvents));
    }

    private EpochPayable payable(EpochRewards totals) {
        BigInteger capped = totals.receiptAtoms().min(rewards.capAtoms());
        return new EpochPayable(totals, capped, rewards.payable(totals.receiptAtoms(), totals.compensationAtoms()));
    }
}
