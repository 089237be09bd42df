package network.sovereign.pouw.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * The closed set of reasons a receipt is rejected for; the wire name is used verbatim in responses,
 * in stored rejections and as the {@code reason} label of {@code pouw_receipts_rejected_total}.
 */
public enum RejectionReason {
    MALFORMED_RECEIPT("malformed_receipt"),
    UNKNOWN_CLIENT("unknown_client"),
    BLOCKED_DID("blocked_did"),
    INVALID_SIGNATURE("invalid_signature"),
    INVALID_CHALLENGE_BINDING("invalid_challenge_binding"),
    EXPIRED_CHALLENGE("expired_challenge"),
    POLICY_VIOLATION("policy_violation"),
    DUPLICATE_NONCE("duplicate_nonce");

    private final String wireName;

    RejectionReason(String wireName) {
        this.wireName = wireName;
    }

    /** The snake_case name used on the wire, in the database and as a metric label. */
    public String wireName() {
        return wireName;
    }

    /** Looks a reason up by its wire name. */
    public static Optional<RejectionReason> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }
}
