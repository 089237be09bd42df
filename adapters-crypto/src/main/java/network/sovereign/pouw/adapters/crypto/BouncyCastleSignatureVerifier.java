package network.sovereign.pouw.adapters.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>{@link #verifyAll} of eight or more signatures runs on a small pool of platform threads, one per core: a large batch's
 * signatures are checked on every idle core, and the request's own (virtual) thread waits without
 * holding a carrier, so CPU-heavy submissions never starve the health checks and other requests of
 * carrier threads. Verification never does more work than the batch it is given.
 */
public final class BouncyCastleSignatureVerifier implements SignatureVerifier {

    /** Below this many signatures per share, splitting costs more than it gains. */
    private static final int MIN_SHARE = 8;

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** Shared by every instance: the point is a bound on CPU, not one per caller. */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, new Namer());

    /** Creates the verifier; it holds no state. */
    public BouncyCastleSignatureVerifier() {
        // Nothing to set up: signers are per call.
    }

    @Override
    public boolean[] verifyAll(SigScheme scheme, byte[] publicKey, List<byte[]> messages, List<byte[]> signatures) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(publicKey, "publicKey");
        if (messages.size() != signatures.size()) {
            throw new IllegalArgumentException(messages.size() + " messages for " + signatures.size() + " signatures");
        }
        int n = messages.size();
        boolean[] valid = new boolean[n];
        if (n < MIN_SHARE) {
            // A few signatures cost less than a hand-off (and the request's own bound keeps it small).
            for (int i = 0; i < n; i++) {
                valid[i] = verify(scheme, publicKey, messages.get(i), signatures.get(i));
            }
            return valid;
        }
        int shares = Math.max(1, Math.min(THREADS, n / MIN_SHARE));
        List<Future<?>> running = new ArrayList<>(shares);
        for (int share = 0; share < shares; share++) {
            int from = (int) ((long) n * share / shares);
            int to = (int) ((long) n * (share + 1) / shares);
            running.add(POOL.submit(() -> {
                for (int i = from; i < to; i++) {
                    valid[i] = verify(scheme, publicKey, messages.get(i), signatures.get(i));
                }
            }));
        }
        try {
            for (Future<?> share : running) {
                share.get();
            }
        } catch (InterruptedException e) {
            running.forEach(share -> share.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying signatures", e);
        } catch (ExecutionException e) {
            // verify() never throws for a client's bytes; anything else is a programming error.
            throw new IllegalStateException("signature verification failed", e.getCause());
        }
        return valid;
    }

    /** Daemon platform threads named {@code pouw-verify-N}. */
    private static final class Namer implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public Thread newThread(Runnable task) {
            return Thread.ofPlatform().daemon().name("pouw-verify-" + next.getAndIncrement()).unstarted(task);
        }
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
