package network.sovereign.pouw.application.port.out;

import java.util.List;
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

    /**
     * Verifies many messages signed with one key, with the outcomes in the order given. Implementations
     * may spread the work over idle cores (a bounded pool); this default verifies one after the other.
     *
     * @param scheme     the scheme the key was enrolled with
     * @param publicKey  the raw public key
     * @param messages   the exact signed bytes, one per signature
     * @param signatures the raw signatures, as many as messages
     * @return one outcome per message, {@code true} only for a valid signature
     */
    default boolean[] verifyAll(SigScheme scheme, byte[] publicKey, List<byte[]> messages, List<byte[]> signatures) {
        if (messages.size() != signatures.size()) {
            throw new IllegalArgumentException(messages.size() + " messages for " + signatures.size() + " signatures");
        }
        boolean[] valid = new boolean[messages.size()];
        for (int i = 0; i < valid.length; i++) {
            valid[i] = verify(scheme, publicKey, messages.get(i), signatures.get(i));
        }
        return valid;
    }
}
