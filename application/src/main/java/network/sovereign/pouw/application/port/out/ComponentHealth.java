package network.sovereign.pouw.application.port.out;

import java.util.Objects;

/**
 * The state of one component of the node as a health indicator reports it.
 *
 * @param name           component name as shown in {@code /health} (e.g. {@code database})
 * @param status         healthy, degraded or unhealthy
 * @param message        a short human sentence on why
 * @param responseTimeMs how long the check took, in milliseconds
 */
public record ComponentHealth(String name, Status status, String message, long responseTimeMs) {

    /** Health of one component, ordered from best to worst. */
    public enum Status {
        HEALTHY, DEGRADED, UNHEALTHY;

        /** The lower-case name used in {@code /health}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The worse of two states. */
        public Status worst(Status other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    /** Checks the invariants. */
    public ComponentHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        if (responseTimeMs < 0) {
            throw new IllegalArgumentException("responseTimeMs must not be negative");
        }
    }
}
