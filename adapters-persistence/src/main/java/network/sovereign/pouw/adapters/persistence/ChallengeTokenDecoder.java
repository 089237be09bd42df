package network.sovereign.pouw.adapters.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;

/**
 * Reads the {@code challenges.token} column back: a pouw.v1 {@code ChallengeToken} in its canonical
 * encoding, as {@link network.sovereign.pouw.domain.CanonicalEncoding#encode(ChallengeToken)} wrote it
 * when the challenge was saved.
 *
 * <p>The token is stored whole because the columns cannot hold all of it ({@code version} and
 * {@code node_signature} have none): {@code find} decodes this column and so returns exactly the token
 * that was issued and signed. The decoder accepts any valid proto3 encoding of the message (unknown
 * fields skipped, proof types packed or not), not only the canonical one.
 */
final class ChallengeTokenDecoder {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private ChallengeTokenDecoder() {
    }

    /**
     * Decodes a stored token.
     *
     * @throws IllegalArgumentException when the bytes are not a {@code ChallengeToken} this node could have issued
     */
    static ChallengeToken decode(byte[] encoded) {
        Reader r = new Reader(encoded, 0, encoded.length);
        int version = 0;
        Bytes nodeId = Bytes.EMPTY;
        Bytes taskId = Bytes.EMPTY;
        Bytes challengeNonce = Bytes.EMPTY;
        long issuedAt = 0;
        long expiresAt = 0;
        Policy policy = new Policy(0, 0, 0, List.of());
        Bytes signature = Bytes.EMPTY;
        while (r.hasMore()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            switch (field) {
                case 1 -> version = (int) r.expect(wireType, VARINT).varint();
                case 2 -> nodeId = r.expect(wireType, LENGTH_DELIMITED).lengthDelimited();
                case 3 -> taskId = r.expect(wireType, LENGTH_DELIMITED).lengthDelimited();
                case 4 -> challengeNonce = r.expect(wireType, LENGTH_DELIMITED).lengthDelimited();
                case 5 -> issuedAt = r.expect(wireType, VARINT).varint();
                case 6 -> expiresAt = r.expect(wireType, VARINT).varint();
                case 7 -> policy = decodePolicy(r.expect(wireType, LENGTH_DELIMITED).lengthDelimited().toArray());
                case 8 -> signature = r.expect(wireType, LENGTH_DELIMITED).lengthDelimited();
                default -> r.skip(wireType);
            }
        }
        return new ChallengeToken(version, nodeId, taskId, challengeNonce, issuedAt, expiresAt, policy, signature);
    }

    private static Policy decodePolicy(byte[] encoded) {
        Reader r = new Reader(encoded, 0, encoded.length);
        int maxReceipts = 0;
        long maxBytesTotal = 0;
        long minBytesPerReceipt = 0;
        List<ProofType> allowed = new ArrayList<>();
        while (r.hasMore()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            switch (field) {
                case 1 -> maxReceipts = (int) r.expect(wireType, VARINT).varint();
                case 2 -> maxBytesTotal = r.expect(wireType, VARINT).varint();
                case 3 -> minBytesPerReceipt = r.expect(wireType, VARINT).varint();
                case 4 -> {
                    if (wireType == LENGTH_DELIMITED) {
                        byte[] packed = r.lengthDelimited().toArray();
                        Reader p = new Reader(packed, 0, packed.length);
                        while (p.hasMore()) {
                            allowed.add(proofType(p.varint()));
                        }
                    } else {
                        allowed.add(proofType(r.expect(wireType, VARINT).varint()));
                    }
                }
                default -> r.skip(wireType);
            }
        }
        return new Policy(maxReceipts, maxBytesTotal, minBytesPerReceipt, allowed);
    }

    private static ProofType proofType(long number) {
        if (number < 0 || number > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("unknown proof type " + Long.toUnsignedString(number));
        }
        return ProofType.fromNumber((int) number)
                .orElseThrow(() -> new IllegalArgumentException("unknown proof type " + number));
    }

    /** Reads proto3 fields from a slice, refusing truncated or overlong input. */
    private static final class Reader {
        private final byte[] data;
        private final int end;
        private int position;

        Reader(byte[] data, int offset, int end) {
            this.data = data;
            this.position = offset;
            this.end = end;
        }

        boolean hasMore() {
            return position < end;
        }

        Reader expect(int wireType, int expected) {
            if (wireType != expected) {
                throw new IllegalArgumentException("wire type " + wireType + " where " + expected + " was expected");
            }
            return this;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = data[position++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes");
        }

        Bytes lengthDelimited() {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw new IllegalArgumentException("length " + Long.toUnsignedString(length) + " exceeds the input");
            }
            Bytes value = Bytes.of(Arrays.copyOfRange(data, position, position + (int) length));
            position += (int) length;
            return value;
        }

        void skip(int wireType) {
            switch (wireType) {
                case VARINT -> varint();
                case FIXED64 -> advance(8);
                case LENGTH_DELIMITED -> lengthDelimited();
                case FIXED32 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
            }
        }

        private void advance(int count) {
            if (count > end - position) {
                throw new IllegalArgumentException("truncated field");
            }
            position += count;
        }
    }
}
