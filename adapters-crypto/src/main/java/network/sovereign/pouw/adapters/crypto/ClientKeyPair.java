package network.sovereign.pouw.adapters.crypto;

import java.security.SecureRandom;
import java.util.Objects;
import network.sovereign.pouw.domain.SigScheme;

/**
 * A client's key pair for any protocol scheme, producing the raw public keys and signatures the node
 * verifies, for end-to-end tests, the demo client and the load generator (the node itself never signs
 * with it). ML-DSA signs hedged (FIPS 204's default), ed25519 and dilithium5 deterministically.
 * Immutable and thread-safe.
 */
public final class ClientKeyPair {

    private final SeedKeyPair keyPair;
    private final SecureRandom random;

    private ClientKeyPair(SeedKeyPair keyPair, SecureRandom random) {
        this.keyPair = keyPair;
        this.random = random;
    }

    /** Generates a key pair of {@code scheme} from {@code random}. */
    public static ClientKeyPair generate(SigScheme scheme, SecureRandom random) {
        return new ClientKeyPair(SeedKeyPair.fromSeed(scheme, SeedKeyPair.randomSeed(random)), random);
    }

    /**
     * Derives the key pair of {@code scheme} from a 32-byte seed, for fixed test identities: the same seed
     * always gives the same public key (for ed25519 the seed is the RFC 8032 private key).
     *
     * @throws IllegalArgumentException if the seed is not 32 bytes
     */
    public static ClientKeyPair fromSeed(SigScheme scheme, byte[] seed) {
        return new ClientKeyPair(SeedKeyPair.fromSeed(scheme, seed), new SecureRandom());
    }

    /** The scheme. */
    public SigScheme scheme() {
        return keyPair.scheme();
    }

    /** The raw public key (a copy), as enrolled. */
    public byte[] publicKey() {
        return keyPair.publicKey();
    }

    /** Signs {@code message}, giving a raw signature of {@code scheme().signatureLength()} bytes. */
    public byte[] sign(byte[] message) {
        return keyPair.sign(Objects.requireNonNull(message, "message"), random);
    }

    /** Shows the scheme only. */
    @Override
    public String toString() {
        return "ClientKeyPair[" + keyPair.scheme().wireName() + "]";
    }
}
