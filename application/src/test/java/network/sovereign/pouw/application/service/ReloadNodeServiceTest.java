package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.ReloadNodeUseCase.ReloadResult;
import org.junit.jupiter.api.Test;

class ReloadNodeServiceTest {

    private final Fakes.InMemoryAudit audit = new Fakes.InMemoryAudit();
    private final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

    @Test
    void a_reload_runs_the_reloader_and_is_audited() {
        int[] calls = {0};
        ReloadResult result = new ReloadNodeService(() -> calls[0]++, audit, clock).reload("alice");
        assertInstanceOf(ReloadResult.Reloaded.class, result);
        assertEquals(1, calls[0]);
        assertEquals("reload", audit.events.getFirst().entry().action());
        assertEquals(Optional.of("{\"ok\":true}"), audit.events.getFirst().entry().details());
    }

    @Test
    void a_refused_reload_reports_why_and_is_audited_as_failed() {
        ReloadResult result = new ReloadNodeService(() -> {
            throw new IllegalArgumentException("POUW_TLS_CERT: \"/etc/x.pem\" is not readable");
        }, audit, clock).reload("alice");
        ReloadResult.Failed failed = assertInstanceOf(ReloadResult.Failed.class, result);
        assertEquals("POUW_TLS_CERT: \"/etc/x.pem\" is not readable", failed.detail());
        assertEquals(Optional.of("{\"ok\":false,\"error\":\"POUW_TLS_CERT: \\\"/etc/x.pem\\\" is not readable\"}"),
                audit.events.getFirst().entry().details());
    }
}
