package network.sovereign.pouw.adapters.web.health;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import network.sovereign.pouw.application.port.in.CheckHealthUseCase;
import network.sovereign.pouw.application.port.in.HealthReport;
import network.sovereign.pouw.application.port.out.ComponentHealth;

/**
 * The node's checks as helidon-health {@link HealthCheck}s: liveness (the process answers), readiness
 * (the use case says the node may take traffic) and the component report behind {@code GET /health},
 * whose response details carry the report in the JSON shape of SPEC §4.
 */
public final class NodeHealthChecks {

    /** Detail keys of the component report, in the order {@code /health} shows them. */
    static final String STATUS = "status";
    static final String VERSION = "version";
    static final String UPTIME_SECONDS = "uptime_seconds";
    static final String COMPONENTS = "components";
    static final List<String> REPORT_KEYS = List.of(STATUS, VERSION, UPTIME_SECONDS, COMPONENTS);

    private static final System.Logger LOG = System.getLogger(NodeHealthChecks.class.getName());

    private final CheckHealthUseCase useCase;
    private final String version;

    /**
     * Creates the checks.
     *
     * @param useCase the application's health use case
     * @param version the node version, shown if the report itself cannot be produced
     */
    public NodeHealthChecks(CheckHealthUseCase useCase, String version) {
        this.useCase = Objects.requireNonNull(useCase, "useCase");
        this.version = Objects.requireNonNull(version, "version");
    }

    /** UP while the process can answer at all; never touches the database. */
    public HealthCheck liveness() {
        return new NamedCheck("process", HealthCheckType.LIVENESS,
                () -> HealthCheckResponse.builder().status(HealthCheckResponse.Status.UP).build());
    }

    /** UP when {@link CheckHealthUseCase#ready()} says so, DOWN otherwise, ERROR if it fails. */
    public HealthCheck readiness() {
        return new NamedCheck("readiness", HealthCheckType.READINESS, () -> {
            try {
                return HealthCheckResponse.builder().status(useCase.ready()).build();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "readiness check failed", e);
                return HealthCheckResponse.builder().status(HealthCheckResponse.Status.ERROR).build();
            }
        });
    }

    /**
     * The component report: DOWN when the node is unhealthy (a degraded node still serves), with the
     * report in the details; ERROR, with an unhealthy report without components, if it fails.
     */
    public HealthCheck components() {
        return new NamedCheck("components", HealthCheckType.READINESS, () -> {
            try {
                return fromReport(useCase.health());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "health report failed", e);
                return HealthCheckResponse.builder()
                        .status(HealthCheckResponse.Status.ERROR)
                        .detail(STATUS, ComponentHealth.Status.UNHEALTHY.wireName())
                        .detail(VERSION, version)
                        .detail(UPTIME_SECONDS, ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
                        .detail(COMPONENTS, List.of())
                        .build();
            }
        });
    }

    private static HealthCheckResponse fromReport(HealthReport report) {
        List<Map<String, Object>> components = new ArrayList<>(report.components().size());
        for (ComponentHealth component : report.components()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", component.name());
            json.put("status", component.status().wireName());
            json.put("message", component.message());
            json.put("response_time_ms", component.responseTimeMs());
            components.add(json);
        }
        boolean serving = report.status() != ComponentHealth.Status.UNHEALTHY;
        return HealthCheckResponse.builder()
                .status(serving)
                .detail(STATUS, report.status().wireName())
                .detail(VERSION, report.version())
                .detail(UPTIME_SECONDS, report.uptime().toSeconds())
                .detail(COMPONENTS, components)
                .build();
    }

    /** A check with a fixed name and type around a function. */
    private record NamedCheck(String name, HealthCheckType type, java.util.function.Supplier<HealthCheckResponse> body)
            implements HealthCheck {

        @Override
        public HealthCheckResponse call() {
            return body.get();
        }
    }
}
