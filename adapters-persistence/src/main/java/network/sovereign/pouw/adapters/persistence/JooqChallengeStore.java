package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;

import java.time.Instant;
import java.util.Objects;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;

/**
 * Challenges on PostgreSQL and H2. {@code save} writes the token field by field (the columns the
 * queries, the retention job and the runbook use) and whole, as its deterministic protobuf encoding in
 * {@code token}; {@code find} decodes {@code token}, so it returns exactly the token that was issued,
 * signature and proof-type order included, with the budget used so far.
 *
 * <p>The budget columns ({@code used_receipts}, {@code used_bytes}) are written afterwards only by the
 * receipt ledger's conditional update (see {@link JooqReceiptLedger}).
 */
final class JooqChallengeStore implements ChallengeStore {

    /** Latest time a timestamp column holds on both databases without surprises (9999-12-31T23:59:59Z). */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private final DatabaseAccess db;

    JooqChallengeStore(DatabaseAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public void save(Challenge challenge) {
        Objects.requireNonNull(challenge, "challenge");
        ChallengeToken token = challenge.token();
        Policy policy = token.policy();
        if (!JooqClientDirectory.storable(challenge.clientDid())) {
            throw new IllegalArgumentException("a DID of at most 256 characters without NUL characters is required");
        }
        Instant issuedAt = instant("issued_at", token.issuedAt());
        Instant expiresAt = instant("expires_at", token.expiresAt());
        String allowed = policy.allowedProofTypes().stream().map(ProofType::jsonName).collect(Collectors.joining(","));
        byte[] encoded = CanonicalEncoding.encode(token);
        db.call("save challenge", dsl -> dsl.insertInto(CHALLENGES)
                .set(CHALLENGES.CHALLENGE_NONCE, token.challengeNonce().toArray())
                .set(CHALLENGES.TASK_ID, token.taskId().toArray())
                .set(CHALLENGES.CLIENT_DID, challenge.clientDid())
                .set(CHALLENGES.NODE_ID, token.nodeId().toArray())
                .set(CHALLENGES.ISSUED_AT, issuedAt)
                .set(CHALLENGES.EXPIRES_AT, expiresAt)
                .set(CHALLENGES.MAX_RECEIPTS, policy.maxReceipts())
                .set(CHALLENGES.MAX_BYTES_TOTAL, policy.maxBytesTotal())
                .set(CHALLENGES.MIN_BYTES_PER_RECEIPT, policy.minBytesPerReceipt())
                .set(CHALLENGES.ALLOWED_PROOF_TYPES, allowed)
                .set(CHALLENGES.TOKEN, encoded)
                .set(CHALLENGES.USED_RECEIPTS, challenge.usedReceipts())
                .set(CHALLENGES.USED_BYTES, challenge.usedBytes())
                .execute());
    }

    @Override
    public Optional<Challenge> find(Bytes challengeNonce) {
        Objects.requireNonNull(challengeNonce, "challengeNonce");
        return db.call("find challenge", dsl -> dsl
                        .select(CHALLENGES.TOKEN, CHALLENGES.CLIENT_DID, CHALLENGES.USED_RECEIPTS, CHALLENGES.USED_BYTES)
                        .from(CHALLENGES)
                        .where(CHALLENGES.CHALLENGE_NONCE.eq(challengeNonce.toArray()))
                        .fetchOptional())
                .map(r -> new Challenge(decode(challengeNonce, r.value1()), r.value2(), r.value3(), r.value4()));
    }

    /** One read for all the nonces (the budget figures as read; the ledger enforces the budget in its transaction). */
    @Override
    public Map<Bytes, Challenge> findAll(Collection<Bytes> challengeNonces) {
        Objects.requireNonNull(challengeNonces, "challengeNonces");
        if (challengeNonces.isEmpty()) {
            return Map.of();
        }
        List<byte[]> nonces = challengeNonces.stream().distinct().map(Bytes::toArray).toList();
        Map<Bytes, Challenge> found = new HashMap<>();
        db.call("find challenges", dsl -> dsl
                        .select(CHALLENGES.CHALLENGE_NONCE, CHALLENGES.TOKEN, CHALLENGES.CLIENT_DID, CHALLENGES.USED_RECEIPTS,
                                CHALLENGES.USED_BYTES)
                        .from(CHALLENGES)
                        .where(KeyLists.in(CHALLENGES.CHALLENGE_NONCE, nonces))
                        .fetch())
                .forEach(r -> {
                    Bytes nonce = Bytes.of(r.value1());
                    found.put(nonce, new Challenge(decode(nonce, r.value2()), r.value3(), r.value4(), r.value5()));
                });
        return found;
    }

    private static ChallengeToken decode(Bytes challengeNonce, byte[] encoded) {
        ChallengeToken token;
        try {
            token = ChallengeTokenDecoder.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored token of challenge " + challengeNonce.hex() + " is unreadable: " + e.getMessage(), e);
        }
        if (!token.challengeNonce().equals(challengeNonce)) {
            throw new IllegalStateException("stored token of challenge " + challengeNonce.hex() + " names another challenge");
        }
        return token;
    }

    /** A token time (unix seconds, uint64) as a column value. */
    private static Instant instant(String name, long epochSecond) {
        if (epochSecond < 0 || epochSecond > MAX_EPOCH_SECOND) {
            throw new IllegalArgumentException(name + " " + Long.toUnsignedString(epochSecond) + " is out of range");
        }
        return Instant.ofEpochSecond(epochSecond);
    }
}
