package network.sovereign.pouw.adapters.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 CTR DRBG of NIST's PQC known-answer-test harness ({@code rng.c}: {@code randombytes_init},
 * {@code randombytes}), as liboqs's {@code kat_sig} uses it; a {@link SecureRandom} so it can feed the code
 * under test exactly where the reference implementations call {@code randombytes}.
 */
final class NistKatDrbg extends SecureRandom {

    private static final long serialVersionUID = 1L;

    private byte[] key = new byte[32];
    private byte[] v = new byte[16];

    NistKatDrbg(byte[] entropy48) {
        reseed(entropy48);
    }

    /** The harness's first seed: the bytes 0, 1, ..., 47. */
    static NistKatDrbg counting() {
        byte[] entropy = new byte[48];
        for (int i = 0; i < entropy.length; i++) {
            entropy[i] = (byte) i;
        }
        return new NistKatDrbg(entropy);
    }

    /** {@code randombytes_init(entropy, NULL, 256)}. */
    void reseed(byte[] entropy48) {
        if (entropy48.length != 48) {
            throw new IllegalArgumentException("entropy is 48 bytes");
        }
        key = new byte[32];
        v = new byte[16];
        update(entropy48);
    }

    /** The DRBG state, to put back with {@link #restore} (the harness's save/restore around each count). */
    byte[][] save() {
        return new byte[][] {key.clone(), v.clone()};
    }

    void restore(byte[][] state) {
        key = state[0].clone();
        v = state[1].clone();
    }

    byte[] bytes(int length) {
        byte[] out = new byte[length];
        nextBytes(out);
        return out;
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        int done = 0;
        while (done < out.length) {
            increment();
            byte[] block = aes(v);
            int n = Math.min(16, out.length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        update(null);
    }

    private void update(byte[] provided) {
        byte[] temp = new byte[48];
        for (int i = 0; i < 3; i++) {
            increment();
            System.arraycopy(aes(v), 0, temp, 16 * i, 16);
        }
        if (provided != null) {
            for (int i = 0; i < 48; i++) {
                temp[i] ^= provided[i];
            }
        }
        key = Arrays.copyOfRange(temp, 0, 32);
        v = Arrays.copyOfRange(temp, 32, 48);
    }

    private void increment() {
        for (int j = 15; j >= 0; j--) {
            if (++v[j] != 0) {
                break;
            }
        }
    }

    private byte[] aes(byte[] block) {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return cipher.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
