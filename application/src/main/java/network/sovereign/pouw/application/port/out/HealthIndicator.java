package network.sovereign.pouw.application.port.out;

/**
 * A driven component that can tell how it is doing (the database, the node key, the rate limiter,
 * the maintenance job). Implementations must answer quickly and never throw.
 */
public interface HealthIndicator {

    /** The component name shown in {@code /health}. */
    String componentName();

    /** Checks the component now. */
    ComponentHealth check();

    /** True when the node must not take traffic while this component is unhealthy. */
    default boolean requiredForReadiness() {
        return false;
    }
}
