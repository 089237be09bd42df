package network.sovereign.pouw.adapters.crypto;

import java.util.Objects;
import network.sovereign.pouw.application.port.out.SignatureVerifier;
import network.sovereign.pouw.domain.SigScheme;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.MLDSASigner;

/**
 * Verifies client signatures with BouncyCastle's lightweight API: {@code ml-dsa-44/65/87} (FIPS 204,
 * pure mode, empty context), {@code ed25519} (RFC 8032, BouncyCastle's, about nine times faster than the
 * JDK's here) and {@code dilithium5} (CRYSTALS-Dilithium round 3, {@link Dilithium5}, since BouncyCastle's
 * legacy class is the FIPS 204 draft). Stateless: each call builds its own signer, so one instance serves
 * every thread.
 */
public final class BouncyCastleSignatureVerifier implements SignatureVerifier {

    /** Creates the verifier; it holds no state. */
    public BouncyCastleSignatureVerifier() {
        // Nothing to set up: signers are per call.
    }

    @Override
    public boolean verify(SigScheme scheme, byte[] publicKey, byte[] message, byte[] signature) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        if (publicKey.length != scheme.publicKeyLength() || signature.length != scheme.signatureLength()) {
            return false;
        }
        try {
            return switch (scheme) {
                case ED25519 -> ed25519(publicKey, message, signature);
                case ML_DSA_44 -> mlDsa(MLDSAParameters.ml_dsa_44, publicKey, message, signature);
                case ML_DSA_65 -> mlDsa(MLDSAParameters.ml_dsa_65, publicKey, message, signature);
                case ML_DSA_87 -> mlDsa(MLDSAParameters.ml_dsa_87, publicKey, message, signature);
                case DILITHIUM5 -> Dilithium5.verify(publicKey, message, signature);
            };
        } catch (RuntimeException e) {
            // A decoding failure deep inside the library is still just an invalid signature to the caller.
            return false;
        }
    }

    private static boolean ed25519(byte[] publicKey, byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private static boolean mlDsa(MLDSAParameters parameters, byte[] publicKey, byte[] message, byte[] signature) {
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, new MLDSAPublicKeyParameters(parameters, publicKey));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
