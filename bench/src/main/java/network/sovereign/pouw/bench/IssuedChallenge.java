package network.sovereign.pouw.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.adapters.crypto.BouncyCastleSignatureVerifier;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.SigScheme;

/**
 * A challenge as {@code POST /api/v1/pouw/challenges} returns it: the binary token (base64) and the
 * same token as JSON.
 *
 * @param token     base64 (standard, padded) of the binary {@code ChallengeToken}
 * @param challenge the token's fields as the JSON answer gives them
 * @param expiresAt the answer's top-level {@code expires_at}, unix seconds
 */
public record IssuedChallenge(String token, ChallengeToken challenge, long expiresAt) {

    /** Checks that nothing is null. */
    public IssuedChallenge {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(challenge, "challenge");
    }

    /** The challenge's task id, which receipts repeat. */
    public Bytes taskId() {
        return challenge.taskId();
    }

    /** The challenge's nonce, which receipts name. */
    public Bytes challengeNonce() {
        return challenge.challengeNonce();
    }

    /** What receipts answering it may claim. */
    public Policy policy() {
        return challenge.policy();
    }

    /** The challenge's lifetime the node chose, {@code expires_at - issued_at} in seconds. */
    public long ttlSeconds() {
        return challenge.expiresAt() - challenge.issuedAt();
    }

    /**
     * The binary token.
     *
     * @throws IllegalArgumentException when {@link #token()} is not base64
     */
    public byte[] tokenBytes() {
        return Base64.getDecoder().decode(token);
    }

    /**
     * Checks what a careful client checks before doing the work: the binary token is the JSON one,
     * the node id is the SHA-256 of the node's key, and the node's signature over the token verifies
     * with that key.
     *
     * @return what is wrong, or empty when the challenge is genuine
     */
    public Optional<String> verify(NodeInfo node) {
        byte[] binary;
        try {
            binary = tokenBytes();
        } catch (IllegalArgumentException e) {
            return Optional.of("token is not base64");
        }
        if (!Arrays.equals(binary, CanonicalEncoding.encode(challenge))) {
            return Optional.of("the binary token differs from the JSON challenge");
        }
        if (expiresAt != challenge.expiresAt()) {
            return Optional.of("expires_at differs from the token's");
        }
        if (!challenge.nodeId().equals(Bytes.of(sha256(node.publicKey().toArray())))) {
            return Optional.of("node_id is not the SHA-256 of the node's public key");
        }
        Optional<SigScheme> scheme = SigScheme.fromWireName(node.sigScheme());
        if (scheme.isEmpty()) {
            return Optional.of("unknown node key scheme '" + node.sigScheme() + "'");
        }
        boolean valid = new BouncyCastleSignatureVerifier().verify(scheme.get(), node.publicKey().toArray(),
                CanonicalEncoding.encodeForSigning(challenge), challenge.nodeSignature().toArray());
        return valid ? Optional.empty() : Optional.of("the node signature does not verify with the node's " + node.sigScheme() + " key");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
