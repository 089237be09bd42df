package network.sovereign.pouw.domain;

import java.util.List;

/**
 * The canonical bytes of the pouw.v1 messages: the deterministic proto3 serialization that
 * protobuf-java writes with {@code CodedOutputStream.useDeterministicSerialization()}, in pure Java.
 *
 * <p>Fields are written in number order; default values (0, false, empty bytes or string, enum 0) are
 * omitted; {@code uint32}, {@code uint64}, enums and bools are varints; bytes, strings and sub-messages
 * are length-delimited; the repeated enum {@code allowed_proof_types} is packed. A present {@code aux}
 * is written even when empty, an absent one not at all; {@code policy} and a signed receipt's
 * {@code receipt} are always present in the domain and therefore always written. Strings are UTF-8, an
 * unpaired surrogate becoming {@code '?'} as in {@link String#getBytes(java.nio.charset.Charset)}
 * (which is what protobuf-java falls back to). The domain keeps no unknown fields, so none are written.
 */
public final class CanonicalEncoding {

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LEN = 2;

    private CanonicalEncoding() {
    }

    /** The canonical bytes of a receipt: exactly what its client signs. */
    public static byte[] encode(Receipt receipt) {
        Out out = new Out(receiptSize(receipt));
        writeReceipt(out, receipt);
        return out.done();
    }

    /** The canonical bytes of a challenge token as given, its {@code node_signature} included when not empty. */
    public static byte[] encode(ChallengeToken token) {
        Out out = new Out(tokenSize(token));
        writeToken(out, token);
        return out.done();
    }

    /** The bytes the node signs: the canonical bytes of the token with an empty {@code node_signature}. */
    public static byte[] encodeForSigning(ChallengeToken token) {
        return encode(token.withSignature(Bytes.EMPTY));
    }

    /** The canonical bytes of a policy. */
    public static byte[] encode(Policy policy) {
        Out out = new Out(policySize(policy));
        writePolicy(out, policy);
        return out.done();
    }

    /** The canonical bytes of an aux message (empty for an aux with both fields empty). */
    public static byte[] encode(Aux aux) {
        Out out = new Out(auxSize(aux));
        writeAux(out, aux);
        return out.done();
    }

    /** The canonical bytes of a signed receipt. */
    public static byte[] encode(SignedReceipt signed) {
        Out out = new Out(signedSize(signed));
        writeSigned(out, signed);
        return out.done();
    }

    /** The canonical bytes of a receipt batch. */
    public static byte[] encode(ReceiptBatch batch) {
        Out out = new Out(batchSize(batch));
        writeBatch(out, batch);
        return out.done();
    }

    // ---- messages: size and write side by side, fields in number order ----

    private static int receiptSize(Receipt r) {
        return uint32Size(1, r.version())
                + bytesSize(2, r.taskId())
                + stringSize(3, r.clientDid())
                + bytesSize(4, r.clientNodeId())
                + bytesSize(5, r.providerId())
                + bytesSize(6, r.contentId())
                + enumSize(7, r.proofType().number())
                + uint64Size(8, r.bytesVerified())
                + boolSize(9, r.resultOk())
                + uint64Size(10, r.startedAt())
                + uint64Size(11, r.finishedAt())
                + bytesSize(12, r.receiptNonce())
                + bytesSize(13, r.challengeNonce())
                + (r.aux().isPresent() ? messageSize(14, auxSize(r.aux().get())) : 0);
    }

    private static void writeReceipt(Out out, Receipt r) {
        out.uint32(1, r.version());
        out.bytes(2, r.taskId());
        out.string(3, r.clientDid());
        out.bytes(4, r.clientNodeId());
        out.bytes(5, r.providerId());
        out.bytes(6, r.contentId());
        out.enumValue(7, r.proofType().number());
        out.uint64(8, r.bytesVerified());
        out.bool(9, r.resultOk());
        out.uint64(10, r.startedAt());
        out.uint64(11, r.finishedAt());
        out.bytes(12, r.receiptNonce());
        out.bytes(13, r.challengeNonce());
        if (r.aux().isPresent()) {
            Aux aux = r.aux().get();
            out.messageHeader(14, auxSize(aux));
            writeAux(out, aux);
        }
    }

