package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import network.sovereign.pouw.application.port.in.HealthReport;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.ComponentHealth.Status;
import network.sovereign.pouw.application.port.out.HealthIndicator;
import org.junit.jupiter.api.Test;

class HealthServiceTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A component whose state the test sets. */
    private static final class Settable implements HealthIndicator {
        private final String name;
        private final boolean required;
        Status status = Status.HEALTHY;

        Settable(String name, boolean required) {
            this.name = name;
            this.required = required;
        }

        @Override
        public String componentName() {
            return name;
        }

        @Override
        public ComponentHealth check() {
            return new ComponentHealth(name, status, name + " is " + status.wireName(), 1);
        }

        @Override
        public boolean requiredForReadiness() {
            return required;
        }
    }

    private final Settable database = new Settable("database", true);
    private final Settable limiter = new Settable("rate_limiter", false);
    private final NodeLifecycle lifecycle = new NodeLifecycle();
    private final HealthService service = new HealthService(List.of(database, limiter), lifecycle,
            Clock.fixed(START.plusSeconds(125), ZoneOffset.UTC), START, "1.2.3");

    @Test
    void overall_status_is_the_worst_component_status() {
        assertEquals(Status.HEALTHY, service.health().status());
        limiter.status = Status.DEGRADED;
        assertEquals(Status.DEGRADED, service.health().status());
        database.status = Status.UNHEALTHY;
        assertEquals(Status.UNHEALTHY, service.health().status());
    }

    @Test
    void report_lists_components_in_order_with_version_and_uptime() {
        HealthReport report = service.health();
        assertEquals(List.of("database", "rate_limiter"), report.components().stream().map(ComponentHealth::name).toList());
        assertEquals("1.2.3", report.version());
        assertEquals(Duration.ofSeconds(125), report.uptime());
    }

    @Test
    void not_ready_before_migrations_nor_while_stopping() {
        assertFalse(service.ready(), "starting");
        lifecycle.markServing();
        assertTrue(service.ready());
        lifecycle.markStopping();
        assertFalse(service.ready(), "stopping");
        lifecycle.markServing();
        assertFalse(service.ready(), "a stopping node never becomes ready again");
    }

    @Test
    void not_ready_when_a_required_component_is_unhealthy_but_ready_when_an_optional_one_is() {
        lifecycle.markServing();
        limiter.status = Status.UNHEALTHY;
        assertTrue(service.ready());
        database.status = Status.DEGRADED;
        assertTrue(service.ready());
        database.status = Status.UNHEALTHY;
        assertFalse(service.ready());
    }

    @Test
    void an_indicator_that_throws_makes_its_component_unhealthy_not_the_endpoint_fail() {
        HealthIndicator broken = new HealthIndicator() {
            @Override
            public String componentName() {
                return "node_key";
            }

            @Override
            public ComponentHealth check() {
                throw new IllegalStateException("boom");
            }
        };
        HealthService withBroken = new HealthService(List.of(database, broken), lifecycle, Clock.systemUTC(), START, "x");
        HealthReport report = withBroken.health();
        assertEquals(Status.UNHEALTHY, report.status());
        assertEquals("health check failed: IllegalStateException", report.components().get(1).message());
    }
}
