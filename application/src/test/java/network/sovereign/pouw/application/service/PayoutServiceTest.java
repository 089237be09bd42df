package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import network.sovereign.pouw.application.port.in.PayoutsUseCase;
import network.sovereign.pouw.application.port.in.PayoutsUseCase.ListResult;
import network.sovereign.pouw.application.port.in.PayoutsUseCase.TransitionCommand;
import network.sovereign.pouw.application.port.in.PayoutsUseCase.TransitionResult;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.Payout;
import network.sovereign.pouw.application.port.out.PayoutStore;
import network.sovereign.pouw.domain.EpochSchedule;
import network.sovereign.pouw.domain.PayoutStatus;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.RewardSchedule;
import org.junit.jupiter.api.Test;

/** Payout listing (closed epochs only, rows made first) and the settlement state machine. */
class PayoutServiceTest {

    /** Epochs of 100 s from 1000: now (1555) is in epoch 5, so 0..4 are closed. */
    private static final Instant NOW = Instant.ofEpochSecond(1555);
    private static final BigInteger CAP = BigInteger.valueOf(1000);

    /** One payout in memory; records what the service asked for. */
    private static final class FakeStore implements PayoutStore {
        Payout payout = new Payout("r1", "did:sov:alice", 3, BigInteger.TEN, PayoutStatus.PENDING, Optional.empty(), NOW, NOW);
        final List<String> calls = new ArrayList<>();
        final List<AuditEntry> audit = new ArrayList<>();

        @Override
        public int materialise(OptionalLong epoch, long firstOpenEpoch, BigInteger capAtoms, Instant now) {
            calls.add("materialise " + epoch + " open " + firstOpenEpoch + " cap " + capAtoms);
            return 0;
        }

        @Override
        public List<Payout> list(OptionalLong epoch, Optional<PayoutStatus> status, Optional<String> afterId, int limit) {
            calls.add("list " + epoch + " " + status + " " + afterId + " " + limit);
            return List.of(payout, payout);
        }

        @Override
        public TransitionResult transition(String rewardId, Set<PayoutStatus> allowedFrom, PayoutStatus target, Optional<String> txHash,
                                           Instant at, AuditEntry entry) {
            if (!rewardId.equals(payout.rewardId())) {
                return new TransitionResult.NotFound();
            }
            if (!allowedFrom.contains(payout.status())) {
                return new TransitionResult.Conflict(payout);
            }
            payout = new Payout(payout.rewardId(), payout.clientDid(), payout.epoch(), payout.amountAtoms(), target,
                    txHash.or(payout::txHash), payout.createdAt(), at);
            audit.add(entry);
            return new TransitionResult.Changed(payout);
        }
    }

    private final FakeStore store = new FakeStore();
    private final PayoutService service = new PayoutService(store,
            new RewardSchedule(Map.of(ProofType.HASH, 1, ProofType.MERKLE, 2, ProofType.SIGNATURE, 3), BigInteger.ONE, CAP,
                    new EpochSchedule(1000, 100)), Clock.fixed(NOW, ZoneOffset.UTC), java.time.Duration.ZERO);

    private TransitionResult step(PayoutStatus target, String txHash) {
        return service.transition(new TransitionCommand("r1", target, Optional.ofNullable(txHash), Optional.empty(), "alice"));
    }

    @Test
    void a_closed_epoch_is_made_then_listed_and_an_open_one_is_refused() {
        ListResult.Listed listed = assertInstanceOf(ListResult.Listed.class, service.list(OptionalLong.of(4), Optional.of("pending"),
                Optional.of("after"), 1));
        assertEquals(1, listed.page().items().size());
        assertTrue(listed.page().more());
        assertEquals(List.of("materialise OptionalLong[4] open 5 cap 1000", "list OptionalLong[4] Optional[PENDING] Optional[after] 2"),
                store.calls);

        ListResult.Invalid open = assertInstanceOf(ListResult.Invalid.class, service.list(OptionalLong.of(5), Optional.empty(),
                Optional.empty(), 50));
        assertTrue(open.detail().contains("epoch 5 is not closed yet"), open.detail());
        assertTrue(open.detail().contains(Instant.ofEpochSecond(1600).toString()), open.detail());
        assertInstanceOf(ListResult.Invalid.class, service.list(OptionalLong.empty(), Optional.of("gone"), Optional.empty(), 50));
        assertEquals(2, store.calls.size(), "nothing made or read for a refused query");

        service.list(OptionalLong.empty(), Optional.empty(), Optional.empty(), 50);
        assertEquals("materialise OptionalLong.empty open 5 cap 1000", store.calls.get(2));
    }

