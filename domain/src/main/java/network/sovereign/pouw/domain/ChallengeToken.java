package network.sovereign.pouw.domain;

import java.util.Objects;

/**
 * A challenge as the node issues and signs it (pouw.v1 {@code ChallengeToken}). The node signs the
 * canonical encoding of the token with an empty {@code nodeSignature}.
 *
 * @param version        protocol version, 1
 * @param nodeId         SHA-256 of the node's public key
 * @param taskId         the task this challenge is for
 * @param challengeNonce random, 16..32 bytes; identifies the challenge
 * @param issuedAt       unix seconds
 * @param expiresAt      unix seconds
 * @param policy         what receipts answering it may claim
 * @param nodeSignature  the node's signature, empty while signing
 */
public record ChallengeToken(int version, Bytes nodeId, Bytes taskId, Bytes challengeNonce, long issuedAt,
                             long expiresAt, Policy policy, Bytes nodeSignature) {

    /** Checks the invariants. */
    public ChallengeToken {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(challengeNonce, "challengeNonce");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(nodeSignature, "nodeSignature");
    }

    /** The same token with another signature (empty for signing). */
    public ChallengeToken withSignature(Bytes signature) {
        return new ChallengeToken(version, nodeId, taskId, challengeNonce, issuedAt, expiresAt, policy, signature);
    }
}
