package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One admin action for the audit trail ({@code admin_audit}, SPEC §4 {@code GET /audit}): who did
 * what to which target, why, and when.
 *
 * @param actor   the admin token's name (never the token), at most {@value #MAX_ACTOR} characters
 * @param action  what was done, snake_case, e.g. {@code block_did}, at most {@value #MAX_ACTION} characters
 * @param target  what it was done to, e.g. a DID, at most {@value #MAX_TARGET} characters
 * @param reason  the reason the admin gave, at most {@value #MAX_REASON} characters
 * @param details anything else worth keeping, e.g. {@code already_blocked}, at most {@value #MAX_DETAILS} characters
 * @param at      when it was done
 */
public record AuditEntry(String actor, String action, Optional<String> target, Optional<String> reason, Optional<String> details,
                         Instant at) {

    /** The longest actor the audit trail holds. */
    public static final int MAX_ACTOR = 128;
    /** The longest action. */
    public static final int MAX_ACTION = 64;
    /** The longest target. */
    public static final int MAX_TARGET = 256;
    /** The longest reason. */
    public static final int MAX_REASON = 1024;
    /** The longest details text. */
    public static final int MAX_DETAILS = 4000;

    /** Checks that nothing is null and every text fits its column. */
    public AuditEntry {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(at, "at");
        check("actor", actor, MAX_ACTOR);
        check("action", action, MAX_ACTION);
        target.ifPresent(t -> check("target", t, MAX_TARGET));
        reason.ifPresent(r -> check("reason", r, MAX_REASON));
        details.ifPresent(d -> check("details", d, MAX_DETAILS));
    }

    private static void check(String name, String value, int max) {
        if (value.isEmpty() || value.length() > max || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an audit " + name + " is 1.." + max + " characters without NUL");
        }
    }
}
