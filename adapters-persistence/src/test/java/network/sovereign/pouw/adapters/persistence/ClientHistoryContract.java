package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.OperatorStoresFixture.accept;
import static network.sovereign.pouw.adapters.persistence.OperatorStoresFixture.compensate;
import static network.sovereign.pouw.adapters.persistence.OperatorStoresFixture.dispute;
import static network.sovereign.pouw.adapters.persistence.OperatorStoresFixture.openChallenge;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.key;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.unique;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.PAYOUTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.BlockEvent;
import network.sovereign.pouw.application.port.out.ClientHistoryStore;
import network.sovereign.pouw.application.port.out.DisputeSummary;
import network.sovereign.pouw.application.port.out.EpochRewards;
import network.sovereign.pouw.application.port.out.HistoryCursor;
import network.sovereign.pouw.application.port.out.ReceiptHistoryItem;
import network.sovereign.pouw.application.port.out.ReceiptRecord;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.PayoutStatus;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ClientHistoryStore} on every database the node supports: a receipt by id
 * from any of receipts, receipts_archive and rejections; a client's receipts of both outcomes newest
 * first, paged without loss or repetition; rewards per epoch with their payout status; disputes and
 * block events; only the client's own rows.
 */
abstract class ClientHistoryContract extends ProtocolStoreContract {

    private static final String DID = "did:sov:alice";
    private static final String OTHER_DID = "did:sov:bob";
    private static final BigInteger CREDIT = BigInteger.TEN.pow(12);

    private ClientHistoryStore history;
    private Challenge challenge;
    private Challenge otherChallenge;

    @BeforeEach
    void arrange() {
        history = node.clientHistory();
        node.clientDirectory().enrol(key(DID, SigScheme.ED25519, 1), T0.minusSeconds(86_400));
        node.clientDirectory().enrol(key(OTHER_DID, SigScheme.ED25519, 2), T0.minusSeconds(86_400));
        challenge = openChallenge(node, DID);
        otherChallenge = openChallenge(node, OTHER_DID);
    }

    @AfterEach
    void emptyOperatorTables() {
        OperatorStoresFixture.emptyOperatorTables(dsl);
    }

    private RejectedReceipt rejection(String id, String did, Instant at) {
        return new RejectedReceipt(id, Optional.of(did), Optional.of(unique(32)), Optional.of(challenge.token().challengeNonce()),
                RejectionReason.INVALID_SIGNATURE, "the signature does not verify with the enrolled key", "ed25519",
                Bytes.of(new byte[] {1, 2, 3}), Bytes.of(new byte[64]), at, true);
    }

    private void archive(String receiptId) {
        dsl.execute("insert into receipts_archive select * from receipts where receipt_id = ?", receiptId);
        dsl.execute("delete from receipts where receipt_id = ?", receiptId);
    }

    @Test
    void a_receipt_is_found_by_id_live_archived_or_rejected_and_an_unknown_id_is_not() {
        AcceptedReceipt live = accept(node, challenge, "r-live", T0, 7, CREDIT);
        accept(node, challenge, "r-archived", T0.plusSeconds(1), 7, CREDIT);
        archive("r-archived");
        node.receiptLedger().recordRejection(rejection("x-rejected", DID, T0.plusSeconds(2)));

        ReceiptRecord.Accepted found = assertInstanceOf(ReceiptRecord.Accepted.class, otherNode.clientHistory().findReceipt("r-live").orElseThrow());
        var r = live.signed().receipt();
        assertEquals(List.of("r-live", DID, r.challengeNonce(), r.receiptNonce(), r.taskId(), r.contentId(), "merkle", 2048L, true,
                        r.startedAt(), r.finishedAt(), "ed25519", live.signed().signature(), CREDIT, 7L, T0, T0, ProtocolFixtures.NODE_ID, false),
                List.of(found.receiptId(), found.clientDid(), found.challengeNonce(), found.receiptNonce(), found.taskId(), found.contentId(),
                        found.proofType(), found.bytesVerified(), found.resultOk(), found.startedAt(), found.finishedAt(), found.sigScheme(),
                        found.signature(), found.rewardAtoms(), found.epoch(), found.submittedAt(), found.validatedAt(), found.nodeId(),
                        found.archived()));
        assertTrue(assertInstanceOf(ReceiptRecord.Accepted.class, history.findReceipt("r-archived").orElseThrow()).archived());
        ReceiptRecord.Rejected rejected = assertInstanceOf(ReceiptRecord.Rejected.class, history.findReceipt("x-rejected").orElseThrow());
        assertEquals(RejectionReason.INVALID_SIGNATURE, rejected.reason());
        assertEquals(Optional.of(DID), rejected.clientDid());
        assertEquals(Optional.of("ed25519"), rejected.sigScheme());
        assertEquals(T0.plusSeconds(2), rejected.submittedAt());
        assertTrue(rejected.receiptNonce().isPresent());
        assertEquals(Optional.empty(), history.findReceipt("nope"));
    }

