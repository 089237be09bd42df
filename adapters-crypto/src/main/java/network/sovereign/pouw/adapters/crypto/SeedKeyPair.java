package network.sovereign.pouw.adapters.crypto;

import java.security.SecureRandom;
import java.util.Objects;
import network.sovereign.pouw.domain.SigScheme;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.MLDSASigner;

/**
 * A key pair of one protocol scheme derived from a 32-byte seed, which is also its secret encoding:
 * the Ed25519 private key (RFC 8032 §5.1.5), the ML-DSA key-generation seed xi (FIPS 204 Algorithm 6),
 * or the dilithium5 round-3 key-generation seed. Immutable and thread-safe: every signature uses a fresh
 * BouncyCastle signer.
 */
abstract sealed class SeedKeyPair {

    /** Length of every secret seed, whatever the scheme. */
    static final int SEED_LENGTH = 32;

    private final SigScheme scheme;
    private final byte[] seed;
    private final byte[] publicKey;

    private SeedKeyPair(SigScheme scheme, byte[] seed, byte[] publicKey) {
        this.scheme = scheme;
        this.seed = seed.clone();
        this.publicKey = publicKey;
        if (publicKey.length != scheme.publicKeyLength()) {
            throw new IllegalStateException(scheme.wireName() + " public key is " + publicKey.length + " bytes, expected "
                    + scheme.publicKeyLength());
        }
    }

    /**
     * Derives the key pair of {@code scheme} from its 32-byte seed.
     *
     * @throws IllegalArgumentException if the seed is not 32 bytes (the message never shows the bytes)
     */
    static SeedKeyPair fromSeed(SigScheme scheme, byte[] seed) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(seed, "seed");
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("a " + scheme.wireName() + " secret key is the " + SEED_LENGTH
                    + "-byte key-generation seed, got " + seed.length + " bytes");
        }
        return switch (scheme) {
            case ED25519 -> new Ed25519Pair(seed);
            case ML_DSA_44 -> new MlDsaPair(scheme, MLDSAParameters.ml_dsa_44, seed);
            case ML_DSA_65 -> new MlDsaPair(scheme, MLDSAParameters.ml_dsa_65, seed);
            case ML_DSA_87 -> new MlDsaPair(scheme, MLDSAParameters.ml_dsa_87, seed);
            case DILITHIUM5 -> new Dilithium5Pair(seed);
        };
    }

    /** A fresh random seed for {@link #fromSeed}. */
    static byte[] randomSeed(SecureRandom random) {
        byte[] seed = new byte[SEED_LENGTH];
        Objects.requireNonNull(random, "random").nextBytes(seed);
        return seed;
    }

    final SigScheme scheme() {
        return scheme;
    }

    /** The raw public key (a copy). */
    final byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 32-byte secret seed (a copy). */
    final byte[] seed() {
        return seed.clone();
    }

    /**
     * Signs {@code message}; {@code random} feeds ML-DSA's hedged signing (FIPS 204's default), the other
     * schemes are deterministic.
     */
    abstract byte[] sign(byte[] message, SecureRandom random);

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + scheme.wireName() + "]";
    }

    /** Ed25519 (RFC 8032, pure, no context). */
    private static final class Ed25519Pair extends SeedKeyPair {
        private final Ed25519PrivateKeyParameters privateKey;

        Ed25519Pair(byte[] seed) {
            this(new Ed25519PrivateKeyParameters(seed, 0), seed);
        }

        private Ed25519Pair(Ed25519PrivateKeyParameters privateKey, byte[] seed) {
            super(SigScheme.ED25519, seed, privateKey.generatePublicKey().getEncoded());
            this.privateKey = privateKey;
        }

        @Override
        byte[] sign(byte[] message, SecureRandom random) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, privateKey);
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }
    }

    /** ML-DSA (FIPS 204, pure mode, empty context, hedged signing). */
    private static final class MlDsaPair extends SeedKeyPair {
        private final MLDSAPrivateKeyParameters privateKey;

        MlDsaPair(SigScheme scheme, MLDSAParameters parameters, byte[] seed) {
            this(scheme, new MLDSAPrivateKeyParameters(parameters, seed), seed);
        }

        private MlDsaPair(SigScheme scheme, MLDSAPrivateKeyParameters privateKey, byte[] seed) {
            super(scheme, seed, privateKey.getPublicKey());
            this.privateKey = privateKey;
        }

        @Override
        byte[] sign(byte[] message, SecureRandom random) {
            MLDSASigner signer = new MLDSASigner();
            signer.init(true, new ParametersWithRandom(privateKey, random));
            signer.update(message, 0, message.length);
            try {
                return signer.generateSignature();
            } catch (CryptoException e) {
                throw new IllegalStateException(scheme().wireName() + " signing failed", e);
            }
        }
    }

    /** CRYSTALS-Dilithium round 3, Dilithium5, deterministic signing ({@link Dilithium5}). */
    private static final class Dilithium5Pair extends SeedKeyPair {
        private final byte[] secretKey;

        Dilithium5Pair(byte[] seed) {
            this(Dilithium5.generateKeyPair(seed), seed);
        }

        private Dilithium5Pair(Dilithium5.KeyPair keyPair, byte[] seed) {
            super(SigScheme.DILITHIUM5, seed, keyPair.publicKey());
            this.secretKey = keyPair.secretKey();
        }

        @Override
        byte[] sign(byte[] message, SecureRandom random) {
            return Dilithium5.sign(secretKey, message);
        }
    }
}
