package network.sovereign.pouw.application.port.out;

import network.sovereign.pouw.domain.SigScheme;

/**
 * Checks a client's signature over a message (a canonical receipt, an enrolment proof, a dispute)
 * for any scheme the protocol knows. Keys and signatures are raw encodings, never X.509 or PKCS#8.
 */
public interface SignatureVerifier {

    /**
     * Verifies {@code signature} over {@code message} with the raw {@code publicKey} of {@code scheme}.
     *
     * <p>Returns {@code false} — never throws — when the key or the signature has the wrong length for
     * the scheme ({@link SigScheme#publicKeyLength()}, {@link SigScheme#signatureLength()}), cannot be
     * decoded, or does not verify. Implementations are thread-safe.
     *
     * @param scheme    the scheme the key was enrolled with
     * @param publicKey the raw public key
     * @param message   the exact signed bytes
     * @param signature the raw signature
     * @return {@code true} only for a valid signature of {@code message} under {@code publicKey}
     * @throws NullPointerException if an argument is {@code null} (a programming error, not a client's)
     */
    boolean verify(SigScheme scheme, byte[] publicKey, byte[] message, byte[] signature);
}
