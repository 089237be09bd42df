package network.sovereign.pouw.application.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import network.sovereign.pouw.application.port.in.CheckHealthUseCase;
import network.sovereign.pouw.application.port.in.HealthReport;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.HealthIndicator;

/** Aggregates the components' health into the node's health and readiness. */
public final class HealthService implements CheckHealthUseCase {

    private final List<HealthIndicator> indicators;
    private final NodeLifecycle lifecycle;
    private final Clock clock;
    private final Instant startedAt;
    private final String version;

    /**
     * Creates the service.
     *
     * @param indicators the components, in the order {@code /health} lists them
     * @param lifecycle  the node's life cycle
     * @param clock      the clock uptime is measured with
     * @param startedAt  when the process started
     * @param version    the node's version
     */
    public HealthService(List<HealthIndicator> indicators, NodeLifecycle lifecycle, Clock clock,
                         Instant startedAt, String version) {
        this.indicators = List.copyOf(indicators);
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.version = Objects.requireNonNull(version, "version");
    }

    @Override
    public HealthReport health() {
        List<ComponentHealth> components = new ArrayList<>(indicators.size());
        ComponentHealth.Status overall = ComponentHealth.Status.HEALTHY;
        for (HealthIndicator indicator : indicators) {
            ComponentHealth component = safeCheck(indicator);
            components.add(component);
            overall = overall.worst(component.status());
        }
        Duration uptime = Duration.between(startedAt, clock.instant());
        return new HealthReport(overall, version, uptime.isNegative() ? Duration.ZERO : uptime, components);
    }

    @Override
    public boolean ready() {
        if (lifecycle.phase() != NodeLifecycle.Phase.SERVING) {
            return false;
        }
        for (HealthIndicator indicator : indicators) {
            if (indicator.requiredForReadiness()
                    && safeCheck(indicator).status() == ComponentHealth.Status.UNHEALTHY) {
                return false;
            }
        }
        return true;
    }

    private static ComponentHealth safeCheck(HealthIndicator indicator) {
        try {
            return indicator.check();
        } catch (RuntimeException e) {
            // An indicator must not throw; if one does, the component is unhealthy, not the endpoint.
            return new ComponentHealth(indicator.componentName(), ComponentHealth.Status.UNHEALTHY,
                    "health check failed: " + e.getClass().getSimpleName(), 0);
        }
    }
}
