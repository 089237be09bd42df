package network.sovereign.pouw.adapters.crypto;

import network.sovereign.pouw.application.port.out.KeyDigests;
import network.sovereign.pouw.domain.Bytes;
import org.bouncycastle.crypto.digests.Blake3Digest;

/** BLAKE3-256 through BouncyCastle, for binding {@code did:zhtp:} ids to public keys. */
public final class BouncyCastleKeyDigests implements KeyDigests {

    @Override
    public Bytes blake3(Bytes input) {
        Blake3Digest digest = new Blake3Digest(256);
        byte[] data = input.toArray();
        digest.update(data, 0, data.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return Bytes.of(out);
    }
}
