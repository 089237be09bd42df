package network.sovereign.pouw.domain;

import java.util.Optional;

/**
 * The receipt rules of SPEC §3 that need nothing but the receipt, its challenge and the time: shape,
 * challenge binding, expiry and policy. Each check answers the first broken rule, or nothing.
 */
public final class ReceiptRules {

    /** The only protocol version. */
    public static final int PROTOCOL_VERSION = 1;
    /** Shortest nonce or task id. */
    public static final int MIN_ID_LENGTH = 16;
    /** Longest nonce or task id. */
    public static final int MAX_ID_LENGTH = 32;

    private ReceiptRules() {
    }

    /** Shape: version, id lengths, content id, time order, and the receipt's DID against the batch's. */
    public static Optional<Violation> checkShape(SignedReceipt signed, String batchDid) {
        Receipt r = signed.receipt();
        if (r.version() != PROTOCOL_VERSION) {
            return malformed("unsupported protocol version " + Integer.toUnsignedString(r.version()));
        }
        Optional<Violation> ids = checkId("receipt_nonce", r.receiptNonce())
                .or(() -> checkId("challenge_nonce", r.challengeNonce()))
                .or(() -> checkId("task_id", r.taskId()));
        if (ids.isPresent()) {
            return ids;
        }
        if (r.contentId().isEmpty()) {
            return malformed("content_id is empty");
        }
        if (Long.compareUnsigned(r.startedAt(), r.finishedAt()) > 0) {
            return malformed("started_at " + Long.toUnsignedString(r.startedAt()) + " is after finished_at "
                    + Long.toUnsignedString(r.finishedAt()));
        }
        if (!r.clientDid().equals(batchDid)) {
            return malformed("receipt client_did differs from the batch's client_did");
        }
        return Optional.empty();
    }

    /** Binding: the challenge exists, was issued to this DID, and names the receipt's task. */
    public static Optional<Violation> checkBinding(Receipt receipt, Optional<Challenge> challenge) {
        if (challenge.isEmpty()) {
            return violation(RejectionReason.INVALID_CHALLENGE_BINDING, "no challenge " + receipt.challengeNonce().hex());
        }
        Challenge c = challenge.get();
        if (!c.clientDid().equals(receipt.clientDid())) {
            return violation(RejectionReason.INVALID_CHALLENGE_BINDING, "the challenge was issued to another DID");
        }
        if (!c.token().taskId().equals(receipt.taskId())) {
            return violation(RejectionReason.INVALID_CHALLENGE_BINDING, "task_id differs from the challenge's");
        }
        return Optional.empty();
    }

    /** Expiry: expired when {@code now > expires_at + skew}. */
    public static Optional<Violation> checkExpiry(ChallengeToken token, long nowEpochSecond, long clockSkewSeconds) {
        long deadline = saturatedAdd(token.expiresAt(), clockSkewSeconds);
        if (Long.compareUnsigned(nowEpochSecond, deadline) > 0) {
            return violation(RejectionReason.EXPIRED_CHALLENGE, "challenge expired at " + Long.toUnsignedString(token.expiresAt())
                    + ", now " + nowEpochSecond + " (skew " + clockSkewSeconds + " s)");
        }
        return Optional.empty();
    }

    /**
     * Policy: proof type allowed and enough bytes. The budget is not checked here: only the store can
     * decide it, atomically and after the nonce (a receipt racing its own replay on another node must
     * be answered as a replay, not as over budget); {@link #checkBudget} explains its refusal.
     */
    public static Optional<Violation> checkPolicy(Receipt receipt, Challenge challenge) {
        Policy policy = challenge.token().policy();
        if (!policy.allows(receipt.proofType())) {
            return violation(RejectionReason.POLICY_VIOLATION, "proof type " + receipt.proofType().jsonName() + " is not allowed");
        }
        if (Long.compareUnsigned(receipt.bytesVerified(), policy.minBytesPerReceipt()) < 0) {
            return violation(RejectionReason.POLICY_VIOLATION, "bytes_verified " + Long.toUnsignedString(receipt.bytesVerified())
                    + " is below the minimum " + policy.minBytesPerReceipt());
        }
        return Optional.empty();
    }

    /**
     * Times: the work lies within the challenge's window, {@code issued_at - skew <= started_at} and
     * {@code finished_at <= now + skew} (started_at <= finished_at is a shape rule); else
     * {@code policy_violation}.
     */
    public static Optional<Violation> checkTimes(Receipt receipt, ChallengeToken token, long nowEpochSecond, long clockSkewSeconds) {
        long earliest = Long.compareUnsigned(token.issuedAt(), clockSkewSeconds) < 0 ? 0 : token.issuedAt() - clockSkewSeconds;
        if (Long.compareUnsigned(receipt.startedAt(), earliest) < 0) {
            return violation(RejectionReason.POLICY_VIOLATION, "started_at " + Long.toUnsignedString(receipt.startedAt())
                    + " is before the challenge was issued (" + Long.toUnsignedString(token.issuedAt()) + ", skew " + clockSkewSeconds + " s)");
        }
        long latest = saturatedAdd(nowEpochSecond, clockSkewSeconds);
        if (Long.compareUnsigned(receipt.finishedAt(), latest) > 0) {
            return violation(RejectionReason.POLICY_VIOLATION, "finished_at " + Long.toUnsignedString(receipt.finishedAt())
                    + " is in the future (now " + nowEpochSecond + ", skew " + clockSkewSeconds + " s)");
        }
        return Optional.empty();
    }

    /** Budget: one more receipt and its bytes still fit the challenge as last read. */
    public static Optional<Violation> checkBudget(Receipt receipt, Challenge challenge) {
        Policy policy = challenge.token().policy();
        if (challenge.usedReceipts() >= policy.maxReceipts()) {
            return violation(RejectionReason.POLICY_VIOLATION, "the challenge's max_receipts (" + policy.maxReceipts() + ") is used up");
        }
        long remaining = policy.maxBytesTotal() - challenge.usedBytes();
        if (receipt.bytesVerified() < 0 || receipt.bytesVerified() > remaining) {
            return violation(RejectionReason.POLICY_VIOLATION, "bytes_verified " + Long.toUnsignedString(receipt.bytesVerified())
                    + " exceeds the " + Math.max(remaining, 0) + " bytes left of max_bytes_total " + policy.maxBytesTotal());
        }
        return Optional.empty();
    }

    private static Optional<Violation> checkId(String field, Bytes id) {
        if (id.length() < MIN_ID_LENGTH || id.length() > MAX_ID_LENGTH) {
            return malformed(field + " must be " + MIN_ID_LENGTH + ".." + MAX_ID_LENGTH + " bytes, got " + id.length());
        }
        return Optional.empty();
    }

    private static Optional<Violation> malformed(String detail) {
        return violation(RejectionReason.MALFORMED_RECEIPT, detail);
    }

    private static Optional<Violation> violation(RejectionReason reason, String detail) {
        return Optional.of(new Violation(reason, detail));
    }

    private static long saturatedAdd(long unsignedValue, long add) {
        long sum = unsignedValue + add;
        return Long.compareUnsigned(sum, unsignedValue) < 0 ? -1L : sum; // -1 is the unsigned maximum
    }
}
