package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.challenge;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.receipt;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.DISPUTE_EVENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.PAYOUTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.REWARD_ENTRIES;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.jooq.DSLContext;

/** Arranges ledger rows for the operator stores' contracts: receipts at chosen times and epochs, disputes, compensation. */
final class OperatorStoresFixture {

    private OperatorStoresFixture() {
    }

    /** Empties the tables the protocol contracts do not empty (payouts and disputes reference clients). */
    static void emptyOperatorTables(DSLContext dsl) {
        dsl.deleteFrom(REWARD_ENTRIES).execute();
        dsl.deleteFrom(PAYOUTS).execute();
        dsl.deleteFrom(DISPUTE_EVENTS).execute();
        dsl.deleteFrom(DISPUTES).execute();
    }

    /** A challenge for the DID with room for many receipts, saved by {@code persistence}. */
    static Challenge openChallenge(Persistence persistence, String did) {
        Challenge challenge = challenge(did, 1000, 1L << 40, List.of(ProofType.HASH, ProofType.MERKLE, ProofType.SIGNATURE));
        persistence.challengeStore().save(challenge);
        return challenge;
    }

    /** Accepts a receipt submitted at {@code at}, credited {@code atoms} in {@code epoch}; returns it. */
    static AcceptedReceipt accept(Persistence persistence, Challenge challenge, String receiptId, Instant at, long epoch, BigInteger atoms) {
        SignedReceipt signed = receipt(challenge, 2048);
        AcceptedReceipt accepted = new AcceptedReceipt(receiptId, signed, ProtocolFixtures.canonicalBytes(signed), SigScheme.ED25519,
                atoms, epoch, at, ProtocolFixtures.NODE_ID);
        ReceiptLedger.AcceptResult result = persistence.receiptLedger().accept(accepted);
        if (!(result instanceof ReceiptLedger.AcceptResult.Stored)) {
            throw new IllegalStateException("not stored: " + result);
        }
        return accepted;
    }

    /** Files a dispute for the DID; returns its id. */
    static String dispute(DSLContext dsl, String did, String status, Instant at) {
        String id = UUID.randomUUID().toString();
        dsl.insertInto(DISPUTES)
                .set(DISPUTES.DISPUTE_ID, id)
                .set(DISPUTES.CLIENT_DID, did)
                .set(DISPUTES.DISPUTE_TYPE, "RewardNotReceived")
                .set(DISPUTES.DESCRIPTION, "where is it")
                .set(DISPUTES.SIGNATURE, new byte[64])
                .set(DISPUTES.STATUS, status)
                .set(DISPUTES.CREATED_AT, at)
                .set(DISPUTES.RESOLVED_AT, status.startsWith("resolved") ? at.plusSeconds(60) : null)
                .execute();
        return id;
    }

    /** Credits a compensation entry for a new resolved dispute of the DID in {@code epoch}. */
    static void compensate(DSLContext dsl, String did, long epoch, BigInteger atoms, Instant at) {
        String disputeId = dispute(dsl, did, "resolved_for_claimant", at);
        dsl.insertInto(REWARD_ENTRIES)
                .set(REWARD_ENTRIES.CLIENT_DID, did)
                .set(REWARD_ENTRIES.EPOCH, epoch)
                .set(REWARD_ENTRIES.KIND, "compensation")
                .set(REWARD_ENTRIES.DISPUTE_ID, disputeId)
                .set(REWARD_ENTRIES.AMOUNT_ATOMS, atoms)
                .set(REWARD_ENTRIES.CREATED_AT, at)
                .execute();
    }
}
