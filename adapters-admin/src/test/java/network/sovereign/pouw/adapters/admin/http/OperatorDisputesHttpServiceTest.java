package network.sovereign.pouw.adapters.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.DisputeCursor;
import network.sovereign.pouw.application.port.out.DisputeEvent;
import network.sovereign.pouw.application.port.out.DisputeResolution;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.DisputeStatus;
import network.sovereign.pouw.domain.DisputeType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator dispute routes over a real socket, with an in-memory use case, registered before a
 * stand-in client API under the same prefix: operator routes need the bearer token, the clients'
 * POST /disputes, /receipts and /challenges never do.
 */
class OperatorDisputesHttpServiceTest {

    private static final String TOKEN = "ops-token-0123456789abcdef";
    private static final String PREFIX = "/api/v1/pouw";
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00.123456Z");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Disputes in memory with the spec's transitions; the real rules are tested in application. */
    private static final class FakeDisputes implements ManageDisputesUseCase {
        final Map<String, Dispute> disputes = new LinkedHashMap<>();
        final List<ResolveCommand> resolutions = new ArrayList<>();
        final List<String> actors = new ArrayList<>();

        @Override
        public synchronized Page<Dispute> list(Optional<DisputeStatus> status, Optional<String> clientDid, Optional<DisputeCursor> after, int limit) {
            Comparator<Dispute> newest = Comparator.comparing(Dispute::createdAt).thenComparing(Dispute::disputeId).reversed();
            return Page.of(disputes.values().stream()
                    .filter(d -> status.isEmpty() || d.status() == status.get())
                    .filter(d -> clientDid.isEmpty() || d.clientDid().equals(clientDid.get()))
                    .filter(d -> after.isEmpty() || d.createdAt().isBefore(after.get().createdAt())
                            || d.createdAt().equals(after.get().createdAt()) && d.disputeId().compareTo(after.get().disputeId()) < 0)
                    .sorted(newest).limit(limit + 1L).toList(), limit);
        }

        @Override
        public synchronized Optional<DisputeDetail> detail(String disputeId) {
            return Optional.ofNullable(disputes.get(disputeId)).map(d -> new DisputeDetail(d, List.of(
                    new DisputeEvent(Optional.empty(), DisputeStatus.OPEN, "client", Optional.empty(), T0))));
        }

        @Override
        public synchronized ChangeResult investigate(String disputeId, Optional<String> note, String actor) {
            actors.add(actor);
            Dispute d = disputes.get(disputeId);
            if (d == null) {
                return new ChangeResult.NotFound();
            }
            if (d.status() != DisputeStatus.OPEN) {
                return new ChangeResult.Conflict(d.status(), "not open");
            }
            return changed(d.moved(DisputeStatus.UNDER_INVESTIGATION, Optional.empty()));
        }

        @Override
        public synchronized ChangeResult resolve(ResolveCommand command) {
            resolutions.add(command);
            Optional<DisputeResolutionType> type = DisputeResolutionType.fromWireName(command.resolutionType());
            if (type.isEmpty() || command.compensation().filter(c -> !c.currency().equals("SOV")).isPresent()) {
                return new ChangeResult.Invalid("invalid resolution");
            }
            Dispute d = disputes.get(command.disputeId());
            if (d == null) {
                return new ChangeResult.NotFound();
            }
            if (d.status().isFinal()) {
                return new ChangeResult.Conflict(d.status(), "the dispute is settled already (" + d.status().wireName() + ")");
            }
            Optional<BigInteger> atoms = command.compensation().map(c -> c.amount().movePointRight(18).toBigIntegerExact());
            return changed(d.moved(type.get().outcome(), Optional.of(new DisputeResolution(type, command.explanation(), atoms,
                    command.actor(), T0.plusSeconds(60)))));
        }

        @Override
        public synchronized ChangeResult reject(String disputeId, String explanation, String actor) {
            Dispute d = disputes.get(disputeId);
            if (d == null) {
                return new ChangeResult.NotFound();
            }
            if (d.status().isFinal()) {
                return new ChangeResult.Conflict(d.status(), "settled");
            }
            return changed(d.moved(DisputeStatus.REJECTED, Optional.of(new DisputeResolution(Optional.empty(), explanation,
                    Optional.empty(), actor, T0.plusSeconds(60)))));
        }

        private ChangeResult changed(Dispute dispute) {
            disputes.put(dispute.disputeId(), dispute);
            return new ChangeResult.Changed(dispute);
        }
    }