    @Test
    void an_epoch_is_closed_only_once_it_has_settled() {
        // NOW is 55 s into epoch 5: with a 60 s settle time epoch 4 may still receive late credits.
        PayoutService settling = new PayoutService(store, new RewardSchedule(Map.of(ProofType.HASH, 1, ProofType.MERKLE, 2,
                ProofType.SIGNATURE, 3), BigInteger.ONE, CAP, new EpochSchedule(1000, 100)), Clock.fixed(NOW, ZoneOffset.UTC),
                java.time.Duration.ofSeconds(60));
        ListResult.Invalid settlingEpoch = assertInstanceOf(ListResult.Invalid.class, settling.list(OptionalLong.of(4), Optional.empty(),
                Optional.empty(), 50));
        assertTrue(settlingEpoch.detail().contains("closes at " + Instant.ofEpochSecond(1560)), settlingEpoch.detail());
        assertTrue(store.calls.isEmpty(), "no payout made for a settling epoch");
        settling.list(OptionalLong.empty(), Optional.empty(), Optional.empty(), 50);
        assertEquals(List.of("materialise OptionalLong.empty open 4 cap 1000"), store.calls.subList(0, 1));
        assertInstanceOf(ListResult.Listed.class, settling.list(OptionalLong.of(3), Optional.empty(), Optional.empty(), 50));
    }

    @Test
    void the_epochs_are_the_current_one_and_the_last_one_whose_payouts_can_be_listed() {
        PayoutsUseCase.Epochs epochs = service.epochs();
        assertEquals(new PayoutsUseCase.Epochs(5, Instant.ofEpochSecond(1500), Instant.ofEpochSecond(1600), 100, OptionalLong.of(4)), epochs);
        // 55 s into epoch 5 with a 60 s settle time, epoch 4 is not closed yet: the last closed one is 3.
        PayoutService settling = new PayoutService(store, new RewardSchedule(Map.of(ProofType.HASH, 1, ProofType.MERKLE, 2,
                ProofType.SIGNATURE, 3), BigInteger.ONE, CAP, new EpochSchedule(1000, 100)), Clock.fixed(NOW, ZoneOffset.UTC),
                java.time.Duration.ofSeconds(60));
        assertEquals(OptionalLong.of(3), settling.epochs().lastClosed());
        assertEquals(5, settling.epochs().current());
        assertTrue(store.calls.isEmpty(), "reading the calendar makes no payouts");
        // In the first epoch after genesis none is closed.
        PayoutService first = new PayoutService(store, new RewardSchedule(Map.of(ProofType.HASH, 1, ProofType.MERKLE, 2,
                ProofType.SIGNATURE, 3), BigInteger.ONE, CAP, new EpochSchedule(1500, 100)), Clock.fixed(NOW, ZoneOffset.UTC),
                java.time.Duration.ZERO);
        assertEquals(OptionalLong.empty(), first.epochs().lastClosed());
    }

    @Test
    void settlement_follows_pending_processing_paid_or_failed_and_retries() {
        assertInstanceOf(TransitionResult.Conflict.class, step(PayoutStatus.PAID, "0xabc"), "pending cannot be paid");
        assertInstanceOf(TransitionResult.Changed.class, step(PayoutStatus.PROCESSING, null));
        assertInstanceOf(TransitionResult.Changed.class, step(PayoutStatus.FAILED, null));
        assertInstanceOf(TransitionResult.Conflict.class, step(PayoutStatus.FAILED, null));
        assertInstanceOf(TransitionResult.Changed.class, step(PayoutStatus.PROCESSING, null), "a failed payout is retried");
        Payout paid = assertInstanceOf(TransitionResult.Changed.class, step(PayoutStatus.PAID, " 0xabc ")).payout();
        assertEquals(Optional.of("0xabc"), paid.txHash());

        assertEquals(paid, assertInstanceOf(TransitionResult.Unchanged.class, step(PayoutStatus.PAID, "0xabc")).payout());
        assertTrue(assertInstanceOf(TransitionResult.Conflict.class, step(PayoutStatus.PAID, "0xdef")).detail().contains("another tx_hash"));
        assertTrue(assertInstanceOf(TransitionResult.Conflict.class, step(PayoutStatus.PROCESSING, null)).detail().contains("final"));

        assertEquals(List.of("payout_processing", "payout_failed", "payout_processing", "payout_paid"),
                store.audit.stream().map(AuditEntry::action).toList());
        assertEquals(Optional.of("r1"), store.audit.getFirst().target());
        assertEquals(Optional.of("tx_hash=0xabc"), store.audit.getLast().details());
    }

    @Test
    void paid_needs_a_tx_hash_and_an_unknown_id_is_not_found() {
        assertInstanceOf(TransitionResult.Invalid.class, step(PayoutStatus.PAID, null));
        assertInstanceOf(TransitionResult.Invalid.class, step(PayoutStatus.PAID, "  "));
        assertInstanceOf(TransitionResult.Invalid.class, step(PayoutStatus.PAID, "x".repeat(129)));
        assertInstanceOf(TransitionResult.Invalid.class, step(PayoutStatus.PAID, "0x ab"));
        assertEquals(PayoutStatus.PENDING, store.payout.status());
        assertInstanceOf(TransitionResult.NotFound.class, service.transition(new TransitionCommand("r2", PayoutStatus.PROCESSING,
                Optional.empty(), Optional.empty(), "alice")));
        assertEquals(List.of(), store.audit, "nothing was audited");
    }
}
