package network.sovereign.pouw.adapters.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * CRYSTALS-Dilithium round 3 (specification v3.1, the NIST round-3 submission and liboqs's
 * {@code Dilithium5}), parameter set Dilithium5: public key 2592 bytes ({@code rho || t1}), secret key
 * 4864 bytes, detached signature 4595 bytes ({@code c~ || z || h}).
 *
 * <p>Why our own code: BouncyCastle 1.87's {@code org.bouncycastle.pqc.legacy.crystals.dilithium} is not
 * round 3 despite its name. It implements the FIPS 204 draft (64-byte {@code tr}, 64-byte challenge
 * seed at level 5, K/L bytes in key generation): its dilithium5 signatures are 4627 bytes and it rejects
 * every 4595-byte round-3 signature. {@code Dilithium5KnownAnswerTest} pins both facts, and checks this
 * class against liboqs's known-answer digest of all 100 NIST KAT entries.
 *
 * <p>The algorithm follows the round-3 reference implementation step by step (NTT with Montgomery
 * arithmetic, rejection sampling from SHAKE-128/256, hint encoding); only SHAKE comes from
 * BouncyCastle. Everything is static and allocation-local, so the class is thread-safe. Verification is
 * the node's job; key generation and signing exist for test clients and the load generator.
 */
final class Dilithium5 {

    /** Bytes of a key-generation seed. */
    static final int SEED_BYTES = 32;
    /** Bytes of a raw public key. */
    static final int PUBLIC_KEY_BYTES = 2592;
    /** Bytes of a packed secret key. */
    static final int SECRET_KEY_BYTES = 4864;
    /** Bytes of a detached signature. */
    static final int SIGNATURE_BYTES = 4595;

    private static final int N = 256;
    private static final int Q = 8380417;
    private static final int QINV = 58728449; // q^-1 mod 2^32
    private static final int D = 13;
    private static final int K = 8;
    private static final int L = 7;
    private static final int ETA = 2;
    private static final int TAU = 60;
    private static final int BETA = 120;
    private static final int GAMMA1 = 1 << 19;
    private static final int GAMMA2 = (Q - 1) / 32;
    private static final int OMEGA = 75;
    private static final int CRH_BYTES = 64;
    private static final int POLY_T1_BYTES = 320;
    private static final int POLY_T0_BYTES = 416;
    private static final int POLY_ETA_BYTES = 96;
    private static final int POLY_Z_BYTES = 640;
    private static final int POLY_W1_BYTES = 128;
    private static final int SHAKE128_RATE = 168;
    private static final int SHAKE256_RATE = 136;

    /** Powers of the root of unity 1753 in bit-reversed order, times 2^32, centred mod q. */
    private static final int[] ZETAS = computeZetas();
    /** 2^64 / 256 mod q: undoes the Montgomery factor and the 1/N of the inverse NTT. */
    private static final int INV_NTT_FACTOR = 41978;

    private Dilithium5() {
    }

    /** A raw public key and packed secret key. */
    record KeyPair(byte[] publicKey, byte[] secretKey) {
    }

    /** Deterministic key generation from a 32-byte seed (what the reference draws from randombytes). */
    static KeyPair generateKeyPair(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("a dilithium5 seed is " + SEED_BYTES + " bytes, got " + seed.length);
        }
        byte[] seedBuf = shake256(2 * SEED_BYTES + CRH_BYTES, seed);
        byte[] rho = Arrays.copyOfRange(seedBuf, 0, SEED_BYTES);
        byte[] rhoPrime = Arrays.copyOfRange(seedBuf, SEED_BYTES, SEED_BYTES + CRH_BYTES);
        byte[] key = Arrays.copyOfRange(seedBuf, SEED_BYTES + CRH_BYTES, seedBuf.length);

