package network.sovereign.pouw.domain;

import java.util.Arrays;
import java.util.Optional;

/** Where a payout stands (SPEC §6): {@code pending → processing → paid | failed}, {@code failed → processing} to retry. */
public enum PayoutStatus {
    PENDING("pending"),
    PROCESSING("processing"),
    PAID("paid"),
    FAILED("failed");

    private final String wireName;

    PayoutStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The status string used in the API and the database. */
    public String wireName() {
        return wireName;
    }

    /** The state machine: paid is final; failed may be retried through processing. */
    public boolean canMoveTo(PayoutStatus next) {
        return switch (this) {
            case PENDING, FAILED -> next == PROCESSING;
            case PROCESSING -> next == PAID || next == FAILED;
            case PAID -> false;
        };
    }

    /** Looks a status up by its wire name. */
    public static Optional<PayoutStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
