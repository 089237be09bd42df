package network.sovereign.pouw.adapters.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.domain.SigScheme;

/**
 * The node's signing key, {@code ed25519} (default) or {@code ml-dsa-65}, held in memory by
 * BouncyCastle, whose {@code nodeId} is SHA-256 of the raw public key.
 *
 * <p>Secret encoding ({@code POUW_NODE_SECRET_KEY}, base64, and the key file's {@code secret_key}): the
 * 32-byte seed for both schemes — for ed25519 the RFC 8032 private key, for ml-dsa-65 the FIPS 204
 * key-generation seed xi, from which BouncyCastle re-derives the key pair deterministically. Signatures
 * are ed25519 per RFC 8032, and ML-DSA-65 per FIPS 204 in pure mode with an empty context (hedged).
 * Immutable and thread-safe. {@link #toString()} never shows the secret.
 */
public final class BouncyCastleNodeKey implements NodeKey {

    private static final HexFormat HEX = HexFormat.of();

    private final SeedKeyPair keyPair;
    private final byte[] nodeId;
    private final SecureRandom random;

    private BouncyCastleNodeKey(SeedKeyPair keyPair, SecureRandom random) {
        this.keyPair = keyPair;
        this.nodeId = sha256(keyPair.publicKey());
        this.random = random;
    }

    /**
     * Generates a fresh key of {@code scheme}.
     *
     * @throws IllegalArgumentException if {@code scheme} is not {@code ed25519} or {@code ml-dsa-65}
     */
    public static BouncyCastleNodeKey generate(SigScheme scheme, SecureRandom random) {
        requireNodeScheme(scheme);
        return new BouncyCastleNodeKey(SeedKeyPair.fromSeed(scheme, SeedKeyPair.randomSeed(random)), random);
    }

    /**
     * Restores a key from its secret encoding, the 32-byte seed.
     *
     * @throws IllegalArgumentException if {@code scheme} cannot be a node key or {@code secret} is not 32 bytes;
     *                                  the message names the lengths, never the bytes
     */
    public static BouncyCastleNodeKey fromSecret(SigScheme scheme, byte[] secret) {
        requireNodeScheme(scheme);
        return new BouncyCastleNodeKey(SeedKeyPair.fromSeed(scheme, Objects.requireNonNull(secret, "secret")),
                new SecureRandom());
    }

    /**
     * Restores a key from the base64 (standard alphabet) of its secret encoding, as in
     * {@code POUW_NODE_SECRET_KEY}.
     *
     * @throws IllegalArgumentException if the text is not base64 or not a valid secret of {@code scheme}
     */
    public static BouncyCastleNodeKey fromBase64Secret(SigScheme scheme, String base64) {
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(Objects.requireNonNull(base64, "base64").strip());
        } catch (IllegalArgumentException e) {
            // Base64's own message quotes the offending character: part of a secret.
            throw new IllegalArgumentException("the node secret key is not valid base64");
        }
        return fromSecret(scheme, secret);
    }

    /**
     * Checks that {@code scheme} can be a node key: {@code ed25519} or {@code ml-dsa-65} (SPEC §2.2).
     *
     * @throws IllegalArgumentException otherwise
     */
    public static SigScheme requireNodeScheme(SigScheme scheme) {
        Objects.requireNonNull(scheme, "scheme");
        if (scheme != SigScheme.ED25519 && scheme != SigScheme.ML_DSA_65) {
            throw new IllegalArgumentException("a node key is ed25519 or ml-dsa-65, not " + scheme.wireName());
        }
        return scheme;
    }

    @Override
    public SigScheme scheme() {
        return keyPair.scheme();
    }

    @Override
    public byte[] publicKey() {
        return keyPair.publicKey();
    }

    @Override
    public byte[] nodeId() {
        return nodeId.clone();
    }

    /** The node id as lowercase hex (64 characters), as logged and served by {@code GET /api/v1/pouw/node}. */
    public String nodeIdHex() {
        return HEX.formatHex(nodeId);
    }

    @Override
    public byte[] sign(byte[] message) {
        return keyPair.sign(Objects.requireNonNull(message, "message"), random);
    }

    /** The secret encoding, the 32-byte seed (a copy): what goes into the key file or {@code POUW_NODE_SECRET_KEY}. */
    public byte[] encodeSecret() {
        return keyPair.seed();
    }

    /** {@link #encodeSecret()} as standard base64. */
    public String encodeSecretBase64() {
        return Base64.getEncoder().encodeToString(keyPair.seed());
    }

    /** Shows the scheme and the node id, never the secret. */
    @Override
    public String toString() {
        return "BouncyCastleNodeKey[" + scheme().wireName() + ", node_id=" + nodeIdHex() + "]";
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
