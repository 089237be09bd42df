package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.OperatorStoresFixture.accept;
import static network.sovereign.pouw.adapters.persistence.OperatorStoresFixture.compensate;
import static network.sovereign.pouw.adapters.persistence.OperatorStoresFixture.openChallenge;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.key;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.ADMIN_AUDIT;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.PAYOUTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.AdminAuditRecord;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.Payout;
import network.sovereign.pouw.application.port.out.PayoutStore;
import network.sovereign.pouw.application.port.out.PayoutStore.TransitionResult;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.PayoutStatus;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PayoutStore} on every database the node supports: one payout per client per
 * closed epoch, capped credits plus compensation, made idempotently also by two nodes at once; lists
 * filtered and paged newest epoch first; settlement steps only from allowed statuses, each with its
 * audit row in the same transaction.
 */
abstract class PayoutStoreContract extends ProtocolStoreContract {

    private static final String ALICE = "did:sov:alice";
    private static final String BOB = "did:sov:bob";
    private static final BigInteger CREDIT = BigInteger.TEN.pow(12);
    private static final BigInteger CAP = CREDIT.multiply(BigInteger.valueOf(3));

    private PayoutStore payouts;
    private Challenge alices;
    private Challenge bobs;

    @BeforeEach
    void arrange() {
        payouts = node.payouts();
        node.clientDirectory().enrol(key(ALICE, SigScheme.ED25519, 1), T0.minusSeconds(86_400));
        node.clientDirectory().enrol(key(BOB, SigScheme.ED25519, 2), T0.minusSeconds(86_400));
        alices = openChallenge(node, ALICE);
        bobs = openChallenge(node, BOB);
    }

    @AfterEach
    void emptyOperatorTables() {
        OperatorStoresFixture.emptyOperatorTables(dsl);
    }

    private int receipts = 0;

    private void credit(Challenge challenge, long epoch, int count) {
        for (int i = 0; i < count; i++) {
            accept(node, challenge, "r-" + epoch + "-" + (receipts++), T0, epoch, CREDIT);
        }
    }

    private static AuditEntry audit(String action, String target) {
        return new AuditEntry("alice", action, Optional.of(target), Optional.empty(), Optional.empty(), T0);
    }

    private List<Payout> all(OptionalLong epoch, Optional<PayoutStatus> status) {
        return payouts.list(epoch, status, Optional.empty(), 500);
    }

    @Test
    void a_closed_epoch_gets_one_pending_payout_per_client_capped_plus_compensation_once() {
        credit(alices, 5, 4);
        compensate(dsl, ALICE, 5, BigInteger.valueOf(7), T0);
        credit(bobs, 5, 1);
        credit(alices, 6, 1);

        assertEquals(2, payouts.materialise(OptionalLong.of(5), 9, CAP, T0.plusSeconds(99)));
        assertEquals(0, otherNode.payouts().materialise(OptionalLong.of(5), 9, CAP, T0.plusSeconds(100)), "idempotent");

        List<Payout> epoch5 = otherNode.payouts().list(OptionalLong.of(5), Optional.empty(), Optional.empty(), 10);
        assertEquals(2, epoch5.size());
        Payout alice = epoch5.stream().filter(p -> p.clientDid().equals(ALICE)).findFirst().orElseThrow();
        assertEquals(CAP.add(BigInteger.valueOf(7)), alice.amountAtoms(), "4 credits capped at 3, plus compensation");
        assertEquals(List.of(PayoutStatus.PENDING, Optional.empty(), T0.plusSeconds(99), T0.plusSeconds(99), 5L, JooqPayoutStore.payoutId(ALICE, 5)),
                List.of(alice.status(), alice.txHash(), alice.createdAt(), alice.updatedAt(), alice.epoch(), alice.rewardId()));
        Payout bob = epoch5.stream().filter(p -> p.clientDid().equals(BOB)).findFirst().orElseThrow();
        assertEquals(CREDIT, bob.amountAtoms());
        assertEquals(List.of(), all(OptionalLong.of(6), Optional.empty()), "only the epoch asked for");
        assertThrows(IllegalArgumentException.class, () -> payouts.materialise(OptionalLong.of(9), 9, CAP, T0));
    }

    @Test
    void without_an_epoch_every_closed_epoch_lacking_payouts_is_made_and_open_ones_are_not() {
        credit(alices, 1, 1);
        credit(alices, 2, 1);
        credit(bobs, 2, 1);
        credit(alices, 3, 1);

        assertEquals(2, payouts.materialise(OptionalLong.of(2), 3, CAP, T0), "two clients in epoch 2");
        assertEquals(1, payouts.materialise(OptionalLong.empty(), 3, CAP, T0), "epoch 1 only: 2 is done, 3 is open");
        assertEquals(List.of(2L, 2L, 1L), all(OptionalLong.empty(), Optional.empty()).stream().map(Payout::epoch).toList());
        assertEquals(1, payouts.materialise(OptionalLong.empty(), 4, CAP, T0), "epoch 3 once closed");
    }