    private static int auxSize(Aux a) {
        return bytesSize(1, a.merkleRoot()) + bytesSize(2, a.proofDigest());
    }

    private static void writeAux(Out out, Aux a) {
        out.bytes(1, a.merkleRoot());
        out.bytes(2, a.proofDigest());
    }

    private static int policySize(Policy p) {
        return uint32Size(1, p.maxReceipts())
                + uint64Size(2, p.maxBytesTotal())
                + uint64Size(3, p.minBytesPerReceipt())
                + packedEnumsSize(4, p.allowedProofTypes());
    }

    private static void writePolicy(Out out, Policy p) {
        out.uint32(1, p.maxReceipts());
        out.uint64(2, p.maxBytesTotal());
        out.uint64(3, p.minBytesPerReceipt());
        out.packedEnums(4, p.allowedProofTypes());
    }

    private static int tokenSize(ChallengeToken t) {
        return uint32Size(1, t.version())
                + bytesSize(2, t.nodeId())
                + bytesSize(3, t.taskId())
                + bytesSize(4, t.challengeNonce())
                + uint64Size(5, t.issuedAt())
                + uint64Size(6, t.expiresAt())
                + messageSize(7, policySize(t.policy()))
                + bytesSize(8, t.nodeSignature());
    }

    private static void writeToken(Out out, ChallengeToken t) {
        out.uint32(1, t.version());
        out.bytes(2, t.nodeId());
        out.bytes(3, t.taskId());
        out.bytes(4, t.challengeNonce());
        out.uint64(5, t.issuedAt());
        out.uint64(6, t.expiresAt());
        out.messageHeader(7, policySize(t.policy()));
        writePolicy(out, t.policy());
        out.bytes(8, t.nodeSignature());
    }

    private static int signedSize(SignedReceipt s) {
        return messageSize(1, receiptSize(s.receipt()))
                + stringSize(2, s.sigScheme())
                + bytesSize(3, s.signature());
    }

    private static void writeSigned(Out out, SignedReceipt s) {
        out.messageHeader(1, receiptSize(s.receipt()));
        writeReceipt(out, s.receipt());
        out.string(2, s.sigScheme());
        out.bytes(3, s.signature());
    }

    private static int batchSize(ReceiptBatch b) {
        int size = uint32Size(1, b.version())
                + stringSize(2, b.clientDid())
                + bytesSize(3, b.batchNonce());
        for (SignedReceipt s : b.receipts()) {
            size += messageSize(4, signedSize(s));
        }
        return size;
    }

    private static void writeBatch(Out out, ReceiptBatch b) {
        out.uint32(1, b.version());
        out.string(2, b.clientDid());
        out.bytes(3, b.batchNonce());
        for (SignedReceipt s : b.receipts()) {
            out.messageHeader(4, signedSize(s));
            writeSigned(out, s);
        }
    }

    // ---- field sizes (zero for an omitted default) ----

    private static int tagSize(int field) {
        return varintSize(field << 3);
    }

    private static int uint32Size(int field, int value) {
        return value == 0 ? 0 : tagSize(field) + varintSize(Integer.toUnsignedLong(value));
    }

    private static int uint64Size(int field, long value) {
        return value == 0 ? 0 : tagSize(field) + varintSize(value);
    }

    private static int enumSize(int field, int number) {
        // protobuf writes enums as int32: a negative number is sign-extended to ten bytes.
        return number == 0 ? 0 : tagSize(field) + varintSize(number);
    }

    private static int boolSize(int field, boolean value) {
        return value ? tagSize(field) + 1 : 0;
    }

