package network.sovereign.pouw.application.port.in;

import java.time.Duration;
import java.util.List;
import network.sovereign.pouw.application.port.out.ComponentHealth;

/**
 * What {@code GET /health} shows: the overall status (the worst component's), the node version,
 * its uptime and every component checked.
 *
 * @param status     worst status among the components
 * @param version    the node's version
 * @param uptime     time since the process started
 * @param components every component, in a stable order
 */
public record HealthReport(ComponentHealth.Status status, String version, Duration uptime,
                           List<ComponentHealth> components) {

    /** Copies the component list. */
    public HealthReport {
        components = List.copyOf(components);
    }
}
