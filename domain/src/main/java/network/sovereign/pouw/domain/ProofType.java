package network.sovereign.pouw.domain;

import java.util.Arrays;
import java.util.Optional;

/** The kind of useful work a receipt proves; the number is the pouw.v1 enum value. */
public enum ProofType {
    HASH(0, "hash"),
    MERKLE(1, "merkle"),
    SIGNATURE(2, "signature");

    private final int number;
    private final String jsonName;

    ProofType(int number, String jsonName) {
        this.number = number;
        this.jsonName = jsonName;
    }

    /** The protobuf enum number. */
    public int number() {
        return number;
    }

    /** The JSON name ({@code hash}, {@code merkle}, {@code signature}). */
    public String jsonName() {
        return jsonName;
    }

    /** Looks a proof type up by its JSON name. */
    public static Optional<ProofType> fromJsonName(String name) {
        return Arrays.stream(values()).filter(p -> p.jsonName.equals(name)).findFirst();
    }

    /** Looks a proof type up by its protobuf number. */
    public static Optional<ProofType> fromNumber(int number) {
        return Arrays.stream(values()).filter(p -> p.number == number).findFirst();
    }
}
