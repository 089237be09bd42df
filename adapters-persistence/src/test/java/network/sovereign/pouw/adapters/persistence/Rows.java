package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.RECEIPTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.USED_NONCES;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ChallengesRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ClientsRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ReceiptsRecord;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.UsedNoncesRecord;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;

/** Test rows, inserted through jOOQ: realistic values, distinct keys, times chosen by the test. */
final class Rows {

    static final String DID = "did:sov:test-client";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final DSLContext dsl;

    Rows(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Enrols {@link #DID} (the other rows reference it). */
    ClientsRecord client(Instant at) {
        return client(at, DID);
    }

    /** Enrols this DID. */
    ClientsRecord client(Instant at, String did) {
        ClientsRecord r = dsl.newRecord(CLIENTS);
        r.setDid(did);
        r.setSigScheme(SigScheme.ED25519.wireName());
        r.setPublicKey(bytes(32, 7));
        r.setEnrolledAt(at);
        r.setUpdatedAt(at);
        r.store();
        return r;
    }

    /** A challenge issued five minutes before it expires. */
    ChallengesRecord challenge(Instant expiresAt) {
        ChallengesRecord r = dsl.newRecord(CHALLENGES);
        r.setChallengeNonce(unique(24));
        r.setTaskId(unique(16));
        r.setClientDid(DID);
        r.setNodeId(bytes(32, 1));
        r.setIssuedAt(expiresAt.minusSeconds(300));
        r.setExpiresAt(expiresAt);
        r.setMaxReceipts(20);
        r.setMaxBytesTotal(10_485_760L);
        r.setMinBytesPerReceipt(1024L);
        r.setAllowedProofTypes("hash,merkle");
        r.setToken(bytes(180, 3));
        r.store();
        return r;
    }

    /** A nonce consumed at {@code createdAt}. */
    UsedNoncesRecord nonce(Instant createdAt) {
        UsedNoncesRecord r = dsl.newRecord(USED_NONCES);
        r.setReceiptNonce(unique(32));
        r.setClientDid(DID);
        r.setReceiptId("r-" + SEQUENCE.incrementAndGet());
        r.setChallengeNonce(unique(24));
        r.setCreatedAt(createdAt);
        r.store();
        return r;
    }

    /** An accepted receipt submitted at {@code submittedAt}, with every column filled in. */
    ReceiptsRecord receipt(Instant submittedAt) {
        long n = SEQUENCE.incrementAndGet();
        ReceiptsRecord r = dsl.newRecord(RECEIPTS);
        r.setReceiptId("rcpt-" + n);
        r.setClientDid(DID);
        r.setChallengeNonce(unique(24));
        r.setTaskId(unique(16));
        r.setReceiptNonce(unique(32));
        r.setContentId(unique(32));
        r.setProofType(ProofType.values()[(int) (n % 3)].jsonName());
        r.setBytesVerified(4096L + n);
        r.setResultOk(n % 2 == 0);
        r.setStartedAt(submittedAt.getEpochSecond() - 10);
        r.setFinishedAt(-1L); // uint64 max, as the client may sign it
        r.setSigScheme(SigScheme.ML_DSA_65.wireName());
        r.setSignedBytes(bytes(300, (int) n));
        r.setSignature(bytes(SigScheme.ML_DSA_65.signatureLength(), (int) n + 1));
        r.setRewardAtoms(BigInteger.TEN.pow(12).multiply(BigInteger.valueOf(3)).add(BigInteger.TEN.pow(30)));
        r.setEpoch(submittedAt.getEpochSecond() / 3600);
        r.setSubmittedAt(submittedAt);
        r.setValidatedAt(submittedAt.plusMillis(3));
        r.setNodeId(bytes(32, 1));
        r.store();
        return r;
    }

    /** Field-by-field equality of two records with the same column names (byte arrays by content). */
    static boolean sameValues(Record a, Record b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Field<?> field : a.fields()) {
            Object x = a.get(field);
            Object y = b.get(field.getName());
            boolean same = x instanceof byte[] xs && y instanceof byte[] ys ? Arrays.equals(xs, ys) : Objects.equals(x, y);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** Bytes unique across the test run. */
    static byte[] unique(int length) {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[length]);
        buffer.putLong(System.nanoTime()).putLong(SEQUENCE.incrementAndGet());
        return buffer.array();
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
