package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.OperatorReadsUseCase.ClientHistory;
import network.sovereign.pouw.application.port.in.OperatorReadsUseCase.HistoryResult;
import network.sovereign.pouw.application.port.out.BlockEvent;
import network.sovereign.pouw.application.port.out.ClientHistoryStore;
import network.sovereign.pouw.application.port.out.DisputeSummary;
import network.sovereign.pouw.application.port.out.EpochRewards;
import network.sovereign.pouw.application.port.out.HistoryCursor;
import network.sovereign.pouw.application.port.out.ReceiptHistoryItem;
import network.sovereign.pouw.application.port.out.ReceiptRecord;
import network.sovereign.pouw.domain.EpochSchedule;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.RewardSchedule;
import org.junit.jupiter.api.Test;

/** A client's history: invalid DIDs, unknown DIDs, the cap applied per epoch, pages of receipts. */
class OperatorReadsServiceTest {

    private static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    /** Rows per DID in memory. */
    private static final class FakeStore implements ClientHistoryStore {
        final List<String> enrolled = new ArrayList<>();
        final List<String> blocked = new ArrayList<>();
        final List<ReceiptHistoryItem> receipts = new ArrayList<>();
        final List<EpochRewards> rewards = new ArrayList<>();

        @Override public Optional<ReceiptRecord> findReceipt(String receiptId) {
            return Optional.empty();
        }
        @Override public boolean isEnrolled(String did) {
            return enrolled.contains(did);
        }
        @Override public boolean isBlocked(String did) {
            return blocked.contains(did);
        }
        @Override public List<ReceiptHistoryItem> receipts(String did, Optional<HistoryCursor> after, int limit) {
            return receipts.stream().limit(limit).toList();
        }
        @Override public List<EpochRewards> rewards(String did, int limit) {
            return rewards;
        }
        @Override public List<DisputeSummary> disputes(String did, int limit) {
            return List.of();
        }
        @Override public List<BlockEvent> blockEvents(String did, int limit) {
            return blocked.contains(did) ? List.of(new BlockEvent("block", Optional.empty(), "alice", T)) : List.of();
        }
    }

    private final FakeStore store = new FakeStore();
    private final OperatorReadsService service = new OperatorReadsService(store,
            new RewardSchedule(Map.of(ProofType.HASH, 1, ProofType.MERKLE, 2, ProofType.SIGNATURE, 3), BigInteger.ONE,
                    BigInteger.valueOf(100), new EpochSchedule(0, 3600)));

    @Test
    void an_invalid_did_is_refused_and_a_did_without_any_row_is_unknown() {
        assertInstanceOf(HistoryResult.InvalidDid.class, service.history("alice", Optional.empty(), 50, 500));
        assertInstanceOf(HistoryResult.InvalidDid.class, service.history("did:sov:" + "a".repeat(260), Optional.empty(), 50, 500));
        assertInstanceOf(HistoryResult.Unknown.class, service.history("did:sov:nobody", Optional.empty(), 50, 500));

        store.blocked.add("did:sov:mallory");
        ClientHistory blocked = assertInstanceOf(HistoryResult.Found.class, service.history("did:sov:mallory", Optional.empty(), 50, 500)).history();
        assertEquals(List.of(false, true, 1), List.of(blocked.enrolled(), blocked.blocked(), blocked.blockEvents().size()),
                "a blocked DID that never enrolled has a history");
    }

    @Test
    void rewards_are_capped_per_epoch_and_compensation_is_added_outside_the_cap() {
        store.enrolled.add("did:sov:alice");
        store.rewards.add(new EpochRewards(2, BigInteger.valueOf(150), BigInteger.valueOf(7), Optional.empty()));
        store.rewards.add(new EpochRewards(1, BigInteger.valueOf(40), BigInteger.ZERO, Optional.empty()));
        for (int i = 0; i < 3; i++) {
            store.receipts.add(new ReceiptHistoryItem("r" + i, true, Optional.empty(), Optional.of("hash"), OptionalLong.of(1),
                    Optional.of(BigInteger.ONE), OptionalLong.of(1), T));
        }

        ClientHistory history = assertInstanceOf(HistoryResult.Found.class, service.history("did:sov:alice", Optional.empty(), 2, 500)).history();
        assertEquals(List.of(BigInteger.valueOf(100), BigInteger.valueOf(40)), history.rewards().stream().map(r -> r.cappedReceiptAtoms()).toList());
        assertEquals(List.of(BigInteger.valueOf(107), BigInteger.valueOf(40)), history.rewards().stream().map(r -> r.payableAtoms()).toList());
        assertEquals(2, history.receipts().items().size());
        assertTrue(history.receipts().more());
        assertTrue(history.enrolled());
    }

    @Test
    void receipt_ids_no_node_hands_out_are_not_looked_up() {
        assertEquals(Optional.empty(), service.receipt(""));
        assertEquals(Optional.empty(), service.receipt("x".repeat(41)));
    }
}