        int[][][] a = expandMatrix(rho);
        int[][] s1 = new int[L][];
        for (int i = 0; i < L; i++) {
            s1[i] = uniformEta(rhoPrime, i);
        }
        int[][] s2 = new int[K][];
        for (int i = 0; i < K; i++) {
            s2[i] = uniformEta(rhoPrime, L + i);
        }
        int[][] s1Hat = copy(s1);
        for (int[] p : s1Hat) {
            ntt(p);
        }
        int[][] t1 = matrixTimesVector(a, s1Hat);
        int[][] t0 = new int[K][N];
        for (int i = 0; i < K; i++) {
            reduce(t1[i]);
            invNttToMont(t1[i]);
            for (int j = 0; j < N; j++) {
                int t = caddq(t1[i][j] + s2[i][j]);
                int high = (t + (1 << (D - 1)) - 1) >> D; // power2round
                t0[i][j] = t - (high << D);
                t1[i][j] = high;
            }
        }

        byte[] pk = new byte[PUBLIC_KEY_BYTES];
        System.arraycopy(rho, 0, pk, 0, SEED_BYTES);
        for (int i = 0; i < K; i++) {
            packBits(t1[i], 10, 0, 1, pk, SEED_BYTES + i * POLY_T1_BYTES);
        }
        byte[] tr = shake256(SEED_BYTES, pk);