    @Test
    void two_nodes_making_the_same_payouts_at_once_make_each_once() throws Exception {
        for (int epoch = 0; epoch < 4; epoch++) {
            credit(alices, epoch, 1);
            credit(bobs, epoch, 1);
        }
        for (int round = 0; round < 3; round++) {
            dsl.deleteFrom(PAYOUTS).execute();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> made = new ArrayList<>();
                for (Persistence via : List.of(node, otherNode, node, otherNode)) {
                    made.add(pool.submit(() -> {
                        start.await();
                        return via.payouts().materialise(OptionalLong.empty(), 4, CAP, T0);
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> f : made) {
                    total += f.get();
                }
                assertEquals(8, total, engine() + ": every row inserted by exactly one caller");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(8, dsl.fetchCount(PAYOUTS));
        }
    }

    @Test
    void lists_filter_by_epoch_and_status_and_page_newest_epoch_first() {
        for (int epoch = 0; epoch < 3; epoch++) {
            credit(alices, epoch, 1);
            credit(bobs, epoch, 1);
        }
        payouts.materialise(OptionalLong.empty(), 3, CAP, T0);
        String bob1 = JooqPayoutStore.payoutId(BOB, 1);
        payouts.transition(bob1, EnumSet.of(PayoutStatus.PENDING), PayoutStatus.PROCESSING, Optional.empty(), T0, audit("payout_processing", bob1));

        List<String> seen = new ArrayList<>();
        Optional<String> after = Optional.empty();
        for (int i = 0; i < 10; i++) {
            List<Payout> page = payouts.list(OptionalLong.empty(), Optional.empty(), after, 4);
            page.forEach(p -> seen.add(p.rewardId()));
            if (page.size() < 4) {
                break;
            }
            after = Optional.of(page.getLast().rewardId());
        }
        assertEquals(6, seen.size());
        assertEquals(6, seen.stream().distinct().count());
        assertEquals(List.of(2L, 2L, 1L, 1L, 0L, 0L), seen.stream().map(id -> all(OptionalLong.empty(), Optional.empty()).stream()
                .filter(p -> p.rewardId().equals(id)).findFirst().orElseThrow().epoch()).toList());
        assertEquals(List.of(bob1), all(OptionalLong.empty(), Optional.of(PayoutStatus.PROCESSING)).stream().map(Payout::rewardId).toList());
        assertEquals(1, all(OptionalLong.of(1), Optional.of(PayoutStatus.PENDING)).size());
        assertEquals(List.of(), all(OptionalLong.of(7), Optional.empty()));
    }

    @Test
    void a_step_moves_only_from_an_allowed_status_and_is_audited_in_the_same_transaction() {
        credit(alices, 0, 1);
        payouts.materialise(OptionalLong.of(0), 1, CAP, T0);
        String id = JooqPayoutStore.payoutId(ALICE, 0);

        Payout processing = assertInstanceOf(TransitionResult.Changed.class, otherNode.payouts().transition(id, EnumSet.of(PayoutStatus.PENDING,
                PayoutStatus.FAILED), PayoutStatus.PROCESSING, Optional.empty(), T0.plusSeconds(5), audit("payout_processing", id))).payout();
        assertEquals(PayoutStatus.PROCESSING, processing.status());
        assertEquals(T0.plusSeconds(5), processing.updatedAt());
        assertEquals(T0, processing.createdAt());

        Payout conflict = assertInstanceOf(TransitionResult.Conflict.class, payouts.transition(id, EnumSet.of(PayoutStatus.PENDING),
                PayoutStatus.PROCESSING, Optional.empty(), T0, audit("payout_processing", id))).current();
        assertEquals(PayoutStatus.PROCESSING, conflict.status());

        Payout paid = assertInstanceOf(TransitionResult.Changed.class, payouts.transition(id, EnumSet.of(PayoutStatus.PROCESSING),
                PayoutStatus.PAID, Optional.of("0xabc"), T0.plusSeconds(9), audit("payout_paid", id))).payout();
        assertEquals(Optional.of("0xabc"), paid.txHash());
        assertInstanceOf(TransitionResult.NotFound.class, payouts.transition("r-none", EnumSet.of(PayoutStatus.PENDING),
                PayoutStatus.PROCESSING, Optional.empty(), T0, audit("payout_processing", "r-none")));

        List<AdminAuditRecord> audit = dsl.selectFrom(ADMIN_AUDIT).orderBy(ADMIN_AUDIT.ID).fetch();
        assertEquals(List.of("payout_processing", "payout_paid"), audit.stream().map(AdminAuditRecord::getAction).toList(),
                "only changes are audited");
        assertEquals(id, audit.getFirst().getTarget());
    }

    @Test
    void when_the_audit_row_cannot_be_stored_the_step_is_rolled_back() {
        credit(alices, 0, 1);
        payouts.materialise(OptionalLong.of(0), 1, CAP, T0);
        String id = JooqPayoutStore.payoutId(ALICE, 0);
        dsl.execute("alter table admin_audit add constraint ck_test_no_explode check (action <> 'explode')");
        try {
            assertThrows(IllegalStateException.class, () -> payouts.transition(id, EnumSet.of(PayoutStatus.PENDING),
                    PayoutStatus.PROCESSING, Optional.empty(), T0, audit("explode", id)));
            assertEquals(PayoutStatus.PENDING, all(OptionalLong.of(0), Optional.empty()).getFirst().status());
        } finally {
            dsl.execute("alter table admin_audit drop constraint ck_test_no_explode");
        }
    }

    @Test
    void payout_ids_sort_by_epoch_and_tell_clients_apart() {
        assertTrue(JooqPayoutStore.payoutId(ALICE, -1).compareTo(JooqPayoutStore.payoutId(ALICE, 0)) < 0);
        assertTrue(JooqPayoutStore.payoutId(BOB, 9).compareTo(JooqPayoutStore.payoutId(ALICE, 10)) < 0);
        assertNotEquals(JooqPayoutStore.payoutId(ALICE, 3), JooqPayoutStore.payoutId(BOB, 3));
        assertTrue(JooqPayoutStore.payoutId(ALICE, Long.MAX_VALUE).length() <= 40);
    }
}
