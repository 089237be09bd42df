package network.sovereign.pouw.adapters.persistence;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;

/** Domain objects for the protocol stores' tests: distinct nonces, realistic sizes, times chosen by the test. */
final class ProtocolFixtures {

    /** Whole seconds, so both databases store the times exactly. */
    static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    /** 10^12 atoms, the default reward base. */
    static final BigInteger BASE_ATOMS = BigInteger.TEN.pow(12);

    static final Bytes NODE_ID = Bytes.of(filled(32, 1));

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ProtocolFixtures() {
    }

    /** A key of the scheme's real length; {@code seed} tells keys apart. */
    static ClientKey key(String did, SigScheme scheme, int seed) {
        return new ClientKey(did, scheme, Bytes.of(filled(scheme.publicKeyLength(), seed)));
    }

    /** A signed challenge issued at {@link #T0} for five minutes, with no budget used. */
    static Challenge challenge(String did, int maxReceipts, long maxBytesTotal, List<ProofType> allowed) {
        Policy policy = new Policy(maxReceipts, maxBytesTotal, 1024, allowed);
        ChallengeToken token = new ChallengeToken(1, NODE_ID, unique(16), unique(32), T0.getEpochSecond(),
                T0.getEpochSecond() + 300, policy, Bytes.of(filled(64, 9)));
        return new Challenge(token, did, 0, 0);
    }

    /** A hash receipt answering the challenge, with a fresh nonce. */
    static SignedReceipt receipt(Challenge challenge, long bytesVerified) {
        return receipt(challenge, bytesVerified, unique(32));
    }

    /** A receipt answering the challenge with the given nonce. */
    static SignedReceipt receipt(Challenge challenge, long bytesVerified, Bytes receiptNonce) {
        ChallengeToken token = challenge.token();
        Receipt receipt = new Receipt(1, token.taskId(), challenge.clientDid(), unique(16), unique(16), unique(32),
                ProofType.MERKLE, bytesVerified, true, T0.getEpochSecond() + 5, -1L, receiptNonce, token.challengeNonce(),
                Optional.of(new Aux(unique(32), Bytes.EMPTY)));
        return new SignedReceipt(receipt, SigScheme.ED25519.wireName(), Bytes.of(filled(64, (int) SEQUENCE.incrementAndGet())));
    }

    /** The receipt as the service hands it to the ledger: id, canonical bytes, a merkle reward, epoch of {@code at}. */
    static AcceptedReceipt accepted(String receiptId, SignedReceipt signed, Instant at) {
        return new AcceptedReceipt(receiptId, signed, canonicalBytes(signed), SigScheme.ED25519,
                BASE_ATOMS.multiply(BigInteger.TWO), at.getEpochSecond() / 3600, at, NODE_ID);
    }

    /** The bytes the client signs. */
    static Bytes canonicalBytes(SignedReceipt signed) {
        return Bytes.of(CanonicalEncoding.encode(signed.receipt()));
    }

    /** Bytes unique across the test run. */
    static Bytes unique(int length) {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[length]);
        buffer.putLong(System.nanoTime()).putLong(SEQUENCE.incrementAndGet());
        return Bytes.of(buffer.array());
    }

    static byte[] filled(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
