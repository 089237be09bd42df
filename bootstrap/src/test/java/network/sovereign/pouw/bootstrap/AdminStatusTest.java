package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code admin status} put together from the node's answers, pages counted, refusals shown per part. */
class AdminStatusTest {

    private static final String HEALTH = """
            {"status":"healthy","version":"1.2.3","uptime_seconds":42,"components":[{"name":"database","status":"UP","response_time_ms":2}]}""";
    private static final String SETTINGS = """
            {"settings":{"challenge_ttl_secs":{"value":300,"source":"config","config_value":300,"expires_at":null,"updated_by":null},
            "rate_limit_ip":{"value":5,"source":"override","config_value":100,"expires_at":"2026-12-04T03:00:00Z","updated_by":"ops"}}}""";
    private static final String EPOCHS = """
            {"current_epoch":11,"current_epoch_started_at":"2026-12-04T00:00:00Z","current_epoch_ends_at":"2026-12-05T00:00:00Z",\
            "epoch_secs":86400,"last_closed_epoch":10}""";

    private final Map<String, AdminStatus.Answer> answers = new HashMap<>();
    private final List<String> asked = new ArrayList<>();

    private String run(boolean json, int expectedExit) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = AdminStatus.run(path -> {
            asked.add(path);
            return answers.getOrDefault(path, new AdminStatus.Answer(404, "{\"title\":\"Not Found\"}"));
        }, "http://127.0.0.1:8080", json, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, out);
        return out;
    }

    private void healthyNode() {
        answers.put("/health", new AdminStatus.Answer(200, HEALTH));
        answers.put("/health/ready", new AdminStatus.Answer(200, "{\"status\":\"UP\"}"));
        answers.put("/api/v1/admin/settings", new AdminStatus.Answer(200, SETTINGS));
        answers.put("/api/v1/admin/epochs", new AdminStatus.Answer(200, EPOCHS));
        answers.put("/api/v1/admin/blocked-dids?limit=500", new AdminStatus.Answer(200,
                "{\"items\":[{\"did\":\"did:sov:a\"},{\"did\":\"did:sov:b\"}],\"next_cursor\":\"Yw==\"}"));
        answers.put("/api/v1/admin/blocked-dids?limit=500&cursor=Yw%3D%3D", new AdminStatus.Answer(200,
                "{\"items\":[{\"did\":\"did:sov:c\"}],\"next_cursor\":null}"));
        answers.put("/api/v1/admin/rewards?status=pending&limit=500", new AdminStatus.Answer(200,
                "{\"items\":[{\"amount_atoms\":\"1500000000000000000\"},{\"amount_atoms\":\"1000000000000000000\"}],\"next_cursor\":null}"));
    }

    @Test
    void a_ready_node_is_summed_up_in_one_line_per_part() throws Exception {
        healthyNode();
        String out = run(false, Main.EXIT_OK);
        assertEquals("""
                node:            http://127.0.0.1:8080 (version 1.2.3, up 42 s)
                health:          healthy (database UP)
                readiness:       ready
                overrides:       rate_limit_ip=5 (config 100, until 2026-12-04T03:00:00Z, by ops)
                blocked DIDs:    3
                epochs:          current 11 (2026-12-04T00:00:00Z .. 2026-12-05T00:00:00Z), last closed 10
                pending payouts: 2 (2.5 SOV)
                """, out);
        assertTrue(asked.stream().allMatch(p -> !p.contains("POST")), "read-only: " + asked);
    }

    @Test
    void json_carries_the_same_parts() throws Exception {
        healthyNode();
        Object parsed = CliJson.parse(run(true, Main.EXIT_OK));
        Map<?, ?> summary = (Map<?, ?>) parsed;
        assertEquals(Boolean.TRUE, summary.get("ready"));
        assertEquals("healthy", summary.get("health"));
        assertEquals("3", ((CliJson.Number) ((Map<?, ?>) summary.get("blocked_dids")).get("count")).text());
        assertEquals("2500000000000000000", ((Map<?, ?>) summary.get("pending_payouts")).get("amount_atoms"));
        assertTrue(((Map<?, ?>) summary.get("overrides")).containsKey("rate_limit_ip"));
        assertEquals(1, ((Map<?, ?>) summary.get("overrides")).size(), "config values are not overrides");
    }

    @Test
    void a_database_outage_shows_not_ready_and_each_refused_part_and_exits_1() throws Exception {
        answers.put("/health", new AdminStatus.Answer(503, """
                {"status":"unhealthy","version":"1.2.3","uptime_seconds":42,"components":[{"name":"database","status":"DOWN","message":"connection refused"}]}"""));
        answers.put("/health/ready", new AdminStatus.Answer(503, "{\"status\":\"DOWN\"}"));
        AdminStatus.Answer down = new AdminStatus.Answer(503, "{\"title\":\"Service Unavailable\",\"detail\":\"the database is unavailable\"}");
        answers.put("/api/v1/admin/settings", down);
        answers.put("/api/v1/admin/epochs", new AdminStatus.Answer(200, EPOCHS));
        answers.put("/api/v1/admin/blocked-dids?limit=500", down);
        answers.put("/api/v1/admin/rewards?status=pending&limit=500", down);
        String out = run(false, Main.EXIT_FAILURE);
        assertTrue(out.contains("health:          unhealthy (database DOWN: connection refused)"), out);
        assertTrue(out.contains("readiness:       NOT ready"), out);
        assertTrue(out.contains("overrides:       error: 503 Service Unavailable: the database is unavailable"), out);
        assertTrue(out.contains("blocked DIDs:    error: 503 Service Unavailable"), out);
        assertTrue(out.contains("last closed 10"), out);
    }

    @Test
    void counting_stops_after_the_page_limit_and_says_at_least() throws Exception {
        healthyNode();
        answers.put("/api/v1/admin/blocked-dids?limit=500", new AdminStatus.Answer(200, "{\"items\":[{}],\"next_cursor\":\"x\"}"));
        answers.put("/api/v1/admin/blocked-dids?limit=500&cursor=x", new AdminStatus.Answer(200, "{\"items\":[{}],\"next_cursor\":\"x\"}"));
        String out = run(false, Main.EXIT_OK);
        assertTrue(out.contains("blocked DIDs:    at least " + AdminStatus.MAX_PAGES + "\n"), out);
    }
}
