package network.sovereign.pouw.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * Builds a {@link Receipt} and signs it the way the node verifies it: the signature covers
 * {@link CanonicalEncoding#encode(Receipt)}, nothing else. Starts from sensible values for a challenge
 * (its task and nonce, the first allowed proof type, enough bytes for the policy, a fresh random
 * receipt nonce, random ids, a one-second piece of work that just finished, no {@code aux}); every
 * field can be changed. Not thread-safe.
 */
public final class ReceiptBuilder {

    /** {@code bytes_verified} when the policy asks for less. */
    static final long DEFAULT_BYTES = 4096;

    private static final SecureRandom RANDOM = new SecureRandom();

    private int version = 1;
    private Bytes taskId;
    private String clientDid;
    private Bytes clientNodeId;
    private Bytes providerId;
    private Bytes contentId;
    private ProofType proofType;
    private long bytesVerified;
    private boolean resultOk = true;
    private long startedAt;
    private long finishedAt;
    private Bytes receiptNonce;
    private Bytes challengeNonce;
    private Optional<Aux> aux = Optional.empty();

    private ReceiptBuilder() {
    }

    /** A receipt answering {@code challenge} for {@code clientDid}, with the defaults above and the system clock. */
    public static ReceiptBuilder answering(IssuedChallenge challenge, String clientDid) {
        return answering(challenge, clientDid, Clock.systemUTC());
    }

    /** As {@link #answering(IssuedChallenge, String)}, with the time taken from {@code clock}. */
    public static ReceiptBuilder answering(IssuedChallenge challenge, String clientDid, Clock clock) {
        ReceiptBuilder b = new ReceiptBuilder();
        long now = clock.instant().getEpochSecond();
        b.taskId = challenge.taskId();
        b.clientDid = Objects.requireNonNull(clientDid, "clientDid");
        b.clientNodeId = random(8);
        b.providerId = random(8);
        b.contentId = random(32);
        b.proofType = challenge.policy().allowedProofTypes().stream().findFirst().orElse(ProofType.HASH);
        b.bytesVerified = Long.compareUnsigned(challenge.policy().minBytesPerReceipt(), DEFAULT_BYTES) > 0
                ? challenge.policy().minBytesPerReceipt() : DEFAULT_BYTES;
        b.startedAt = now; // work starts after the challenge was issued (started_at >= issued_at - skew)
        b.finishedAt = now;
        b.receiptNonce = random(16);
        b.challengeNonce = challenge.challengeNonce();
        return b;
    }

    /** A builder with no field set, for checking values before there is a challenge (its {@link #build} fails). */
    static ReceiptBuilder blank() {
        return new ReceiptBuilder();
    }

    /** A builder holding every field of {@code receipt}, to derive a variant of it. */
    public static ReceiptBuilder from(Receipt receipt) {
        ReceiptBuilder b = new ReceiptBuilder();
        b.version = receipt.version();
        b.taskId = receipt.taskId();
        b.clientDid = receipt.clientDid();
        b.clientNodeId = receipt.clientNodeId();
        b.providerId = receipt.providerId();
        b.contentId = receipt.contentId();
        b.proofType = receipt.proofType();
        b.bytesVerified = receipt.bytesVerified();
        b.resultOk = receipt.resultOk();
        b.startedAt = receipt.startedAt();
        b.finishedAt = receipt.finishedAt();
        b.receiptNonce = receipt.receiptNonce();
        b.challengeNonce = receipt.challengeNonce();
        b.aux = receipt.aux();
        return b;
    }

    /** Signs the canonical encoding of {@code receipt} with {@code keys}, naming the keys' scheme. */
    public static SignedReceipt sign(Receipt receipt, ClientKeyPair keys) {
        return new SignedReceipt(receipt, keys.scheme().wireName(), Bytes.of(keys.sign(CanonicalEncoding.encode(receipt))));
    }

    /** {@code n} random bytes. */
    public static Bytes random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return Bytes.of(bytes);
    }

    /** Protocol version (1; anything else is {@code malformed_receipt}). */
    public ReceiptBuilder version(int value) {
        version = value;
        return this;
    }

    /** The task id. */
    public ReceiptBuilder taskId(Bytes value) {
        taskId = Objects.requireNonNull(value);
        return this;
    }

    /** The client's DID. */
    public ReceiptBuilder clientDid(String value) {
        clientDid = Objects.requireNonNull(value);
        return this;
    }

    /** The client's node id. */
    public ReceiptBuilder clientNodeId(Bytes value) {
        clientNodeId = Objects.requireNonNull(value);
        return this;
    }

    /** The content provider's id. */
    public ReceiptBuilder providerId(Bytes value) {
        providerId = Objects.requireNonNull(value);
        return this;
    }

    /** The content verified. */
    public ReceiptBuilder contentId(Bytes value) {
        contentId = Objects.requireNonNull(value);
        return this;
    }

    /** How it was verified. */
    public ReceiptBuilder proofType(ProofType value) {
        proofType = Objects.requireNonNull(value);
        return this;
    }

    /** Bytes verified (uint64: a negative long means 2^64 + value). */
    public ReceiptBuilder bytesVerified(long value) {
        bytesVerified = value;
        return this;
    }

    /** Whether the content verified. */
    public ReceiptBuilder resultOk(boolean value) {
        resultOk = value;
        return this;
    }

    /** When the work started, unix seconds. */
    public ReceiptBuilder startedAt(long value) {
        startedAt = value;
        return this;
    }

    /** When the work finished, unix seconds. */
    public ReceiptBuilder finishedAt(long value) {
        finishedAt = value;
        return this;
    }

    /** The receipt nonce (16..32 bytes). */
    public ReceiptBuilder receiptNonce(Bytes value) {
        receiptNonce = Objects.requireNonNull(value);
        return this;
    }

    /** The challenge answered. */
    public ReceiptBuilder challengeNonce(Bytes value) {
        challengeNonce = Objects.requireNonNull(value);
        return this;
    }

    /** A present {@code aux} (signed even when both fields are empty). */
    public ReceiptBuilder aux(Aux value) {
        aux = Optional.of(value);
        return this;
    }

    /** No {@code aux} at all. */
    public ReceiptBuilder noAux() {
        aux = Optional.empty();
        return this;
    }

    /** The receipt. */
    public Receipt build() {
        return new Receipt(version, taskId, clientDid, clientNodeId, providerId, contentId, proofType, bytesVerified, resultOk,
                startedAt, finishedAt, receiptNonce, challengeNonce, aux);
    }

    /** The receipt, signed with {@code keys}. */
    public SignedReceipt sign(ClientKeyPair keys) {
        return sign(build(), keys);
    }
}