        byte[] sk = new byte[SECRET_KEY_BYTES];
        int off = 0;
        System.arraycopy(rho, 0, sk, off, SEED_BYTES);
        off += SEED_BYTES;
        System.arraycopy(key, 0, sk, off, SEED_BYTES);
        off += SEED_BYTES;
        System.arraycopy(tr, 0, sk, off, SEED_BYTES);
        off += SEED_BYTES;
        for (int i = 0; i < L; i++, off += POLY_ETA_BYTES) {
            packBits(s1[i], 3, ETA, -1, sk, off);
        }
        for (int i = 0; i < K; i++, off += POLY_ETA_BYTES) {
            packBits(s2[i], 3, ETA, -1, sk, off);
        }
        for (int i = 0; i < K; i++, off += POLY_T0_BYTES) {
            packBits(t0[i], 13, 1 << (D - 1), -1, sk, off);
        }
        return new KeyPair(pk, sk);
    }

    /** Deterministic signing, the reference implementation's default. */
    static byte[] sign(byte[] secretKey, byte[] message) {
        checkSecretKey(secretKey);
        byte[] key = Arrays.copyOfRange(secretKey, SEED_BYTES, 2 * SEED_BYTES);
        byte[] tr = Arrays.copyOfRange(secretKey, 2 * SEED_BYTES, 3 * SEED_BYTES);
        byte[] mu = shake256(CRH_BYTES, tr, message);
        return sign(secretKey, mu, shake256(CRH_BYTES, key, mu));
    }

    /**
     * Randomised signing ({@code DILITHIUM_RANDOMIZED_SIGNING}, as liboqs builds it): {@code rhoPrime} is 64
     * random bytes instead of {@code H(key || mu)}. Both kinds verify the same way.
     */
    static byte[] signWithRhoPrime(byte[] secretKey, byte[] message, byte[] rhoPrime) {
        checkSecretKey(secretKey);
        if (rhoPrime.length != CRH_BYTES) {
            throw new IllegalArgumentException("rhoPrime is " + CRH_BYTES + " bytes, got " + rhoPrime.length);
        }
        byte[] tr = Arrays.copyOfRange(secretKey, 2 * SEED_BYTES, 3 * SEED_BYTES);
        return sign(secretKey, shake256(CRH_BYTES, tr, message), rhoPrime.clone());
    }

    private static byte[] sign(byte[] sk, byte[] mu, byte[] rhoPrime) {
        byte[] rho = Arrays.copyOfRange(sk, 0, SEED_BYTES);
        int off = 3 * SEED_BYTES;
        int[][] s1 = new int[L][];
        for (int i = 0; i < L; i++, off += POLY_ETA_BYTES) {
            s1[i] = unpackBits(sk, off, 3, ETA, -1);
        }
        int[][] s2 = new int[K][];
        for (int i = 0; i < K; i++, off += POLY_ETA_BYTES) {
            s2[i] = unpackBits(sk, off, 3, ETA, -1);
        }
        int[][] t0 = new int[K][];
        for (int i = 0; i < K; i++, off += POLY_T0_BYTES) {
            t0[i] = unpackBits(sk, off, 13, 1 << (D - 1), -1);
        }
        int[][][] a = expandMatrix(rho);
        for (int[] p : s1) {
            ntt(p);
        }
        for (int[] p : s2) {
            ntt(p);
        }
        for (int[] p : t0) {
            ntt(p);
        }

        byte[] w1Packed = new byte[K * POLY_W1_BYTES];
        for (int nonce = 0; ; nonce++) {
            int[][] y = new int[L][];
            for (int i = 0; i < L; i++) {
                y[i] = uniformGamma1(rhoPrime, L * nonce + i);
            }
            int[][] z = copy(y);
            for (int[] p : z) {
                ntt(p);
            }
            int[][] w1 = matrixTimesVector(a, z);
            int[][] w0 = new int[K][N];
            for (int i = 0; i < K; i++) {
                reduce(w1[i]);
                invNttToMont(w1[i]);
                for (int j = 0; j < N; j++) {
                    int w = caddq(w1[i][j]);
                    int high = highBits(w);
                    w0[i][j] = lowBits(w, high);
                    w1[i][j] = high;
                }
                packBits(w1[i], 4, 0, 1, w1Packed, i * POLY_W1_BYTES);
            }
            byte[] c = shake256(SEED_BYTES, mu, w1Packed);
            int[] cp = challenge(c);
            ntt(cp);

            if (!computeZ(z, y, cp, s1) || !subtractCs2(w0, cp, s2)) {
                continue;
            }
            int[][] hints = makeHints(w0, w1, cp, t0);
            if (hints == null) {
                continue;
            }
            byte[] sig = new byte[SIGNATURE_BYTES];
            System.arraycopy(c, 0, sig, 0, SEED_BYTES);
            for (int i = 0; i < L; i++) {
                packBits(z[i], 20, GAMMA1, -1, sig, SEED_BYTES + i * POLY_Z_BYTES);
            }
            int hOff = SEED_BYTES + L * POLY_Z_BYTES;
            int k = 0;
            for (int i = 0; i < K; i++) {
                for (int j = 0; j < N; j++) {
                    if (hints[i][j] != 0) {
                        sig[hOff + k++] = (byte) j;
                    }
                }
                sig[hOff + OMEGA + i] = (byte) k;
            }
            return sig;
        }
    }

    /** z = y + c*s1; false when z would reveal the secret. */
    private static boolean computeZ(int[][] z, int[][] y, int[] cp, int[][] s1) {
        for (int i = 0; i < L; i++) {
            z[i] = pointwise(cp, s1[i]);
            invNttToMont(z[i]);
            for (int j = 0; j < N; j++) {
                z[i][j] = reduce32(z[i][j] + y[i][j]);
            }
            if (exceedsNorm(z[i], GAMMA1 - BETA)) {
                return false;
            }
        }
        return true;
    }

    /** w0 -= c*s2; false when the low bits would leak or change the high bits. */
    private static boolean subtractCs2(int[][] w0, int[] cp, int[][] s2) {
        for (int i = 0; i < K; i++) {
            int[] h = pointwise(cp, s2[i]);
            invNttToMont(h);
            for (int j = 0; j < N; j++) {
                w0[i][j] = reduce32(w0[i][j] - h[j]);
            }
            if (exceedsNorm(w0[i], GAMMA2 - BETA)) {
                return false;
            }
        }
        return true;
    }

    /** The hint vector for w1 from w0 + c*t0, or null when c*t0 is too large or there are too many hints. */
    private static int[][] makeHints(int[][] w0, int[][] w1, int[] cp, int[][] t0) {
        int[][] hints = new int[K][];
        int count = 0;
        for (int i = 0; i < K; i++) {
            int[] h = pointwise(cp, t0[i]);
            invNttToMont(h);
            reduce(h);
            if (exceedsNorm(h, GAMMA2)) {
                return null;
            }
            for (int j = 0; j < N; j++) {
                int a0 = w0[i][j] + h[j];
                int a1 = w1[i][j];
                h[j] = (a0 > GAMMA2 || a0 < -GAMMA2 || (a0 == -GAMMA2 && a1 != 0)) ? 1 : 0;
                count += h[j];
            }
            hints[i] = h;
        }
        return count > OMEGA ? null : hints;
    }

    /** Verifies a detached signature; false for wrong lengths, malformed encodings and invalid signatures. */
    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        byte[] c = Arrays.copyOfRange(signature, 0, SEED_BYTES);
        int[][] z = new int[L][];
        for (int i = 0; i < L; i++) {
            z[i] = unpackBits(signature, SEED_BYTES + i * POLY_Z_BYTES, 20, GAMMA1, -1);
            if (exceedsNorm(z[i], GAMMA1 - BETA)) {
                return false;
            }
        }
        int[][] h = decodeHints(signature, SEED_BYTES + L * POLY_Z_BYTES);
        if (h == null) {
            return false;
        }
        byte[] rho = Arrays.copyOfRange(publicKey, 0, SEED_BYTES);
        byte[] tr = shake256(SEED_BYTES, publicKey);
        byte[] mu = shake256(CRH_BYTES, tr, message);
        int[] cp = challenge(c);
        ntt(cp);

        int[][][] a = expandMatrix(rho);
        for (int[] p : z) {
            ntt(p);
        }
        int[][] w1 = matrixTimesVector(a, z);
        byte[] w1Packed = new byte[K * POLY_W1_BYTES];
        for (int i = 0; i < K; i++) {
            int[] t1 = unpackBits(publicKey, SEED_BYTES + i * POLY_T1_BYTES, 10, 0, 1);
            for (int j = 0; j < N; j++) {
                t1[j] <<= D;
            }
            ntt(t1);
            int[] ct1 = pointwise(cp, t1);
            int[] w = w1[i];
            for (int j = 0; j < N; j++) {
                w[j] = reduce32(w[j] - ct1[j]);
            }
            invNttToMont(w);
            for (int j = 0; j < N; j++) {
                w[j] = useHint(caddq(w[j]), h[i][j]);
            }
            packBits(w, 4, 0, 1, w1Packed, i * POLY_W1_BYTES);
        }
        return MessageDigest.isEqual(c, shake256(SEED_BYTES, mu, w1Packed));
    }

    /** Decodes the hint vector, rejecting every non-canonical encoding (strong unforgeability). */
    private static int[][] decodeHints(byte[] sig, int off) {
        int[][] h = new int[K][N];
        int k = 0;
        for (int i = 0; i < K; i++) {
            int end = sig[off + OMEGA + i] & 0xff;
            if (end < k || end > OMEGA) {
                return null;
            }
            for (int j = k; j < end; j++) {
                if (j > k && (sig[off + j] & 0xff) <= (sig[off + j - 1] & 0xff)) {
                    return null;
                }
                h[i][sig[off + j] & 0xff] = 1;
            }
            k = end;
        }
        for (int j = k; j < OMEGA; j++) {
            if (sig[off + j] != 0) {
                return null;
            }
        }
        return h;
    }

    private static void checkSecretKey(byte[] secretKey) {
        if (secretKey.length != SECRET_KEY_BYTES) {
            throw new IllegalArgumentException("a dilithium5 secret key is " + SECRET_KEY_BYTES + " bytes, got "
                    + secretKey.length);
        }
    }

    // ---- sampling

    private static int[][][] expandMatrix(byte[] rho) {
        int[][][] a = new int[K][L][];
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < L; j++) {
                a[i][j] = uniform(rho, (i << 8) + j);
            }
        }
        return a;
    }

    /** Uniform polynomial mod q by rejection sampling 23-bit values from SHAKE-128(rho || nonce). */
    private static int[] uniform(byte[] rho, int nonce) {
        SHAKEDigest xof = xof(128, rho, nonce);
        byte[] buf = new byte[5 * SHAKE128_RATE];
        xof.doOutput(buf, 0, buf.length);
        int length = buf.length;
        int pos = 0;
        int[] a = new int[N];
        for (int count = 0; count < N; ) {
            if (pos + 3 > length) {
                int left = length - pos;
                System.arraycopy(buf, pos, buf, 0, left);
                xof.doOutput(buf, left, SHAKE128_RATE);
                length = left + SHAKE128_RATE;
                pos = 0;
            }
            int t = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0x7f) << 16;
            pos += 3;
            if (t < Q) {
                a[count++] = t;
            }
        }
        return a;
    }

    /** Polynomial with coefficients in [-2, 2] by rejection sampling nibbles of SHAKE-256(rho' || nonce). */
    private static int[] uniformEta(byte[] rhoPrime, int nonce) {
        SHAKEDigest xof = xof(256, rhoPrime, nonce);
        byte[] buf = new byte[SHAKE256_RATE];
        int pos = buf.length;
        int[] a = new int[N];
        for (int count = 0; count < N; ) {
            if (pos == buf.length) {
                xof.doOutput(buf, 0, buf.length);
                pos = 0;
            }
            int t0 = buf[pos] & 0x0f;
            int t1 = (buf[pos++] & 0xff) >>> 4;
            if (t0 < 15) {
                a[count++] = 2 - (t0 - (205 * t0 >> 10) * 5);
            }
            if (t1 < 15 && count < N) {
                a[count++] = 2 - (t1 - (205 * t1 >> 10) * 5);
            }
        }
        return a;
    }

    /** Polynomial with coefficients in (-gamma1, gamma1] from SHAKE-256(rho' || nonce). */
    private static int[] uniformGamma1(byte[] rhoPrime, int nonce) {
        byte[] buf = new byte[POLY_Z_BYTES];
        xof(256, rhoPrime, nonce).doOutput(buf, 0, buf.length);
        return unpackBits(buf, 0, 20, GAMMA1, -1);
    }

    /** The challenge polynomial: TAU coefficients of +-1 placed by SHAKE-256(c~). */
    private static int[] challenge(byte[] seed) {
        SHAKEDigest xof = new SHAKEDigest(256);
        xof.update(seed, 0, SEED_BYTES);
        byte[] buf = new byte[SHAKE256_RATE];
        xof.doOutput(buf, 0, buf.length);
        long signs = 0;
        for (int i = 0; i < 8; i++) {
            signs |= (long) (buf[i] & 0xff) << (8 * i);
        }
        int pos = 8;
        int[] c = new int[N];
        for (int i = N - TAU; i < N; i++) {
            int b;
            do {
                if (pos >= buf.length) {
                    xof.doOutput(buf, 0, buf.length);
                    pos = 0;
                }
                b = buf[pos++] & 0xff;
            } while (b > i);
            c[i] = c[b];
            c[b] = 1 - 2 * (int) (signs & 1);
            signs >>>= 1;
        }
        return c;
    }

    private static SHAKEDigest xof(int bits, byte[] seed, int nonce) {
        SHAKEDigest xof = new SHAKEDigest(bits);
        xof.update(seed, 0, seed.length);
        xof.update((byte) nonce);
        xof.update((byte) (nonce >>> 8));
        return xof;
    }

    private static byte[] shake256(int outputLength, byte[]... parts) {
        SHAKEDigest xof = new SHAKEDigest(256);
        for (byte[] part : parts) {
            xof.update(part, 0, part.length);
        }
        byte[] out = new byte[outputLength];
        xof.doFinal(out, 0, outputLength);
        return out;
    }

    // ---- arithmetic mod q

    private static int montgomeryReduce(long a) {
        int t = (int) a * QINV;
        return (int) ((a - (long) t * Q) >> 32);
    }

    private static int reduce32(int a) {
        int t = (a + (1 << 22)) >> 23;
        return a - t * Q;
    }

    private static void reduce(int[] a) {
        for (int i = 0; i < N; i++) {
            a[i] = reduce32(a[i]);
        }
    }

    private static int caddq(int a) {
        return a + ((a >> 31) & Q);
    }

    /** High part of decompose() for gamma2 = (q-1)/32, for a in [0, q). */
    private static int highBits(int a) {
        int a1 = (a + 127) >> 7;
        a1 = (a1 * 1025 + (1 << 21)) >> 22;
        return a1 & 15;
    }

    /** Centred low part of decompose(), given its high part. */
    private static int lowBits(int a, int high) {
        int a0 = a - high * 2 * GAMMA2;
        return a0 - ((((Q - 1) / 2 - a0) >> 31) & Q);
    }

    private static int useHint(int a, int hint) {
        int high = highBits(a);
        if (hint == 0) {
            return high;
        }
        return lowBits(a, high) > 0 ? (high + 1) & 15 : (high - 1) & 15;
    }

    /** True when some coefficient's absolute value is at least {@code bound}. */
    private static boolean exceedsNorm(int[] a, int bound) {
        for (int c : a) {
            int t = c >> 31;
            if (c - (t & 2 * c) >= bound) {
                return true;
            }
        }
        return false;
    }

    private static int[] pointwise(int[] a, int[] b) {
        int[] c = new int[N];
        for (int i = 0; i < N; i++) {
            c[i] = montgomeryReduce((long) a[i] * b[i]);
        }
        return c;
    }

    private static int[][] matrixTimesVector(int[][][] a, int[][] v) {
        int[][] w = new int[K][];
        for (int i = 0; i < K; i++) {
            int[] acc = pointwise(a[i][0], v[0]);
            for (int j = 1; j < L; j++) {
                int[] t = pointwise(a[i][j], v[j]);
                for (int x = 0; x < N; x++) {
                    acc[x] += t[x];
                }
            }
            w[i] = acc;
        }
        return w;
    }

    private static void ntt(int[] a) {
        int k = 0;
        for (int len = 128; len > 0; len >>= 1) {
            for (int start = 0; start < N; start += 2 * len) {
                int zeta = ZETAS[++k];
                for (int j = start; j < start + len; j++) {
                    int t = montgomeryReduce((long) zeta * a[j + len]);
                    a[j + len] = a[j] - t;
                    a[j] = a[j] + t;
                }
            }
        }
    }

    private static void invNttToMont(int[] a) {
        int k = N;
        for (int len = 1; len < N; len <<= 1) {
            for (int start = 0; start < N; start += 2 * len) {
                int zeta = -ZETAS[--k];
                for (int j = start; j < start + len; j++) {
                    int t = a[j];
                    a[j] = t + a[j + len];
                    a[j + len] = montgomeryReduce((long) zeta * (t - a[j + len]));
                }
            }
        }
        for (int j = 0; j < N; j++) {
            a[j] = montgomeryReduce((long) INV_NTT_FACTOR * a[j]);
        }
    }

    private static int[] computeZetas() {
        long mont = (1L << 32) % Q;
        int[] zetas = new int[N];
        for (int k = 1; k < N; k++) {
            long v = mont * powMod(1753, Integer.reverse(k) >>> 24) % Q;
            zetas[k] = (int) (v > Q / 2 ? v - Q : v);
        }
        return zetas;
    }

    private static long powMod(long base, int exponent) {
        long result = 1;
        long b = base % Q;
        for (int e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result = result * b % Q;
            }
            b = b * b % Q;
        }
        return result;
    }

    /** The first zetas, for the test that checks the table against the reference implementation's. */
    static int[] zetasForTest() {
        return ZETAS.clone();
    }

    // ---- packing: each coefficient a is stored as (offset + sign * a) in a little-endian bit string

    private static void packBits(int[] a, int bits, int offset, int sign, byte[] out, int off) {
        long acc = 0;
        int accBits = 0;
        int o = off;
        for (int i = 0; i < N; i++) {
            acc |= (long) (offset + sign * a[i]) << accBits;
            accBits += bits;
            while (accBits >= 8) {
                out[o++] = (byte) acc;
                acc >>>= 8;
                accBits -= 8;
            }
        }
    }

    private static int[] unpackBits(byte[] in, int off, int bits, int offset, int sign) {
        int[] a = new int[N];
        long acc = 0;
        int accBits = 0;
        int i = off;
        int mask = (1 << bits) - 1;
        for (int j = 0; j < N; j++) {
            while (accBits < bits) {
                acc |= (long) (in[i++] & 0xff) << accBits;
                accBits += 8;
            }
            a[j] = sign * ((int) (acc & mask) - offset);
            acc >>>= bits;
            accBits -= bits;
        }
        return a;
    }

    private static int[][] copy(int[][] v) {
        int[][] c = new int[v.length][];
        for (int i = 0; i < v.length; i++) {
            c[i] = v[i].clone();
        }
        return c;
    }
}
