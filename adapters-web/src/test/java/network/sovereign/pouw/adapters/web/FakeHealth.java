package network.sovereign.pouw.adapters.web;

import java.time.Duration;
import java.util.List;
import network.sovereign.pouw.application.port.in.CheckHealthUseCase;
import network.sovereign.pouw.application.port.in.HealthReport;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.ComponentHealth.Status;

/** A health use case the test steers: readiness, the report, or a failure. */
final class FakeHealth implements CheckHealthUseCase {

    volatile boolean ready = true;
    volatile HealthReport report = report(Status.HEALTHY, Status.HEALTHY);
    volatile RuntimeException failure;

    static HealthReport report(Status database, Status nodeKey) {
        List<ComponentHealth> components = List.of(
                new ComponentHealth("database", database, "select 1 answered", 3),
                new ComponentHealth("node_key", nodeKey, "ed25519 \"key\" loaded", 0));
        return new HealthReport(database.worst(nodeKey), "1.2.3-test", Duration.ofSeconds(42), components);
    }

    @Override
    public HealthReport health() {
        if (failure != null) {
            throw failure;
        }
        return report;
    }

    @Override
    public boolean ready() {
        if (failure != null) {
            throw failure;
        }
        return ready;
    }
}
