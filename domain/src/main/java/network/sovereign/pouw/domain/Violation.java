package network.sovereign.pouw.domain;

import java.util.Objects;

/**
 * Why a receipt (or a request) breaks a rule: one of the closed set of reasons, and a detail for
 * the client and the operator.
 *
 * @param reason the rejection reason
 * @param detail a short human explanation, never secret
 */
public record Violation(RejectionReason reason, String detail) {

    /** Checks that nothing is null. */
    public Violation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
