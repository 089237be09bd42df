package network.sovereign.pouw.domain;

import java.util.Arrays;
import java.util.Optional;

/** Where a dispute stands: {@code open → under_investigation → resolved_* | rejected | closed}. */
public enum DisputeStatus {
    OPEN("open"),
    UNDER_INVESTIGATION("under_investigation"),
    RESOLVED_FOR_CLAIMANT("resolved_for_claimant"),
    RESOLVED_FOR_NODE("resolved_for_node"),
    REJECTED("rejected"),
    CLOSED("closed");

    private final String wireName;

    DisputeStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The status string used in the API and the database. */
    public String wireName() {
        return wireName;
    }

    /** True once the dispute can no longer change. */
    public boolean isFinal() {
        return this != OPEN && this != UNDER_INVESTIGATION;
    }

    /**
     * The state machine of SPEC §7: an open dispute may go under investigation or be settled at once;
     * one under investigation may only be settled; a settled dispute never changes again.
     */
    public boolean canMoveTo(DisputeStatus next) {
        return switch (this) {
            case OPEN -> next != OPEN;
            case UNDER_INVESTIGATION -> next.isFinal();
            case RESOLVED_FOR_CLAIMANT, RESOLVED_FOR_NODE, REJECTED, CLOSED -> false;
        };
    }

    /** Looks a status up by its wire name. */
    public static Optional<DisputeStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
