package network.sovereign.pouw.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * A signature scheme the protocol knows, with the raw lengths of its public keys and signatures
 * (never X.509 or PKCS#8 wrappers).
 */
public enum SigScheme {
    ML_DSA_44("ml-dsa-44", 1312, 2420),
    ML_DSA_65("ml-dsa-65", 1952, 3309),
    ML_DSA_87("ml-dsa-87", 2592, 4627),
    DILITHIUM5("dilithium5", 2592, 4595),
    ED25519("ed25519", 32, 64);

    private final String wireName;
    private final int publicKeyLength;
    private final int signatureLength;

    SigScheme(String wireName, int publicKeyLength, int signatureLength) {
        this.wireName = wireName;
        this.publicKeyLength = publicKeyLength;
        this.signatureLength = signatureLength;
    }

    /** The {@code sig_scheme} string. */
    public String wireName() {
        return wireName;
    }

    /** Length in bytes of a raw public key of this scheme. */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** Length in bytes of a raw signature of this scheme. */
    public int signatureLength() {
        return signatureLength;
    }

    /** Looks a scheme up by its {@code sig_scheme} string. */
    public static Optional<SigScheme> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
