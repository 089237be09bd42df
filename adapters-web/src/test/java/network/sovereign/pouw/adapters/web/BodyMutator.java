package network.sovereign.pouw.adapters.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic mutation fuzzer for request bodies: each call takes a seed body and stacks
 * one to eight mutations on it (bit flips, interesting bytes, JSON-ish tokens, varint edges, inserted,
 * deleted and duplicated ranges, truncation, splices with another seed). The same seed always yields
 * the same sequence, so a failure is reproducible from its iteration number.
 *
 * <p>jqwik 1.9.3 is built on JUnit Platform 1.x and does not run on the JUnit Platform 6 this
 * project uses (docs/RELIABILITY.md), hence this plain-JUnit fuzzer.
 */
public final class BodyMutator {

    private static final byte[] INTERESTING_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '"', '{', '}', '[', ']', ',', ':', '\\', '0',
            '-', 'e', '.', ' ', '\n', (byte) 0xc3, (byte) 0xed, 0x08, 0x0a, 0x12, 0x22, 0x1a};
    private static final List<byte[]> TOKENS = List.of("null", "true", "false", "-1", "0", "1e999", "-0", "1.5",
                    "18446744073709551615", "18446744073709551616", "-9223372036854775809", "4294967296", "\"\"", "[]", "{}",
                    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1",
                    "\"\\ud800\"", "\"\\u0000\"", "\"zz\"", "\"0\"", "\"ABCDEF\"", "\"" + "ab".repeat(4096) + "\"", "\"did:sov:x\"",
                    "\"receipts\":", "\"receipt\":", "\"aux\":{}", "\"version\":2", "\"proof_type\":\"nope\"", "\"sig_scheme\":\"rsa\"",
                    "NaN", "Infinity", "\u00ff\u00fe", "\"\u00e9\"")
            .stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    private static final byte[][] VARINTS = {{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01},
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01},
            {0x00}, {(byte) 0x80}, {0x7f}, {(byte) 0xf8, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}};

    private final SplittableRandom random;
    private final List<byte[]> seeds;
    private final int maxLength;

    /**
     * Creates a mutator.
     *
     * @param seed      the random seed (the same seed gives the same bodies)
     * @param seeds     valid bodies to start from
     * @param maxLength longest body produced
     */
    public BodyMutator(long seed, List<byte[]> seeds, int maxLength) {
        this.random = new SplittableRandom(seed);
        this.seeds = List.copyOf(seeds);
        this.maxLength = maxLength;
    }

    /** The next mutated body. */
    public byte[] next() {
        byte[] body = seeds.get(random.nextInt(seeds.size())).clone();
        int rounds = 1 + random.nextInt(8);
        for (int i = 0; i < rounds; i++) {
            body = mutate(body);
            if (body.length > maxLength) {
                body = Arrays.copyOf(body, maxLength);
            }
        }
        return body;
    }

    private byte[] mutate(byte[] b) {
        int n = b.length;
        switch (random.nextInt(10)) {
            case 0 -> {
                if (n > 0) {
                    b[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                if (n > 0) {
                    b[random.nextInt(n)] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                }
                return b;
            }
            case 2 -> {
                return replace(b, TOKENS.get(random.nextInt(TOKENS.size())));
            }
            case 3 -> {
                return replace(b, VARINTS[random.nextInt(VARINTS.length)]);
            }
            case 4 -> {
                byte[] noise = new byte[1 + random.nextInt(16)];
                random.nextBytes(noise);
                return insert(b, random.nextInt(n + 1), noise);
            }
            case 5 -> {
                if (n == 0) {
                    return b;
                }
                int from = random.nextInt(n);
                int to = Math.min(n, from + 1 + random.nextInt(Math.max(1, n / 4)));
                return concat(Arrays.copyOf(b, from), Arrays.copyOfRange(b, to, n));
            }
            case 6 -> {
                if (n == 0) {
                    return b;
                }
                int from = random.nextInt(n);
                int to = Math.min(n, from + 1 + random.nextInt(64));
                return insert(b, random.nextInt(n + 1), Arrays.copyOfRange(b, from, to));
            }
            case 7 -> {
                return Arrays.copyOf(b, random.nextInt(n + 1));
            }
            case 8 -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = random.nextInt(n + 1);
                int otherCut = random.nextInt(other.length + 1);
                return concat(Arrays.copyOf(b, cut), Arrays.copyOfRange(other, otherCut, other.length));
            }
            default -> {
                if (n == 0) {
                    return b;
                }
                // A digit run made longer or a hex character swapped for another: numbers and hex fields.
                int at = random.nextInt(n);
                byte c = b[at];
                if (c >= '0' && c <= '9') {
                    return insert(b, at, "99999999999999999999".substring(random.nextInt(20)).getBytes(StandardCharsets.US_ASCII));
                }
                b[at] = (byte) "0123456789abcdefABCDEFxg".charAt(random.nextInt(24));
                return b;
            }
        }
    }

    private byte[] replace(byte[] b, byte[] token) {
        int n = b.length;
        int from = n == 0 ? 0 : random.nextInt(n);
        int to = Math.min(n, from + random.nextInt(12));
        return concat(concat(Arrays.copyOf(b, from), token), Arrays.copyOfRange(b, to, n));
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        return concat(concat(Arrays.copyOf(b, at), what), Arrays.copyOfRange(b, at, b.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