    private static int bytesSize(int field, Bytes value) {
        return value.isEmpty() ? 0 : lengthDelimitedSize(field, value.length());
    }

    private static int stringSize(int field, String value) {
        return value.isEmpty() ? 0 : lengthDelimitedSize(field, utf8Length(value));
    }

    private static int messageSize(int field, int contentSize) {
        return lengthDelimitedSize(field, contentSize);
    }

    private static int packedEnumsSize(int field, List<ProofType> values) {
        if (values.isEmpty()) {
            return 0;
        }
        return lengthDelimitedSize(field, packedContentSize(values));
    }

    private static int packedContentSize(List<ProofType> values) {
        int content = 0;
        for (ProofType type : values) {
            content += varintSize(type.number());
        }
        return content;
    }

    private static int lengthDelimitedSize(int field, int contentSize) {
        return tagSize(field) + varintSize(contentSize) + contentSize;
    }

    /** Bytes of the unsigned varint of {@code value} (a negative long is a ten-byte uint64). */
    private static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** The length of the UTF-8 that {@link Out#utf8} writes, without encoding. */
    private static int utf8Length(String s) {
        int length = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length += 1; // unpaired: '?'
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** A fixed-size output buffer, sized exactly beforehand. */
    private static final class Out {
        private final byte[] buffer;
        private int position;

        Out(int size) {
            buffer = new byte[size];
        }

        byte[] done() {
            if (position != buffer.length) {
                throw new IllegalStateException("canonical encoding wrote " + position + " of " + buffer.length + " bytes");
            }
            return buffer;
        }

        void uint32(int field, int value) {
            if (value != 0) {
                tag(field, WIRE_VARINT);
                varint(Integer.toUnsignedLong(value));
            }
        }

        void uint64(int field, long value) {
            if (value != 0) {
                tag(field, WIRE_VARINT);
                varint(value);
            }
        }

        void enumValue(int field, int number) {
            if (number != 0) {
                tag(field, WIRE_VARINT);
                varint(number);
            }
        }

        void bool(int field, boolean value) {
            if (value) {
                tag(field, WIRE_VARINT);
                buffer[position++] = 1;
            }
        }

        void bytes(int field, Bytes value) {
            if (!value.isEmpty()) {
                tag(field, WIRE_LEN);
                varint(value.length());
                byte[] raw = value.toArray();
                System.arraycopy(raw, 0, buffer, position, raw.length);
                position += raw.length;
            }
        }

        void string(int field, String value) {
            if (!value.isEmpty()) {
                tag(field, WIRE_LEN);
                varint(utf8Length(value));
                utf8(value);
            }
        }

        void messageHeader(int field, int contentSize) {
            tag(field, WIRE_LEN);
            varint(contentSize);
        }

        void packedEnums(int field, List<ProofType> values) {
            if (!values.isEmpty()) {
                tag(field, WIRE_LEN);
                varint(packedContentSize(values));
                for (ProofType type : values) {
                    varint(type.number());
                }
            }
        }

        private void tag(int field, int wireType) {
            varint((field << 3) | wireType);
        }

        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                buffer[position++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[position++] = (byte) value;
        }

        private void utf8(String s) {
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    buffer[position++] = (byte) c;
                } else if (c < 0x800) {
                    buffer[position++] = (byte) (0xC0 | (c >>> 6));
                    buffer[position++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int codePoint = Character.toCodePoint(c, s.charAt(++i));
                    buffer[position++] = (byte) (0xF0 | (codePoint >>> 18));
                    buffer[position++] = (byte) (0x80 | ((codePoint >>> 12) & 0x3F));
                    buffer[position++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3F));
                    buffer[position++] = (byte) (0x80 | (codePoint & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    buffer[position++] = '?';
                } else {
                    buffer[position++] = (byte) (0xE0 | (c >>> 12));
                    buffer[position++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                    buffer[position++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }
    }
}
