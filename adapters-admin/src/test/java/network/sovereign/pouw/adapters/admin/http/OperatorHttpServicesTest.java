package network.sovereign.pouw.adapters.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.OperatorReadsUseCase;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.in.PayoutsUseCase;
import network.sovereign.pouw.application.port.out.BlockEvent;
import network.sovereign.pouw.application.port.out.DisputeSummary;
import network.sovereign.pouw.application.port.out.EpochRewards;
import network.sovereign.pouw.application.port.out.HistoryCursor;
import network.sovereign.pouw.application.port.out.Payout;
import network.sovereign.pouw.application.port.out.ReceiptHistoryItem;
import network.sovereign.pouw.application.port.out.ReceiptRecord;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.PayoutStatus;
import network.sovereign.pouw.domain.RejectionReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator read routes (under the client API's prefix) and the payout routes over a real socket,
 * with in-memory use cases: every status code each route gives, and that the bearer check guards
 * only the operator routes of the shared prefix.
 */
class OperatorHttpServicesTest {

    private static final String TOKEN = "alice-admin-token-0123456789abcdef";
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DID = "did:sov:alice";

    /** Reads in memory: receipts r1..r5 of alice (r5 rejected), one reward epoch, a dispute and a block event. */
    private static final class FakeReads implements OperatorReadsUseCase {
        final Map<String, ReceiptRecord> receipts = new LinkedHashMap<>();
        final List<ReceiptHistoryItem> history = new ArrayList<>();

        FakeReads() {
            receipts.put("r1", new ReceiptRecord.Accepted("r1", DID, Bytes.fromHex("aa"), Bytes.fromHex("bb"), Bytes.fromHex("cc"),
                    Bytes.fromHex("dd"), "merkle", -1L, true, 100, 200, "ed25519", Bytes.fromHex("0102"), BigInteger.TEN.pow(20), 7,
                    T0, T0.plusSeconds(1), Bytes.fromHex("ee"), true));
            receipts.put("x1", new ReceiptRecord.Rejected("x1", RejectionReason.INVALID_SIGNATURE, "does not verify", Optional.of(DID),
                    Optional.empty(), Optional.of("ed25519"), T0, false));
            for (int i = 5; i >= 1; i--) {
                boolean accepted = i != 5;
                history.add(new ReceiptHistoryItem("r" + i, accepted, accepted ? Optional.empty() : Optional.of("policy_violation"),
                        accepted ? Optional.of("hash") : Optional.empty(), accepted ? OptionalLong.of(2048) : OptionalLong.empty(),
                        accepted ? Optional.of(BigInteger.TEN) : Optional.empty(), accepted ? OptionalLong.of(3) : OptionalLong.empty(),
                        T0.plusSeconds(i)));
            }
        }

        @Override
        public Optional<ReceiptRecord> receipt(String receiptId) {
            return Optional.ofNullable(receipts.get(receiptId));
        }

        @Override
        public HistoryResult history(String did, Optional<HistoryCursor> after, int limit, int listLimit) {
            if (!did.startsWith("did:")) {
                return new HistoryResult.InvalidDid("client_did is not a DID");
            }
            if (!did.equals(DID)) {
                return new HistoryResult.Unknown();
            }
            List<ReceiptHistoryItem> rest = history.stream().filter(item -> after.isEmpty()
                    || item.submittedAt().isBefore(after.get().submittedAt())).limit(limit + 1L).toList();
            EpochRewards totals = new EpochRewards(3, BigInteger.valueOf(40), BigInteger.valueOf(2), Optional.of(PayoutStatus.PAID));
            return new HistoryResult.Found(new ClientHistory(did, true, false, Page.of(rest, limit),
                    List.of(new EpochPayable(totals, BigInteger.valueOf(30), BigInteger.valueOf(32))),
                    List.of(new DisputeSummary("d1", "Other", "open", T0, Optional.empty())),
                    List.of(new BlockEvent("block", Optional.of("spam, \"really\""), "bob", T0))));
        }
    }

    /** Payouts in memory with the real state machine (the service's rules are tested in application). */
    private static final class FakePayouts implements PayoutsUseCase {
        final Map<String, Payout> payouts = new LinkedHashMap<>();

        @Override
        public synchronized ListResult list(OptionalLong epoch, Optional<String> status, Optional<String> afterId, int limit) {
            if (epoch.isPresent() && epoch.getAsLong() >= 10) {
                return new ListResult.Invalid("epoch " + epoch.getAsLong() + " is not closed yet");
            }
            if (status.isPresent() && PayoutStatus.fromWireName(status.get()).isEmpty()) {
                return new ListResult.Invalid("status must be one of pending, processing, paid, failed");
            }
            List<Payout> rows = payouts.values().stream()
                    .filter(p -> epoch.isEmpty() || p.epoch() == epoch.getAsLong())
                    .filter(p -> status.isEmpty() || p.status().wireName().equals(status.get()))
                    .filter(p -> afterId.isEmpty() || p.rewardId().compareTo(afterId.get()) > 0)
                    .limit(limit + 1L).toList();
            return new ListResult.Listed(Page.of(rows, limit));
        }

        @Override
        public Epochs epochs() {
            return new Epochs(10, T0, T0.plusSeconds(3600), 3600, OptionalLong.of(9));
        }

        @Override
        public synchronized TransitionResult transition(TransitionCommand command) {
            if (command.target() == PayoutStatus.PAID && command.txHash().map(String::isBlank).orElse(true)) {
                return new TransitionResult.Invalid("tx_hash is required");
            }
            Payout current = payouts.get(command.rewardId());
            if (current == null) {
                return new TransitionResult.NotFound();
            }
            if (current.status() == PayoutStatus.PAID && command.target() == PayoutStatus.PAID && current.txHash().equals(command.txHash())) {
                return new TransitionResult.Unchanged(current);
            }
            if (!current.status().canMoveTo(command.target())) {
                return new TransitionResult.Conflict("a " + current.status().wireName() + " payout cannot become " + command.target().wireName());
            }
            Payout next = new Payout(current.rewardId(), current.clientDid(), current.epoch(), current.amountAtoms(), command.target(),
                    command.txHash().or(current::txHash), current.createdAt(), T0.plusSeconds(60));
            payouts.put(next.rewardId(), next);
            return new TransitionResult.Changed(next);
        }
    }

    private static final FakeReads READS = new FakeReads();
    private static final FakePayouts PAYOUTS = new FakePayouts();
    private static WebServer server;

    @BeforeAll
    static void startServer() {
        BearerAuthentication authentication = new BearerAuthentication(AdminTokens.of(Map.of("alice", TOKEN)));
        // Stands in for the client API on the same prefix: it must stay reachable without a token.
        HttpService clientApi = new HttpService() {
            @Override
            public void routing(HttpRules rules) {
                rules.get("/node", (req, res) -> res.send("node"))
                        .post("/receipts", (req, res) -> res.send("submitted"))
                        .post("/clients", (req, res) -> res.send("enrolled"));
            }
        };
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
                    routing.register("/api/v1/pouw", new OperatorReadsHttpService(authentication, READS));
                    routing.register("/api/v1/pouw", clientApi);
                    routing.register("/api/v1/admin", new AdminRewardsHttpService(authentication, PAYOUTS));
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
        synchronized (PAYOUTS) {
            PAYOUTS.payouts.clear();
            for (int i = 1; i <= 3; i++) {
                PAYOUTS.payouts.put("p" + i, new Payout("p" + i, DID, i, new BigInteger("1500000000000000000").multiply(BigInteger.valueOf(i)),
                        PayoutStatus.PENDING, Optional.empty(), T0, T0));
            }
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
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

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, null, token);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void operator_routes_need_a_token_and_the_client_routes_on_the_same_prefix_do_not() throws Exception {
        for (String path : List.of("/api/v1/pouw/receipts/r1", "/api/v1/pouw/clients/did:sov:alice/history",
                "/api/v1/pouw/clients/did:sov:alice/history?format=csv", "/api/v1/admin/rewards")) {
            HttpResponse<String> none = get(path, null);
            assertEquals(401, none.statusCode(), path);
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""), path);
            assertEquals(403, get(path, "wrong-token").statusCode(), path);
        }
        for (String step : List.of("processing", "paid", "failed")) {
            assertEquals(401, send("POST", "/api/v1/admin/rewards/p1/" + step, "{\"tx_hash\":\"0x1\"}", null).statusCode(), step);
            assertEquals(403, send("POST", "/api/v1/admin/rewards/p1/" + step, "{\"tx_hash\":\"0x1\"}", "wrong").statusCode(), step);
        }
        assertEquals(PayoutStatus.PENDING, PAYOUTS.payouts.get("p1").status(), "refused requests change nothing");

        HttpResponse<String> submit = send("POST", "/api/v1/pouw/receipts", "{}", null);
        assertEquals(200, submit.statusCode());
        assertEquals("submitted", submit.body());
        assertEquals("enrolled", send("POST", "/api/v1/pouw/clients", "{}", null).body());
        assertEquals("node", get("/api/v1/pouw/node", null).body());
    }

    @Test
    void an_accepted_receipt_is_shown_with_every_field() throws Exception {
        HttpResponse<String> res = get("/api/v1/pouw/receipts/r1", TOKEN);
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("{\"receipt_id\":\"r1\",\"outcome\":\"accepted\",\"client_did\":\"did:sov:alice\",\"challenge_nonce\":\"aa\","
                + "\"receipt_nonce\":\"bb\",\"task_id\":\"cc\",\"content_id\":\"dd\",\"proof_type\":\"merkle\","
                + "\"bytes_verified\":18446744073709551615,\"result_ok\":true,\"started_at\":100,\"finished_at\":200,\"sig_scheme\":\"ed25519\","
                + "\"signature\":\"AQI=\",\"reward_atoms\":\"100000000000000000000\",\"epoch\":7,\"submitted_at\":\"2026-05-01T12:00:00Z\","
                + "\"validated_at\":\"2026-05-01T12:00:01Z\",\"node_id\":\"ee\",\"archived\":true}", res.body());
        assertEquals("no-store", res.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void a_rejected_receipt_is_shown_with_its_reason_and_an_unknown_id_is_404() throws Exception {
        HttpResponse<String> res = get("/api/v1/pouw/receipts/x1", TOKEN);
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("{\"receipt_id\":\"x1\",\"outcome\":\"rejected\",\"reason\":\"invalid_signature\",\"detail\":\"does not verify\","
                + "\"client_did\":\"did:sov:alice\",\"sig_scheme\":\"ed25519\",\"authenticated\":false,\"submitted_at\":\"2026-05-01T12:00:00Z\"}",
                res.body(), "a rejection whose signature did not verify says so: anyone could have sent it");

        HttpResponse<String> unknown = get("/api/v1/pouw/receipts/nope", TOKEN);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    @Test
    void the_history_pages_receipts_with_a_cursor_and_lists_rewards_disputes_and_block_events() throws Exception {
        HttpResponse<String> first = get("/api/v1/pouw/clients/did:sov:alice/history?limit=2", TOKEN);
        assertEquals(200, first.statusCode(), first.body());
        JsonNode page = json(first);
        assertEquals(List.of(DID, "true", "false"), List.of(page.get("client_did").asText(), page.get("enrolled").asText(),
                page.get("blocked").asText()));
        assertEquals("{\"receipt_id\":\"r5\",\"outcome\":\"rejected\",\"reason\":\"policy_violation\",\"authenticated\":true,\"submitted_at\":\"2026-05-01T12:00:05Z\"}",
                page.get("receipts").get(0).toString());
        assertEquals("{\"receipt_id\":\"r4\",\"outcome\":\"accepted\",\"proof_type\":\"hash\",\"bytes_verified\":2048,\"reward_atoms\":\"10\","
                + "\"epoch\":3,\"submitted_at\":\"2026-05-01T12:00:04Z\"}", page.get("receipts").get(1).toString());
        assertEquals("[{\"epoch\":3,\"receipt_atoms\":\"40\",\"capped_receipt_atoms\":\"30\",\"compensation_atoms\":\"2\",\"payable_atoms\":\"32\","
                + "\"payout_status\":\"paid\"}]", page.get("rewards").toString());
        assertEquals("[{\"dispute_id\":\"d1\",\"dispute_type\":\"Other\",\"status\":\"open\",\"created_at\":\"2026-05-01T12:00:00Z\","
                + "\"resolved_at\":null}]", page.get("disputes").toString());
        assertEquals("[{\"action\":\"block\",\"reason\":\"spam, \\\"really\\\"\",\"actor\":\"bob\",\"at\":\"2026-05-01T12:00:00Z\"}]",
                page.get("block_events").toString());

        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode next = json(get("/api/v1/pouw/clients/did:sov:alice/history?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), TOKEN));
            next.get("receipts").forEach(r -> ids.add(r.get("receipt_id").asText()));
            cursor = next.get("next_cursor").isNull() ? null : next.get("next_cursor").asText();
        } while (cursor != null);
        assertEquals(List.of("r5", "r4", "r3", "r2", "r1"), ids);
    }

    @Test
    void history_refuses_bad_input_with_400_and_an_unknown_did_with_404() throws Exception {
        assertEquals(400, get("/api/v1/pouw/clients/alice/history", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/pouw/clients/alice/history?format=csv", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/pouw/clients/did:sov:alice/history?format=xml", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/pouw/clients/did:sov:alice/history?limit=0", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/pouw/clients/did:sov:alice/history?limit=501", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/pouw/clients/did:sov:alice/history?cursor=%21%21", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/pouw/clients/did:sov:alice/history?cursor=" + QueryParams.encodeCursor("yesterday|r1"), TOKEN).statusCode());
        assertEquals(400, get("/api/v1/pouw/clients/did:sov:alice/history?cursor=" + QueryParams.encodeCursor("+999999999-01-01T00:00:00Z|r1"), TOKEN)
                .statusCode());
        HttpResponse<String> unknown = get("/api/v1/pouw/clients/did:sov:nobody/history", TOKEN);
        assertEquals(404, unknown.statusCode());
        assertEquals(404, get("/api/v1/pouw/clients/did:sov:nobody/history?format=csv", TOKEN).statusCode());
    }

    @Test
    void the_csv_export_has_a_header_and_one_quoted_row_per_item_as_an_attachment() throws Exception {
        HttpResponse<String> res = get("/api/v1/pouw/clients/did:sov:alice/history?format=csv", TOKEN);
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), res.headers().toString());
        assertEquals("attachment; filename=\"history-did_sov_alice.csv\"", res.headers().firstValue("Content-Disposition").orElse(""));
        String[] lines = res.body().split("\r\n", -1);
        assertEquals(String.join(",", OperatorReadsHttpService.CSV_COLUMNS), lines[0]);
        assertEquals("", lines[lines.length - 1], "every row ends with CRLF");
        assertEquals(1 + 5 + 1 + 1 + 1 + 1, lines.length, res.body());
        assertEquals("receipt,r5,2026-05-01T12:00:05Z,rejected,policy_violation,,,,,,,,,,,,", lines[1]);
        assertEquals("receipt,r1,2026-05-01T12:00:01Z,accepted,,hash,2048,3,10,,,,,,,,", lines[5]);
        assertEquals("reward,,,,,,,3,32,40,30,2,paid,,,,", lines[6]);
        assertEquals("dispute,d1,2026-05-01T12:00:00Z,,,,,,,,,,open,Other,,,", lines[7]);
        assertEquals("block_event,,2026-05-01T12:00:00Z,,\"spam, \"\"really\"\"\",,,,,,,,,,,block,bob", lines[8]);
        for (int i = 1; i < lines.length - 1; i++) {
            assertEquals(OperatorReadsHttpService.CSV_COLUMNS.size(), lines[i].replaceAll("\"[^\"]*(\"\"[^\"]*)*\"", "q").split(",", -1).length,
                    lines[i]);
        }
    }

    @Test
    void csv_cells_and_file_names_are_safe() {
        assertEquals("plain", OperatorReadsHttpService.csvCell("plain"));
        assertEquals("\"a,b\"", OperatorReadsHttpService.csvCell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", OperatorReadsHttpService.csvCell("say \"hi\""));
        assertEquals("\"two\nlines\"", OperatorReadsHttpService.csvCell("two\nlines"));
        assertEquals("history-did_x_a_22b.csv", OperatorReadsHttpService.fileName("did:x:a\"22b"));
    }

    @Test
    void rewards_are_listed_with_atoms_and_sov_and_paged() throws Exception {
        HttpResponse<String> res = get("/api/v1/admin/rewards?limit=2&status=pending", TOKEN);
        assertEquals(200, res.statusCode(), res.body());
        JsonNode page = json(res);
        assertEquals("{\"reward_id\":\"p1\",\"client_did\":\"did:sov:alice\",\"epoch\":1,\"amount_atoms\":\"1500000000000000000\","
                + "\"amount_sov\":\"1.5\",\"status\":\"pending\",\"tx_hash\":null,\"created_at\":\"2026-05-01T12:00:00Z\","
                + "\"updated_at\":\"2026-05-01T12:00:00Z\"}", page.get("items").get(0).toString());
        assertEquals(2, page.get("items").size());
        JsonNode next = json(get("/api/v1/admin/rewards?limit=2&cursor=" + page.get("next_cursor").asText(), TOKEN));
        assertEquals("p3", next.get("items").get(0).get("reward_id").asText());
        assertTrue(next.get("next_cursor").isNull());
        assertEquals(1, json(get("/api/v1/admin/rewards?epoch=2", TOKEN)).get("items").size());

        assertEquals(400, get("/api/v1/admin/rewards?epoch=10", TOKEN).statusCode(), "an open epoch");
        assertTrue(get("/api/v1/admin/rewards?epoch=10", TOKEN).body().contains("not closed yet"));
        assertEquals(400, get("/api/v1/admin/rewards?epoch=soon", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/admin/rewards?epoch=" + Long.MAX_VALUE, TOKEN).statusCode(), "an epoch beyond the calendar is open, not a 500");
        assertEquals(400, get("/api/v1/admin/rewards?epoch=10000000000000", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/admin/rewards?cursor=AA", TOKEN).statusCode(), "a cursor holding a NUL");
        assertEquals(400, get("/api/v1/admin/rewards?status=lost", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/admin/rewards?limit=501", TOKEN).statusCode());
        assertEquals(400, get("/api/v1/admin/rewards?cursor=***", TOKEN).statusCode());
    }

    @Test
    void epochs_tell_the_current_and_the_last_closed_epoch() throws Exception {
        HttpResponse<String> res = get("/api/v1/admin/epochs", TOKEN);
        assertEquals(200, res.statusCode(), res.body());
        JsonNode body = JSON.readTree(res.body());
        assertEquals(10, body.get("current_epoch").asLong());
        assertEquals(9, body.get("last_closed_epoch").asLong());
        assertEquals(3600, body.get("epoch_secs").asLong());
        assertEquals(T0.toString(), body.get("current_epoch_started_at").asText());
        assertEquals(T0.plusSeconds(3600).toString(), body.get("current_epoch_ends_at").asText());
        assertEquals(401, get("/api/v1/admin/epochs", null).statusCode(), "needs a token");
    }

    @Test
    void a_payout_is_settled_step_by_step_and_paid_is_final_and_idempotent() throws Exception {
        HttpResponse<String> processing = send("POST", "/api/v1/admin/rewards/p1/processing", null, TOKEN);
        assertEquals(200, processing.statusCode(), processing.body());
        assertEquals("processing", json(processing).get("status").asText());
        assertEquals(409, send("POST", "/api/v1/admin/rewards/p1/processing", null, TOKEN).statusCode());

        HttpResponse<String> failed = send("POST", "/api/v1/admin/rewards/p1/failed", "{\"error\":\"node down\"}", TOKEN);
        assertEquals(200, failed.statusCode(), failed.body());
        assertEquals("failed", json(failed).get("status").asText());
        assertEquals(409, send("POST", "/api/v1/admin/rewards/p1/paid", "{\"tx_hash\":\"0xabc\"}", TOKEN).statusCode(), "failed → paid");
        assertEquals(200, send("POST", "/api/v1/admin/rewards/p1/processing", "{}", TOKEN).statusCode(), "retry");

        assertEquals(400, send("POST", "/api/v1/admin/rewards/p1/paid", null, TOKEN).statusCode(), "no body");
        assertEquals(400, send("POST", "/api/v1/admin/rewards/p1/paid", "{}", TOKEN).statusCode(), "no tx_hash");
        assertEquals(400, send("POST", "/api/v1/admin/rewards/p1/paid", "{\"tx_hash\":7}", TOKEN).statusCode());
        assertEquals("processing", PAYOUTS.payouts.get("p1").status().wireName(), "bad input changes nothing");

        HttpResponse<String> paid = send("POST", "/api/v1/admin/rewards/p1/paid", "{\"tx_hash\":\"0xabc\"}", TOKEN);
        assertEquals(200, paid.statusCode(), paid.body());
        assertEquals(List.of("paid", "0xabc"), List.of(json(paid).get("status").asText(), json(paid).get("tx_hash").asText()));
        HttpResponse<String> again = send("POST", "/api/v1/admin/rewards/p1/paid", "{\"tx_hash\":\"0xabc\"}", TOKEN);
        assertEquals(200, again.statusCode());
        assertEquals(paid.body(), again.body(), "idempotent");
        assertEquals(409, send("POST", "/api/v1/admin/rewards/p1/paid", "{\"tx_hash\":\"0xdef\"}", TOKEN).statusCode());
        assertEquals(409, send("POST", "/api/v1/admin/rewards/p1/failed", null, TOKEN).statusCode(), "paid is final");

        assertEquals(404, send("POST", "/api/v1/admin/rewards/nope/processing", null, TOKEN).statusCode());
        assertEquals(404, send("POST", "/api/v1/admin/rewards/nope/paid", "{\"tx_hash\":\"0x1\"}", TOKEN).statusCode());
        assertEquals(404, send("POST", "/api/v1/admin/rewards/nope/failed", null, TOKEN).statusCode());
        assertFalse(PAYOUTS.payouts.containsKey("nope"));
    }

    @Test
    void sov_amounts_are_plain_decimals() {
        assertEquals("0", AdminRewardsHttpService.sov(BigInteger.ZERO));
        assertEquals("1", AdminRewardsHttpService.sov(BigInteger.TEN.pow(18)));
        assertEquals("0.000000000000000001", AdminRewardsHttpService.sov(BigInteger.ONE));
        assertEquals("0.599315068493150684", AdminRewardsHttpService.sov(new BigInteger("599315068493150684")));
        assertEquals("1000", AdminRewardsHttpService.sov(BigInteger.TEN.pow(21)));
    }
}