    @Test
    void history_pages_both_outcomes_newest_first_without_loss_or_repetition() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // Two items share each second, so ties are ordered by id.
            Instant at = T0.plusSeconds(i);
            accept(node, challenge, "a-" + i, at, 1, CREDIT);
            node.receiptLedger().recordRejection(rejection("b-" + i, DID, at));
            expected.add(0, "a-" + i);
            expected.add(0, "b-" + i);
        }
        archive("a-0");
        archive("a-3");
        accept(node, otherChallenge, "a-other", T0.plusSeconds(3), 1, CREDIT);
        node.receiptLedger().recordRejection(rejection("b-other", OTHER_DID, T0.plusSeconds(3)));

        List<String> seen = new ArrayList<>();
        Optional<HistoryCursor> after = Optional.empty();
        for (int pages = 0; pages < 20; pages++) {
            List<ReceiptHistoryItem> page = history.receipts(DID, after, 3);
            page.forEach(item -> seen.add(item.receiptId()));
            if (page.size() < 3) {
                break;
            }
            ReceiptHistoryItem last = page.getLast();
            after = Optional.of(new HistoryCursor(last.submittedAt(), last.receiptId()));
        }
        assertEquals(expected, seen);

        ReceiptHistoryItem accepted = history.receipts(DID, Optional.empty(), 2).get(1);
        assertEquals(List.of("a-6", true, Optional.empty(), Optional.of("merkle"), 2048L, Optional.of(CREDIT), 1L, T0.plusSeconds(6)),
                List.of(accepted.receiptId(), accepted.accepted(), accepted.reason(), accepted.proofType(),
                        accepted.bytesVerified().getAsLong(), accepted.rewardAtoms(), accepted.epoch().getAsLong(), accepted.submittedAt()));
        ReceiptHistoryItem rejected = history.receipts(DID, Optional.empty(), 1).getFirst();
        assertEquals(List.of("b-6", false, Optional.of("invalid_signature"), Optional.empty()),
                List.of(rejected.receiptId(), rejected.accepted(), rejected.reason(), rejected.proofType()));
    }

    @Test
    void rewards_are_totalled_per_epoch_newest_first_with_the_payout_status() {
        accept(node, challenge, "e1-a", T0, 1, CREDIT);
        accept(node, challenge, "e1-b", T0.plusSeconds(1), 1, CREDIT);
        accept(node, challenge, "e2-a", T0.plusSeconds(3600), 2, CREDIT.multiply(BigInteger.TWO));
        compensate(dsl, DID, 2, BigInteger.valueOf(5), T0.plusSeconds(3700));
        accept(node, otherChallenge, "other", T0, 1, CREDIT);
        dsl.insertInto(PAYOUTS).set(PAYOUTS.PAYOUT_ID, "p1").set(PAYOUTS.CLIENT_DID, DID).set(PAYOUTS.EPOCH, 1L)
                .set(PAYOUTS.AMOUNT_ATOMS, CREDIT.multiply(BigInteger.TWO)).set(PAYOUTS.STATUS, "paid")
                .set(PAYOUTS.CREATED_AT, T0).set(PAYOUTS.UPDATED_AT, T0).execute();

        assertEquals(List.of(
                        new EpochRewards(2, CREDIT.multiply(BigInteger.TWO), BigInteger.valueOf(5), Optional.empty()),
                        new EpochRewards(1, CREDIT.multiply(BigInteger.TWO), BigInteger.ZERO, Optional.of(PayoutStatus.PAID))),
                history.rewards(DID, 10));
        assertEquals(1, history.rewards(DID, 1).size());
        assertEquals(List.of(), history.rewards("did:sov:nobody", 10));
    }

    @Test
    void disputes_and_block_events_are_the_clients_own_newest_first() {
        String older = dispute(dsl, DID, "open", T0);
        String newer = dispute(dsl, DID, "resolved_for_claimant", T0.plusSeconds(10));
        dispute(dsl, OTHER_DID, "open", T0);
        node.blockList().block(DID, Optional.of("spam"), "alice", T0,
                new AuditEntry("alice", "block_did", Optional.of(DID), Optional.of("spam"), Optional.empty(), T0));
        node.blockList().unblock(DID, "bob", Optional.empty(), T0.plusSeconds(5),
                new AuditEntry("bob", "unblock_did", Optional.of(DID), Optional.empty(), Optional.empty(), T0.plusSeconds(5)));

        List<DisputeSummary> disputes = history.disputes(DID, 10);
        assertEquals(List.of(newer, older), disputes.stream().map(DisputeSummary::disputeId).toList());
        assertEquals(Optional.of(T0.plusSeconds(70)), disputes.getFirst().resolvedAt());
        assertEquals(Optional.empty(), disputes.get(1).resolvedAt());
        assertEquals("RewardNotReceived", disputes.getFirst().disputeType());
        assertEquals(List.of(new BlockEvent("unblock", Optional.empty(), "bob", T0.plusSeconds(5)),
                new BlockEvent("block", Optional.of("spam"), "alice", T0)), history.blockEvents(DID, 10));
        assertEquals(1, history.blockEvents(DID, 1).size());
    }

    @Test
    void enrolment_and_block_state_are_read_from_the_database() {
        assertTrue(history.isEnrolled(DID));
        assertFalse(history.isEnrolled("did:sov:nobody"));
        assertFalse(history.isBlocked(DID));
        otherNode.blockList().block(DID, Optional.empty(), "alice", T0,
                new AuditEntry("alice", "block_did", Optional.of(DID), Optional.empty(), Optional.empty(), T0));
        assertTrue(history.isBlocked(DID));
    }
}
