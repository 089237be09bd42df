package network.sovereign.pouw.domain;

import java.util.Arrays;
import java.util.Optional;

/** What a client disputes (SPEC §7); the wire name is the {@code dispute_type} string. */
public enum DisputeType {
    REWARD_NOT_RECEIVED("RewardNotReceived"),
    INCORRECT_REWARD_AMOUNT("IncorrectRewardAmount"),
    RECEIPT_WRONGLY_REJECTED("ReceiptWronglyRejected"),
    CHALLENGE_NOT_ISSUED("ChallengeNotIssued"),
    DOUBLE_SPEND("DoubleSpend"),
    OTHER("Other");

    private final String wireName;

    DisputeType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code dispute_type} string used in the API, the signed text and the database. */
    public String wireName() {
        return wireName;
    }

    /** Looks a dispute type up by its exact wire name. */
    public static Optional<DisputeType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
