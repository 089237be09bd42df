package network.sovereign.pouw.adapters.web.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * Seeded random pouw.v1 domain messages, biased towards the edges: zero values, varint length
 * boundaries, uint64 values at and above 2^63, empty versus absent aux, empty and repeated proof types,
 * long strings and byte strings.
 */
final class RandomMessages {

    private static final long[] UINT64_EDGES = {0, 1, 127, 128, 16_383, 16_384, (1L << 21) - 1, 1L << 21, (1L << 35),
            (1L << 56) - 1, 1L << 56, (1L << 63) - 1, 1L << 63, -1L, -2L, 0xFFFF_FFFFL, 1L << 32};
    private static final int[] UINT32_EDGES = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 255};

    private final SplittableRandom random;

    RandomMessages(long seed) {
        random = new SplittableRandom(seed);
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int uint32() {
        double roll = random.nextDouble();
        if (roll < 0.25) {
            return 0;
        }
        if (roll < 0.30) {
            return 1;
        }
        if (roll < 0.55) {
            return UINT32_EDGES[random.nextInt(UINT32_EDGES.length)];
        }
        if (roll < 0.80) {
            return random.nextInt(1 << random.nextInt(1, 31));
        }
        return random.nextInt(); // any 32 bits, half of them >= 2^31 unsigned
    }

    long uint64() {
        double roll = random.nextDouble();
        if (roll < 0.25) {
            return 0;
        }
        if (roll < 0.50) {
            return UINT64_EDGES[random.nextInt(UINT64_EDGES.length)];
        }
        if (roll < 0.65) {
            return random.nextLong() | Long.MIN_VALUE; // >= 2^63
        }
        if (roll < 0.85) {
            return random.nextLong(1L << random.nextInt(1, 63));
        }
        return random.nextLong();
    }

    int nonNegative32() {
        return uint32() & Integer.MAX_VALUE;
    }

    long nonNegative64() {
        return uint64() & Long.MAX_VALUE;
    }

    Bytes bytes() {
        double roll = random.nextDouble();
        int length;
        if (roll < 0.30) {
            length = 0;
        } else if (roll < 0.80) {
            length = random.nextInt(1, 40);
        } else if (roll < 0.967) {
            length = random.nextBoolean() ? 127 : 128;
        } else if (roll < 0.997) {
            length = random.nextInt(100, 5_000);
        } else {
            length = random.nextInt(16_380, 20_000); // three-byte length varint
        }
        byte[] value = new byte[length];
        random.nextBytes(value);
        return Bytes.of(value);
    }

    /** Valid UTF-16 (no unpaired surrogates, which protobuf-java can neither parse back nor encode quietly). */
    String string() {
        double roll = random.nextDouble();
        int codePoints;
        if (roll < 0.30) {
            return "";
        } else if (roll < 0.50) {
            return "did:key:z" + Long.toUnsignedString(random.nextLong(), 36);
        } else if (roll < 0.967) {
            codePoints = random.nextInt(1, 60);
        } else if (roll < 0.997) {
            codePoints = random.nextInt(60, 3_000);
        } else {
            codePoints = random.nextInt(10_000, 20_000);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(codePoint());
        }
        return text.toString();
    }

    private int codePoint() {
        return switch (random.nextInt(5)) {
            case 0, 1 -> random.nextInt(0x00, 0x80);
            case 2 -> random.nextInt(0x80, 0x800);
            case 3 -> {
                int c = random.nextInt(0x800, 0x10000 - 0x800);
                yield c >= 0xD800 ? c + 0x800 : c; // skip the surrogate block
            }
            default -> random.nextInt(0x10000, 0x110000);
        };
    }

    ProofType proofType() {
        return chance(0.3) ? ProofType.HASH : ProofType.values()[random.nextInt(ProofType.values().length)];
    }

    List<ProofType> proofTypes() {
        double roll = random.nextDouble();
        int count = roll < 0.35 ? 0 : roll < 0.95 ? random.nextInt(1, 8) : random.nextInt(100, 300);
        List<ProofType> types = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            types.add(ProofType.values()[random.nextInt(ProofType.values().length)]);
        }
        return types;
    }

    Optional<Aux> aux() {
        double roll = random.nextDouble();
        if (roll < 0.40) {
            return Optional.empty();
        }
        if (roll < 0.60) {
            return Optional.of(new Aux(Bytes.EMPTY, Bytes.EMPTY));
        }
        return Optional.of(new Aux(bytes(), bytes()));
    }

    Policy policy() {
        return new Policy(nonNegative32(), nonNegative64(), nonNegative64(), proofTypes());
    }

    ChallengeToken token() {
        return new ChallengeToken(uint32(), bytes(), bytes(), bytes(), uint64(), uint64(), policy(), bytes());
    }

    Receipt receipt() {
        return new Receipt(uint32(), bytes(), string(), bytes(), bytes(), bytes(), proofType(), uint64(), random.nextBoolean(),
                uint64(), uint64(), bytes(), bytes(), aux());
    }

    SignedReceipt signed() {
        return new SignedReceipt(receipt(), chance(0.5) ? "ed25519" : string(), bytes());
    }

    ReceiptBatch batch() {
        double roll = random.nextDouble();
        int count = roll < 0.15 ? 0 : roll < 0.98 ? random.nextInt(1, 5) : random.nextInt(20, 50);
        List<SignedReceipt> receipts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            receipts.add(signed());
        }
        return new ReceiptBatch(uint32(), string(), bytes(), receipts);
    }
}
