package network.sovereign.pouw.adapters.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.MaintenanceTask;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase;
import network.sovereign.pouw.application.port.in.ReloadNodeUseCase;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase;
import network.sovereign.pouw.application.port.in.SettingKnob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The settings, maintenance and reload routes over a real socket, with in-memory use cases. */
class AdminOperationsHttpServicesTest {

    private static final String TOKEN = "alice-admin-token-0123456789abcdef";
    private static final String PREFIX = "/api/v1/admin";
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Overrides in memory; range checks of the real service are tested in application. */
    private static final class FakeSettings implements ManageSettingsUseCase {
        final Map<SettingKnob, Long> overrides = new EnumMap<>(SettingKnob.class);
        final List<UpdateSettingsCommand> commands = new ArrayList<>();
        Optional<Instant> expiresAt = Optional.empty();

        @Override
        public synchronized SettingsView view() {
            List<KnobState> knobs = new ArrayList<>();
            for (SettingKnob knob : SettingKnob.values()) {
                boolean overridden = overrides.containsKey(knob);
                knobs.add(new KnobState(knob, overridden ? overrides.get(knob) : 100, 100, overridden,
                        overridden ? expiresAt : Optional.empty(), overridden ? Optional.of("alice") : Optional.empty()));
            }
            return new SettingsView(knobs, Optional.empty());
        }

        @Override
        public synchronized UpdateResult update(UpdateSettingsCommand command) {
            commands.add(command);
            if (command.changes().isEmpty()) {
                return new UpdateResult.Invalid("body", "name at least one setting");
            }
            for (Map.Entry<SettingKnob, OptionalLong> change : command.changes().entrySet()) {
                if (change.getValue().isPresent() && change.getValue().getAsLong() < 1) {
                    return new UpdateResult.Invalid(change.getKey().wireName(), change.getKey().wireName() + " must be at least 1");
                }
            }
            command.changes().forEach((knob, value) -> {
                if (value.isPresent()) {
                    overrides.put(knob, value.getAsLong());
                } else {
                    overrides.remove(knob);
                }
            });
            expiresAt = command.expiresInSecs().isPresent() ? Optional.of(T0.plusSeconds(command.expiresInSecs().getAsLong())) : Optional.empty();
            return new UpdateResult.Updated(view());
        }
    }

    /** Counts 3 per task, busy on demand. */
    private static final class FakeMaintenance implements RunMaintenanceUseCase {
        final List<RunMaintenanceCommand> commands = new ArrayList<>();
        boolean busy;

        @Override
        public synchronized MaintenanceOutcome run(RunMaintenanceCommand command) {
            commands.add(command);
            if (busy && !command.dryRun()) {
                return new MaintenanceOutcome.Busy();
            }
            Map<MaintenanceTask, Long> counts = new EnumMap<>(MaintenanceTask.class);
            command.tasks().forEach(task -> counts.put(task, 3L));
            return new MaintenanceOutcome.Completed(counts, command.dryRun());
        }
    }

    /** Succeeds or fails as told. */
    private static final class FakeReload implements ReloadNodeUseCase {
        final List<String> actors = new ArrayList<>();
        Optional<String> failure = Optional.empty();

        @Override
        public synchronized ReloadResult reload(String actor) {
            actors.add(actor);
            return failure.<ReloadResult>map(ReloadResult.Failed::new).orElseGet(ReloadResult.Reloaded::new);
        }
    }

    private static final FakeSettings SETTINGS = new FakeSettings();
    private static final FakeMaintenance MAINTENANCE = new FakeMaintenance();
    private static final FakeReload RELOAD = new FakeReload();
    private static WebServer server;