    private static final FakeDisputes DISPUTES = new FakeDisputes();
    private static final List<String> CLIENT_CALLS = new ArrayList<>();
    private static WebServer server;

    @BeforeAll
    static void startServer() {
        BearerAuthentication authentication = new BearerAuthentication(AdminTokens.of(Map.of("alice", TOKEN)));
        HttpService clientApi = rules -> rules
                .post("/disputes", (req, res) -> record(res, "disputes", Status.CREATED_201))
                .post("/receipts", (req, res) -> record(res, "receipts", Status.OK_200))
                .post("/challenges", (req, res) -> record(res, "challenges", Status.CREATED_201));
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
                    // The operator service first: the stricter order for the clients' routes.
                    routing.register(PREFIX, new OperatorDisputesHttpService(authentication, DISPUTES));
                    routing.register(PREFIX, clientApi);
                })
                .build()
                .start();
    }

    private static void record(io.helidon.webserver.http.ServerResponse res, String route, Status status) {
        synchronized (CLIENT_CALLS) {
            CLIENT_CALLS.add(route);
        }
        res.status(status).send("{}");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void reset() {
        synchronized (DISPUTES) {
            DISPUTES.disputes.clear();
            DISPUTES.resolutions.clear();
            DISPUTES.actors.clear();
            for (int i = 1; i <= 3; i++) {
                DISPUTES.disputes.put("d-" + i, new Dispute("d-" + i, i == 3 ? "did:sov:bob" : "did:sov:alice",
                        i == 1 ? Optional.of("rcpt-1") : Optional.empty(), DisputeType.REWARD_NOT_RECEIVED, "where is my reward?",
                        DisputeStatus.OPEN, T0.plusSeconds(i), Optional.empty()));
            }
        }
        synchronized (CLIENT_CALLS) {
            CLIENT_CALLS.clear();
        }
    }

    private static HttpResponse<String> call(String method, String path, String contentType, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + PREFIX + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return call("GET", path, null, null, token);
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        return call("POST", path, "application/x-www-form-urlencoded", body, token);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static final String RUNBOOK_RESOLVE = """
            {
                "resolution_type": "ClaimantCorrect",
                "explanation": "Verified bug in reward calculation",
                "compensation": {
                  "amount": 100,
                  "currency": "SOV"
                }
              }""";

    @Test
    void the_runbook_resolution_answers_the_dispute_with_its_compensation_and_the_token_name() throws Exception {
        HttpResponse<String> res = post("/disputes/d-1/resolve", RUNBOOK_RESOLVE, TOKEN);
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("application/json", res.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"dispute_id\":\"d-1\",\"client_did\":\"did:sov:alice\",\"receipt_id\":\"rcpt-1\",\"dispute_type\":\"RewardNotReceived\","
                + "\"description\":\"where is my reward?\",\"status\":\"resolved_for_claimant\",\"created_at\":\"2026-05-01T12:00:01.123456Z\","
                + "\"resolution\":{\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"Verified bug in reward calculation\","
                + "\"compensation\":{\"amount\":\"100\",\"currency\":\"SOV\",\"amount_atoms\":\"100000000000000000000\"},"
                + "\"resolved_by\":\"alice\",\"resolved_at\":\"2026-05-01T12:01:00.123456Z\"}}", res.body());

        HttpResponse<String> again = post("/disputes/d-1/resolve", RUNBOOK_RESOLVE, TOKEN);
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("settled already"), again.body());
        assertEquals(409, post("/disputes/d-1/reject", "{\"explanation\":\"no\"}", TOKEN).statusCode());
        assertEquals(409, post("/disputes/d-1/investigate", null, TOKEN).statusCode());
    }

    @Test
    void compensation_amounts_are_read_exactly_as_numbers_or_decimal_strings() throws Exception {
        for (String amount : List.of("0.1", "\"0.1\"", "1e-1", "0.100000000000000000")) {
            DISPUTES.disputes.put("d-1", DISPUTES.disputes.get("d-1").moved(DisputeStatus.OPEN, Optional.empty()));
            HttpResponse<String> res = post("/disputes/d-2/resolve", "{\"resolution_type\":\"PartialResolution\",\"explanation\":\"x\","
                    + "\"compensation\":{\"amount\":" + amount + ",\"currency\":\"SOV\"}}", TOKEN);
            assertEquals(200, res.statusCode(), amount + ": " + res.body());
            assertEquals(0, new BigDecimal("0.1").compareTo(DISPUTES.resolutions.getLast().compensation().orElseThrow().amount()), amount);
            assertEquals("100000000000000000", json(res).at("/resolution/compensation/amount_atoms").asText());
            assertEquals("0.1", json(res).at("/resolution/compensation/amount").asText());
            DISPUTES.disputes.put("d-2", DISPUTES.disputes.get("d-2").moved(DisputeStatus.OPEN, Optional.empty()));
            DISPUTES.disputes.put("d-2", new Dispute("d-2", "did:sov:alice", Optional.empty(), DisputeType.OTHER, "x", DisputeStatus.OPEN,
                    T0, Optional.empty()));
        }
        HttpResponse<String> none = post("/disputes/d-3/resolve", "{\"resolution_type\":\"NodeCorrect\",\"explanation\":\"x\",\"compensation\":null}", TOKEN);
        assertEquals(200, none.statusCode(), none.body());
        assertTrue(json(none).at("/resolution/compensation").isNull(), none.body());
        assertEquals("resolved_for_node", json(none).get("status").asText());
    }

    @Test
    void invalid_resolve_bodies_are_400_and_change_nothing() throws Exception {
        List<String> bodies = List.of(
                "{\"resolution_type\":\"Whatever\",\"explanation\":\"x\"}",
                "{\"explanation\":\"x\"}",
                "{\"resolution_type\":\"ClaimantCorrect\"}",
                "{\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"x\",\"compensation\":{\"amount\":100,\"currency\":\"USD\"}}",
                "{\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"x\",\"compensation\":{\"amount\":\"1e2\",\"currency\":\"SOV\"}}",
                "{\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"x\",\"compensation\":{\"amount\":true,\"currency\":\"SOV\"}}",
                "{\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"x\",\"compensation\":{\"amount\":100}}",
                "{\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"x\",\"compensation\":100}",
                "not json",
                "[]");
        for (String body : bodies) {
            HttpResponse<String> res = post("/disputes/d-1/resolve", body, TOKEN);
            assertEquals(400, res.statusCode(), body + " -> " + res.body());
            assertEquals("application/problem+json", res.headers().firstValue("Content-Type").orElse(""));
        }
        assertEquals(DisputeStatus.OPEN, DISPUTES.disputes.get("d-1").status());
        assertEquals(415, call("POST", "/disputes/d-1/resolve", "text/plain", RUNBOOK_RESOLVE, TOKEN).statusCode());
        assertEquals(400, post("/disputes/d-1/reject", "{}", TOKEN).statusCode());
    }

    @Test
    void unknown_disputes_are_404_on_every_route() throws Exception {
        assertEquals(404, get("/disputes/nope", TOKEN).statusCode());
        assertEquals(404, post("/disputes/nope/resolve", RUNBOOK_RESOLVE, TOKEN).statusCode());
        assertEquals(404, post("/disputes/nope/reject", "{\"explanation\":\"no\"}", TOKEN).statusCode());
        assertEquals(404, post("/disputes/nope/investigate", "{\"note\":\"x\"}", TOKEN).statusCode());
    }

    @Test
    void list_filters_by_status_and_client_and_pages_newest_first() throws Exception {
        post("/disputes/d-2/reject", "{\"explanation\":\"no\"}", TOKEN);

        HttpResponse<String> open = get("/disputes?status=open", TOKEN);
        assertEquals(200, open.statusCode(), open.body());
        assertEquals(List.of("d-3", "d-1"), ids(json(open)));
        assertTrue(json(open).get("next_cursor").isNull());

        HttpResponse<String> first = get("/disputes?limit=2", TOKEN);
        assertEquals(List.of("d-3", "d-2"), ids(json(first)));
        String cursor = json(first).get("next_cursor").asText();
        HttpResponse<String> rest = get("/disputes?limit=2&cursor=" + cursor, TOKEN);
        assertEquals(List.of("d-1"), ids(json(rest)));
        assertTrue(json(rest).get("next_cursor").isNull());

        assertEquals(List.of("d-2", "d-1"), ids(json(get("/disputes?client_did=did:sov:alice", TOKEN))));
        assertEquals(List.of("d-2"), ids(json(get("/disputes?status=rejected&client_did=did:sov:alice", TOKEN))));
        assertEquals("no", json(get("/disputes?status=rejected", TOKEN)).at("/items/0/resolution/explanation").asText());

        assertEquals(400, get("/disputes?status=resolved", TOKEN).statusCode());
        assertEquals(400, get("/disputes?client_did=alice", TOKEN).statusCode());
        assertEquals(400, get("/disputes?limit=501", TOKEN).statusCode());
        assertEquals(400, get("/disputes?limit=0", TOKEN).statusCode());
        assertEquals(400, get("/disputes?cursor=%21%21", TOKEN).statusCode());
        assertEquals(400, get("/disputes?cursor=" + QueryParams.encodeCursor("no-bar"), TOKEN).statusCode());
        // Crafted cursors never reach the database: a NUL (PostgreSQL refuses it) or a time beyond its range.
        assertEquals(400, get("/disputes?cursor=" + QueryParams.encodeCursor("2026-01-01T00:00:00Z|d\u0000"), TOKEN).statusCode());
        assertEquals(400, get("/disputes?cursor=" + QueryParams.encodeCursor("+999999999-01-01T00:00:00Z|d-1"), TOKEN).statusCode());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("dispute_id").asText()));
        return ids;
    }

    @Test
    void detail_has_the_events_and_investigate_moves_an_open_dispute_once() throws Exception {
        HttpResponse<String> detail = get("/disputes/d-1", TOKEN);
        assertEquals(200, detail.statusCode(), detail.body());
        assertEquals("open", json(detail).get("status").asText());
        assertTrue(json(detail).get("resolution").isNull());
        assertEquals("{\"from_status\":null,\"to_status\":\"open\",\"actor\":\"client\",\"note\":null,\"at\":\"2026-05-01T12:00:00.123456Z\"}",
                json(detail).get("events").get(0).toString());

        HttpResponse<String> investigated = post("/disputes/d-1/investigate", "{\"note\":\"looking\"}", TOKEN);
        assertEquals(200, investigated.statusCode(), investigated.body());
        assertEquals("under_investigation", json(investigated).get("status").asText());
        assertEquals(409, post("/disputes/d-1/investigate", null, TOKEN).statusCode());
        assertEquals(200, post("/disputes/d-2/investigate", null, TOKEN).statusCode(), "the note is optional, so is the body");
        assertEquals(List.of("alice", "alice", "alice"), DISPUTES.actors);

        HttpResponse<String> rejected = post("/disputes/d-1/reject", "{\"explanation\":\"not a bug\"}", TOKEN);
        assertEquals(200, rejected.statusCode(), rejected.body());
        assertEquals("rejected", json(rejected).get("status").asText());
        assertTrue(json(rejected).at("/resolution/resolution_type").isNull());
        assertEquals("alice", json(rejected).at("/resolution/resolved_by").asText());
    }

    @Test
    void operator_routes_need_the_token_401_without_403_with_a_wrong_one_and_change_nothing() throws Exception {
        for (String token : new String[] {null, "wrong"}) {
            int expected = token == null ? 401 : 403;
            assertEquals(expected, get("/disputes", token).statusCode());
            assertEquals(expected, get("/disputes?status=open", token).statusCode());
            assertEquals(expected, get("/disputes/d-1", token).statusCode());
            assertEquals(expected, post("/disputes/d-1/investigate", "{}", token).statusCode());
            assertEquals(expected, post("/disputes/d-1/resolve", RUNBOOK_RESOLVE, token).statusCode());
            assertEquals(expected, post("/disputes/d-1/reject", "{\"explanation\":\"no\"}", token).statusCode());
            assertEquals(expected, get("/disputes/nope", token).statusCode(), "no oracle for ids without a token");
        }
        HttpResponse<String> unauthorized = get("/disputes", null);
        assertEquals("Bearer", unauthorized.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(DisputeStatus.OPEN, DISPUTES.disputes.get("d-1").status());
        assertTrue(DISPUTES.resolutions.isEmpty());
    }

    @Test
    void the_clients_routes_under_the_same_prefix_stay_unauthenticated() throws Exception {
        assertEquals(201, call("POST", "/disputes", "application/json", "{}", null).statusCode());
        assertEquals(200, call("POST", "/receipts", "application/json", "{}", null).statusCode());
        assertEquals(201, call("POST", "/challenges", "application/json", "{}", null).statusCode());
        assertEquals(201, call("POST", "/disputes", "application/json", "{}", "wrong").statusCode(), "a stray header is not checked");
        assertEquals(List.of("disputes", "receipts", "challenges", "disputes"), CLIENT_CALLS);
    }
}
