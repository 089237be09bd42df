package network.sovereign.pouw.domain;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string (nonces, ids, keys, signatures) with value equality and lowercase hex,
 * the form {@code bytes} fields take in JSON.
 */
public final class Bytes implements Comparable<Bytes> {

    /** The empty byte string. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] value;

    private Bytes(byte[] value) {
        this.value = value;
    }

    /** A copy of the given bytes. */
    public static Bytes of(byte[] value) {
        return value.length == 0 ? EMPTY : new Bytes(value.clone());
    }

    /**
     * Parses lowercase or uppercase hex.
     *
     * @throws IllegalArgumentException when the text is not an even number of hex digits
     */
    public static Bytes fromHex(String hex) {
        return hex.isEmpty() ? EMPTY : new Bytes(HEX.parseHex(hex));
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return value.clone();
    }

    /** The number of bytes. */
    public int length() {
        return value.length;
    }

    /** True for the empty byte string. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /** The byte at an index. */
    public byte at(int index) {
        return value[index];
    }

    /** Lowercase hex. */
    public String hex() {
        return HEX.formatHex(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes that && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return value.length <= 32 ? hex() : hex().substring(0, 64) + "…(" + value.length + " bytes)";
    }
}