    @BeforeAll
    static void startServer() {
        BearerAuthentication authentication = new BearerAuthentication(AdminTokens.of(Map.of("alice", TOKEN)));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .featuresDiscoverServices(false)
                .routing(routing -> {
                    routing.error(HttpException.class, (req, res, e) -> {
                        e.headers().forEach(res::header);
                        res.status(e.status()).header("Content-Type", "application/problem+json")
                                .send(JSON.createObjectNode().put("status", e.status().code())
                                        .put("detail", e.getMessage() == null ? "" : e.getMessage()).toString());
                    }).error(Exception.class, (req, res, e) -> res.status(Status.INTERNAL_SERVER_ERROR_500)
                            .send("unexpected " + e.getClass().getName()));
                    routing.register(PREFIX, new AdminSettingsHttpService(authentication, SETTINGS));
                    routing.register(PREFIX, new AdminOperationsHttpService(authentication, MAINTENANCE, RELOAD,
                            Clock.fixed(T0, ZoneOffset.UTC)));
                })
                .build()
                .start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void reset() {
        synchronized (SETTINGS) {
            SETTINGS.overrides.clear();
            SETTINGS.commands.clear();
        }
        synchronized (MAINTENANCE) {
            MAINTENANCE.commands.clear();
            MAINTENANCE.busy = false;
        }
        synchronized (RELOAD) {
            RELOAD.actors.clear();
            RELOAD.failure = Optional.empty();
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + PREFIX + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertProblem(int status, String detailPart, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        String detail = json(response).get("detail").asText();
        assertTrue(detail.contains(detailPart), detail);
    }

    @Test
    void get_settings_shows_each_knob_with_its_source() throws Exception {
        SETTINGS.overrides.put(SettingKnob.CHALLENGE_TTL_SECS, 600L);
        SETTINGS.expiresAt = Optional.of(T0.plusSeconds(60));
        HttpResponse<String> response = send("GET", "/settings", null, TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode settings = json(response).get("settings");
        assertEquals(600, settings.get("challenge_ttl_secs").get("value").asLong());
        assertEquals("override", settings.get("challenge_ttl_secs").get("source").asText());
        assertEquals(100, settings.get("challenge_ttl_secs").get("config_value").asLong());
        assertEquals("2026-05-01T12:01:00Z", settings.get("challenge_ttl_secs").get("expires_at").asText());
        assertEquals("alice", settings.get("challenge_ttl_secs").get("updated_by").asText());
        assertEquals("config", settings.get("rate_limit_ip").get("source").asText());
        assertFalse(settings.get("rate_limit_ip").has("expires_at"));
    }

    @Test
    void patch_sets_and_removes_overrides_with_an_expiry_as_the_token_name() throws Exception {
        HttpResponse<String> response = send("PATCH", "/settings",
                "{\"challenge_ttl_secs\": 900, \"rate_limit_ip\": null, \"expires_in_secs\": 120}", TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("override", json(response).get("settings").get("challenge_ttl_secs").get("source").asText());
        ManageSettingsUseCase.UpdateSettingsCommand command = SETTINGS.commands.getFirst();
        assertEquals(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(900), SettingKnob.RATE_LIMIT_IP, OptionalLong.empty()),
                command.changes());
        assertEquals(OptionalLong.of(120), command.expiresInSecs());
        assertEquals("alice", command.actor());
    }

    @Test
    void patch_refuses_unknown_fields_wrong_types_and_invalid_values_naming_the_field() throws Exception {
        assertProblem(400, "\"challenge_ttl\"", send("PATCH", "/settings", "{\"challenge_ttl\": 900}", TOKEN));
        assertProblem(400, "\"rate_limit_did\" must be an integer", send("PATCH", "/settings", "{\"rate_limit_did\": \"9\"}", TOKEN));
        assertProblem(400, "\"batch_size_max\" must be an integer", send("PATCH", "/settings", "{\"batch_size_max\": 1.5}", TOKEN));
        assertProblem(400, "\"expires_in_secs\" must be an integer",
                send("PATCH", "/settings", "{\"batch_size_max\": 5, \"expires_in_secs\": true}", TOKEN));
        assertTrue(SETTINGS.commands.isEmpty(), "refused before the use case");
        assertProblem(400, "rate_limit_ip", send("PATCH", "/settings", "{\"rate_limit_ip\": 0}", TOKEN));
        assertProblem(400, "JSON", send("PATCH", "/settings", "{", TOKEN));
        assertTrue(SETTINGS.overrides.isEmpty());
    }

    @Test
    void every_route_needs_a_valid_token() throws Exception {
        for (String[] route : new String[][] {{"GET", "/settings", null}, {"PATCH", "/settings", "{\"rate_limit_ip\": 5}"},
                {"POST", "/maintenance", "{}"}, {"POST", "/reload", null}}) {
            HttpResponse<String> none = send(route[0], route[1], route[2], null);
            assertEquals(401, none.statusCode(), route[1]);
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
            assertEquals(403, send(route[0], route[1], route[2], "not-the-token").statusCode(), route[1]);
        }
        assertTrue(SETTINGS.commands.isEmpty());
        assertTrue(MAINTENANCE.commands.isEmpty());
        assertTrue(RELOAD.actors.isEmpty());
    }

    @Test
    void maintenance_without_a_body_runs_every_task_and_answers_counts() throws Exception {
        HttpResponse<String> response = send("POST", "/maintenance", null, TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = json(response);
        assertFalse(json.get("dry_run").asBoolean());
        assertEquals(3, json.get("tasks").get("purge_challenges").get("count").asLong());
        assertEquals(3, json.get("tasks").get("purge_nonces").get("count").asLong());
        assertEquals(3, json.get("tasks").get("archive_receipts").get("count").asLong());
        assertEquals(3, json.get("tasks").get("purge_rejections").get("count").asLong());
        assertEquals("2026-05-01T12:00:00Z", json.get("started_at").asText());
        assertEquals("2026-05-01T12:00:00Z", json.get("finished_at").asText());
        assertEquals(Optional.of("alice"), MAINTENANCE.commands.getFirst().actor());
    }

    @Test
    void maintenance_dry_run_of_chosen_tasks() throws Exception {
        HttpResponse<String> response = send("POST", "/maintenance", "{\"tasks\": [\"purge_nonces\"], \"dry_run\": true}", TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = json(response);
        assertTrue(json.get("dry_run").asBoolean());
        assertEquals(List.of("purge_nonces"), iterable(json.get("tasks").fieldNames()));
        assertTrue(MAINTENANCE.commands.getFirst().dryRun());
    }

    @Test
    void maintenance_refuses_unknown_tasks_and_fields() throws Exception {
        assertProblem(400, "unknown task \"vacuum\"", send("POST", "/maintenance", "{\"tasks\": [\"vacuum\"]}", TOKEN));
        assertProblem(400, "\"tasks\" must be an array", send("POST", "/maintenance", "{\"tasks\": \"purge_nonces\"}", TOKEN));
        assertProblem(400, "\"dry_run\" must be true or false", send("POST", "/maintenance", "{\"dry_run\": \"yes\"}", TOKEN));
        assertProblem(400, "unknown field \"force\"", send("POST", "/maintenance", "{\"force\": true}", TOKEN));
        assertTrue(MAINTENANCE.commands.isEmpty());
    }

    @Test
    void maintenance_is_409_while_another_node_holds_the_lease() throws Exception {
        MAINTENANCE.busy = true;
        assertProblem(409, "holds the maintenance lease", send("POST", "/maintenance", "{}", TOKEN));
        assertEquals(200, send("POST", "/maintenance", "{\"dry_run\": true}", TOKEN).statusCode(), "a dry run needs no lease");
    }

    @Test
    void reload_answers_200_after_reloading() throws Exception {
        HttpResponse<String> response = send("POST", "/reload", null, TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(json(response).get("reloaded").asBoolean());
        assertEquals(List.of("alice"), RELOAD.actors);
    }

    @Test
    void a_refused_reload_is_409_with_the_reason_never_500() throws Exception {
        RELOAD.failure = Optional.of("POUW_TLS_CERT: /etc/pouw/cert.pem is not readable");
        assertProblem(409, "POUW_TLS_CERT: /etc/pouw/cert.pem is not readable", send("POST", "/reload", null, TOKEN));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
