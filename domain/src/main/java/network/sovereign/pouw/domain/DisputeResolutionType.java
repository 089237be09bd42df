package network.sovereign.pouw.domain;

import java.util.Arrays;
import java.util.Optional;

/** How an admin resolves a dispute, and the status each resolution leads to. */
public enum DisputeResolutionType {
    CLAIMANT_CORRECT("ClaimantCorrect", DisputeStatus.RESOLVED_FOR_CLAIMANT),
    PARTIAL_RESOLUTION("PartialResolution", DisputeStatus.RESOLVED_FOR_CLAIMANT),
    NODE_CORRECT("NodeCorrect", DisputeStatus.RESOLVED_FOR_NODE),
    INCONCLUSIVE("Inconclusive", DisputeStatus.CLOSED);

    private final String wireName;
    private final DisputeStatus outcome;

    DisputeResolutionType(String wireName, DisputeStatus outcome) {
        this.wireName = wireName;
        this.outcome = outcome;
    }

    /** The {@code resolution_type} string, also the metric label. */
    public String wireName() {
        return wireName;
    }

    /** The status a dispute takes when resolved this way. */
    public DisputeStatus outcome() {
        return outcome;
    }

    /** Looks a resolution type up by its wire name. */
    public static Optional<DisputeResolutionType> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }
}
