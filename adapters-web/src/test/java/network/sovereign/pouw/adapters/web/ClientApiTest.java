package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import network.sovereign.pouw.adapters.web.api.ClientApiHttpService;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import network.sovereign.pouw.adapters.web.ratelimit.ClientAddressResolver;
import network.sovereign.pouw.adapters.web.ratelimit.RateLimitSettings;
import network.sovereign.pouw.adapters.web.ratelimit.RateLimits;
import network.sovereign.pouw.adapters.web.ratelimit.TrustedProxies;
import network.sovereign.pouw.application.port.in.ClientAdmission;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase;
import network.sovereign.pouw.application.port.in.FileDisputeUseCase;
import network.sovereign.pouw.application.port.in.GetNodeInfoUseCase;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.ProtocolMetrics;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.DisputeStatus;
import network.sovereign.pouw.domain.DisputeType;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client API over a real socket, with fake use cases: status codes, bodies, rate limits, counters. */
class ClientApiTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** Counts what the HTTP layer itself reports. */
    static final class Counting implements ProtocolMetrics {
        final AtomicLong received = new AtomicLong();
        final AtomicLong malformed = new AtomicLong();
        final AtomicLong ipDenials = new AtomicLong();
        final AtomicLong didDenials = new AtomicLong();

        @Override public void receiptReceived() { received.incrementAndGet(); }
        @Override public void receiptAccepted() { }
        @Override public void receiptRejected(RejectionReason reason) {
            if (reason == RejectionReason.MALFORMED_RECEIPT) {
                malformed.incrementAndGet();
            }
        }
        @Override public void receiptReplayed() { }
        @Override public void rateLimitDenied(RateLimitScope scope) {
            (scope == RateLimitScope.IP ? ipDenials : didDenials).incrementAndGet();
        }
        @Override public void challengeIssued() { }
        @Override public void signatureVerified(SigScheme scheme, Duration elapsed) { }
        @Override public void receiptProcessed(Duration elapsed) { }
        @Override public void rewardsCredited(long atoms) { }
        @Override public void disputeOpened() { }
        @Override public void disputeResolved(DisputeResolutionType resolution) { }
        @Override public void blockedDidsGauge(LongSupplier currentlyBlocked) { }
    }

    private final Counting metrics = new Counting();
    private final List<String> submittedDids = new ArrayList<>();
    private final List<Integer> unreadableSeen = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    private final List<FileDisputeUseCase.FileDisputeCommand> filedDisputes = new ArrayList<>();
    private HttpAdapter adapter;

    private static final ChallengeToken TOKEN = new ChallengeToken(1, Bytes.fromHex("aa".repeat(32)), Bytes.fromHex("bb".repeat(16)),
            Bytes.fromHex("cc".repeat(32)), 100, 400, new Policy(20, 10_485_760, 1024, List.of(ProofType.HASH)),
            Bytes.fromHex("dd".repeat(64)));

    private int start(int perIp, int perDid) {
        GetNodeInfoUseCase info = () -> new GetNodeInfoUseCase.NodeInfo(Bytes.fromHex("aa".repeat(32)), Bytes.fromHex("ee".repeat(32)),
                SigScheme.ED25519, "1.2.3", List.of(SigScheme.ED25519), TOKEN.policy(), NOW.getEpochSecond());
        IssueChallengeUseCase challenges = command -> switch (command.clientDid()) {
            case "did:sov:unknown" -> new IssueChallengeUseCase.IssueChallengeResult.Refused(IssueChallengeUseCase.Refusal.UNKNOWN_CLIENT, "not enrolled");
            case "did:sov:blocked" -> new IssueChallengeUseCase.IssueChallengeResult.Refused(IssueChallengeUseCase.Refusal.BLOCKED_DID, "blocked");
            default -> new IssueChallengeUseCase.IssueChallengeResult.Issued(TOKEN, new byte[] {8, 1});
        };
        SubmitReceiptsUseCase receipts = new SubmitReceiptsUseCase() {
            @Override
            public int batchSizeMax() {
                return 2;
            }

            @Override
            public SubmitOutcome submit(ReceiptBatch batch, int unreadable, String origin) {
            submittedDids.add(batch.clientDid());
            unreadableSeen.add(unreadable);
            origins.add(origin);
            if (batch.clientDid().equals("did:sov:throttled")) {
                return new SubmitReceiptsUseCase.SubmitOutcome.Throttled(42);
            }
            if (batch.clientDid().equals("did:sov:unknown")) {
                return new SubmitReceiptsUseCase.SubmitOutcome.Refused(SubmitReceiptsUseCase.BatchRefusal.UNKNOWN_CLIENT, "not enrolled");
            }
            if (batch.receipts().size() + unreadable > 2) {
                return new SubmitReceiptsUseCase.SubmitOutcome.Refused(SubmitReceiptsUseCase.BatchRefusal.TOO_LARGE, "too many");
            }
            return new SubmitReceiptsUseCase.SubmitOutcome.Processed(batch.receipts().stream()
                    .map(r -> r.receipt().receiptNonce().hex().equals("33".repeat(16))
                            // A rejection the service stored: the answer names it for GET /receipts/{receipt_id}.
                            ? new SubmitReceiptsUseCase.ReceiptOutcome.Rejected(r.receipt().receiptNonce(), RejectionReason.INVALID_SIGNATURE,
                                    "bad", java.util.Optional.of("rej-1"))
                            : (SubmitReceiptsUseCase.ReceiptOutcome) new SubmitReceiptsUseCase.ReceiptOutcome.Accepted(
                            r.receipt().receiptNonce(), "rcpt-1", new BigInteger("3000000000000"), false)).toList());
            }
        };
        EnrolClientUseCase enrolment = new EnrolClientUseCase() {
            @Override
            public EnrolmentResult enrolByAdmin(EnrolClientCommand command, String actor) {
                throw new AssertionError("not on the client API");
            }

            @Override
            public EnrolmentResult enrolSelf(EnrolClientCommand command, ClientAdmission admission) {
                return switch (command.did()) {
                    case "did:sov:new" -> admission.admit(command.did()) ? new EnrolmentResult.Enrolled(command.did(), true)
                            : new EnrolmentResult.Refused(Refusal.RATE_LIMITED, "limited");
                    case "did:sov:known" -> admission.admit(command.did()) ? new EnrolmentResult.Enrolled(command.did(), false)
                            : new EnrolmentResult.Refused(Refusal.RATE_LIMITED, "limited");
                    case "did:sov:taken" -> new EnrolmentResult.Refused(Refusal.KEY_CONFLICT, "enrolled with another key");
                    case "did:sov:liar" -> new EnrolmentResult.Refused(Refusal.INVALID_PROOF, "proof does not verify");
                    default -> new EnrolmentResult.Refused(Refusal.ENROLMENT_CLOSED, "closed");
                };
            }
        };
        FileDisputeUseCase disputes = (command, admission) -> {
            filedDisputes.add(command);
            return switch (command.clientDid()) {
                case "did:sov:replayed" -> new FileDisputeUseCase.FileResult.Refused(FileDisputeUseCase.Refusal.NONCE_REUSED, "used nonce");
                case "did:sov:late" -> new FileDisputeUseCase.FileResult.Refused(FileDisputeUseCase.Refusal.STALE_TIMESTAMP, "too old");
                case "did:sov:unknown" -> new FileDisputeUseCase.FileResult.Refused(FileDisputeUseCase.Refusal.UNKNOWN_CLIENT, "not enrolled");
                case "did:sov:forger" -> new FileDisputeUseCase.FileResult.Refused(FileDisputeUseCase.Refusal.INVALID_SIGNATURE, "bad signature");
                case "did:sov:blocked" -> new FileDisputeUseCase.FileResult.Refused(FileDisputeUseCase.Refusal.BLOCKED_DID, "blocked");
                case "did:sov:confused" -> new FileDisputeUseCase.FileResult.Refused(FileDisputeUseCase.Refusal.INVALID_REQUEST, "unknown dispute_type");
                default -> !admission.admit(command.clientDid())
                        ? new FileDisputeUseCase.FileResult.Refused(FileDisputeUseCase.Refusal.RATE_LIMITED, "limited")
                        : new FileDisputeUseCase.FileResult.Filed(new Dispute("d-1", command.clientDid(), command.receiptId(),
                        DisputeType.fromWireName(command.disputeType()).orElseThrow(), command.description(), DisputeStatus.OPEN,
                        NOW, Optional.empty()));
            };
        };
        ClientApiHttpService api = new ClientApiHttpService(new ClientApiHttpService.Dependencies(info, challenges, receipts, enrolment,
                new RateLimits(new RateLimitSettings(perIp, perDid, Duration.ofSeconds(60))),
                new ClientAddressResolver(TrustedProxies.none()), metrics, Clock.fixed(NOW, ZoneOffset.UTC), disputes));
        WebSettings settings = new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 64 * 1024, Duration.ofSeconds(2));
        adapter = HttpAdapter.builder(settings, new FakeHealth(), new HelidonProtocolMetrics("1.2.3-test"), "1.2.3-test")
                .register("/api/v1/pouw", api).start();
        return adapter.port();
    }

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.stop();
        }
    }

    private static HttpResponse<String> post(int port, String path, String contentType, byte[] body) {
        return Http.send(Http.request(port, path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static HttpResponse<String> postJson(int port, String path, String json) {
        return post(port, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String receiptJson(String did, String nonceHex) {
        return "{\"receipt\":{\"version\":1,\"task_id\":\"" + "bb".repeat(16) + "\",\"client_did\":\"" + did + "\",\"content_id\":\"01\","
                + "\"proof_type\":\"merkle\",\"bytes_verified\":18446744073709551615,\"result_ok\":true,\"receipt_nonce\":\"" + nonceHex
                + "\",\"challenge_nonce\":\"" + "cc".repeat(32) + "\",\"aux\":{},\"unknown_field\":7},\"sig_scheme\":\"ed25519\",\"signature\":\"00\"}";
    }

    @Test
    void node_info_is_public_json() {
        int port = start(100, 100);
        HttpResponse<String> res = Http.get(port, "/api/v1/pouw/node");
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("\"node_id\":\"" + "aa".repeat(32) + "\""), res.body());
        assertTrue(res.body().contains("\"accepted_sig_schemes\":[\"ed25519\"]"), res.body());
        assertTrue(res.body().contains("\"policy_defaults\":{\"max_receipts\":20"), res.body());
        assertTrue(res.body().contains("\"server_time\":" + NOW.getEpochSecond()), res.body());
    }

    @Test
    void a_wrong_method_on_a_client_route_is_405_with_allow_and_an_unknown_path_stays_404() {
        int port = start(100, 100);
        for (String[] call : new String[][] {{"DELETE", "/api/v1/pouw/challenges", "POST"}, {"GET", "/api/v1/pouw/receipts", "POST"},
                {"PUT", "/api/v1/pouw/clients", "POST"}, {"POST", "/api/v1/pouw/node", "GET"}, {"GET", "/api/v1/pouw/disputes", "POST"}}) {
            HttpResponse<String> res = Http.method(port, call[0], call[1]);
            assertEquals(405, res.statusCode(), call[0] + " " + call[1] + ": " + res.body());
            assertEquals(Optional.of(call[2]), res.headers().firstValue("Allow"), call[0] + " " + call[1]);
            assertEquals("application/problem+json", res.headers().firstValue("Content-Type").orElse(""));
            assertTrue(res.body().contains("\"status\":405"), res.body());
        }
        for (String path : new String[] {"/api/v1/pouw/nothing", "/api/v1/pouw/challenges/x", "/api/v1/nothing", "/metrics"}) {
            HttpResponse<String> res = Http.method(port, "DELETE", path);
            assertEquals(404, res.statusCode(), path + ": " + res.body());
            assertTrue(res.headers().firstValue("Allow").isEmpty(), path);
        }
    }

    @Test
    void client_answers_are_no_store_and_a_challenge_has_no_location_since_nothing_reads_it() {
        int port = start(100, 100);
        HttpResponse<String> challenge = postJson(port, "/api/v1/pouw/challenges", "{\"client_did\":\"did:sov:alice\",\"capabilities\":[\"hash\"]}");
        assertEquals(201, challenge.statusCode(), challenge.body());
        assertEquals(Optional.of("no-store"), challenge.headers().firstValue("Cache-Control"));
        assertTrue(challenge.headers().firstValue("Location").isEmpty(), "no route reads a challenge back");
        assertEquals(Optional.of("no-store"), Http.get(port, "/api/v1/pouw/node").headers().firstValue("Cache-Control"));
        HttpResponse<String> receipts = postJson(port, "/api/v1/pouw/receipts",
                "{\"receipts\":[" + receiptJson("did:sov:alice", "11".repeat(16)) + "]}");
        assertEquals(200, receipts.statusCode(), receipts.body());
        assertEquals(Optional.of("no-store"), receipts.headers().firstValue("Cache-Control"));
        HttpResponse<String> enrolled = postJson(port, "/api/v1/pouw/clients",
                "{\"did\":\"did:sov:new\",\"sig_scheme\":\"ed25519\",\"public_key\":\"00\",\"proof\":\"00\"}");
        assertEquals(Optional.of("no-store"), enrolled.headers().firstValue("Cache-Control"));
        HttpResponse<String> dispute = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:alice"));
        assertEquals(201, dispute.statusCode(), dispute.body());
        assertEquals(Optional.of("no-store"), dispute.headers().firstValue("Cache-Control"));
    }

    @Test
    void every_client_401_carries_a_www_authenticate_challenge() {
        int port = start(100, 100);
        HttpResponse<String> challenge = postJson(port, "/api/v1/pouw/challenges", "{\"client_did\":\"did:sov:unknown\",\"capabilities\":[\"hash\"]}");
        HttpResponse<String> receipts = postJson(port, "/api/v1/pouw/receipts",
                "{\"version\":1,\"client_did\":\"did:sov:unknown\",\"receipts\":[" + receiptJson("did:sov:unknown", "11".repeat(16)) + "]}");
        HttpResponse<String> unknownDispute = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:unknown"));
        HttpResponse<String> forged = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:forger"));
        for (HttpResponse<String> res : List.of(challenge, receipts, unknownDispute, forged)) {
            assertEquals(401, res.statusCode(), res.body());
            assertEquals(Optional.of("PoUW-Signature realm=\"pouw\""), res.headers().firstValue("WWW-Authenticate"), res.body());
        }
    }

    @Test
    void a_415_names_the_accepted_types_in_accept_post() {
        int port = start(100, 100);
        HttpResponse<String> challenge = post(port, "/api/v1/pouw/challenges", "text/plain", "{}".getBytes());
        assertEquals(415, challenge.statusCode());
        assertEquals(Optional.of("application/json"), challenge.headers().firstValue("Accept-Post"));
        HttpResponse<String> receipts = post(port, "/api/v1/pouw/receipts", "application/xml", "<a/>".getBytes());
        assertEquals(415, receipts.statusCode());
        assertEquals(Optional.of("application/json, application/x-protobuf"), receipts.headers().firstValue("Accept-Post"));
    }

    @Test
    void an_accept_that_rules_out_json_is_406_problem_json_and_wildcards_or_none_are_fine() {
        int port = start(100, 100);
        HttpResponse<String> node = Http.send(Http.request(port, "/api/v1/pouw/node").header("Accept", "application/xml").GET().build());
        assertEquals(406, node.statusCode(), node.body());
        assertEquals("application/problem+json", node.headers().firstValue("Content-Type").orElse(""));
        assertTrue(node.body().contains("\"status\":406"), node.body());
        HttpResponse<String> challenge = Http.send(Http.request(port, "/api/v1/pouw/challenges").header("Content-Type", "application/json")
                .header("Accept", "application/xml, text/html").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"client_did\":\"did:sov:alice\",\"capabilities\":[\"hash\"]}")).build());
        assertEquals(406, challenge.statusCode(), challenge.body());
        for (String accept : new String[] {"application/json", "*/*", "application/*", "application/xml;q=0.9, application/json;q=0.5"}) {
            assertEquals(200, Http.send(Http.request(port, "/api/v1/pouw/node").header("Accept", accept).GET().build()).statusCode(), accept);
        }
        assertEquals(200, Http.get(port, "/api/v1/pouw/node").statusCode());
    }

    @Test
    void challenges_are_201_with_a_base64_token_and_refusals_map_to_401_403_400() {
        int port = start(100, 100);
        HttpResponse<String> ok = postJson(port, "/api/v1/pouw/challenges", "{\"client_did\":\"did:sov:alice\",\"capabilities\":[\"hash\"]}");
        assertEquals(201, ok.statusCode(), ok.body());
        assertTrue(ok.body().startsWith("{\"token\":\"CAE=\",\"challenge\":{\"version\":1,"), ok.body());
        assertTrue(ok.body().contains("\"expires_at\":400"), ok.body());

        HttpResponse<String> unknown = postJson(port, "/api/v1/pouw/challenges", "{\"client_did\":\"did:sov:unknown\",\"capabilities\":[\"hash\"]}");
        assertEquals(401, unknown.statusCode());
        assertTrue(unknown.body().contains("\"reason\":\"unknown_client\""), unknown.body());
        assertEquals("application/problem+json", unknown.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> blocked = postJson(port, "/api/v1/pouw/challenges", "{\"client_did\":\"did:sov:blocked\",\"capabilities\":[\"hash\"]}");
        assertEquals(403, blocked.statusCode());
        assertTrue(blocked.body().contains("\"reason\":\"blocked_did\""), blocked.body());
        HttpResponse<String> replayed = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:replayed"));
        assertEquals(409, replayed.statusCode());
        assertTrue(replayed.body().contains("\"type\":\"urn:pouw:problem:dispute_replayed\""), replayed.body());
        HttpResponse<String> late = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:late"));
        assertEquals(400, late.statusCode());
        assertTrue(late.body().contains("\"type\":\"urn:pouw:problem:stale_timestamp\""), late.body());
        assertEquals(400, postJson(port, "/api/v1/pouw/challenges", "{\"client_did\":\"did:sov:alice\",\"capabilities\":[\"dance\"]}").statusCode());
        assertEquals(400, postJson(port, "/api/v1/pouw/challenges", "{\"client_did\":\"did:sov:alice\"}").statusCode());
        assertEquals(400, postJson(port, "/api/v1/pouw/challenges", "[1,2]").statusCode());
        assertEquals(415, post(port, "/api/v1/pouw/challenges", "text/plain", "{}".getBytes()).statusCode());
    }

    @Test
    void receipts_answer_per_receipt_and_unreadable_receipts_are_malformed_in_place() {
        int port = start(100, 100);
        String body = "{\"version\":1,\"client_did\":\"did:sov:alice\",\"receipts\":[" + receiptJson("did:sov:alice", "11".repeat(16))
                + ",{\"receipt\":{\"receipt_nonce\":\"" + "22".repeat(16) + "\",\"proof_type\":\"telepathy\"}}]}";
        HttpResponse<String> res = postJson(port, "/api/v1/pouw/receipts", body);
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(res.body().contains("\"accepted\":[{\"receipt_nonce\":\"" + "11".repeat(16) + "\",\"receipt_id\":\"rcpt-1\",\"reward_atoms\":\"3000000000000\",\"replayed\":false}]"), res.body());
        // An unreadable receipt is not stored, so it has no id to look up.
        assertTrue(res.body().contains("\"rejected\":[{\"receipt_nonce\":\"" + "22".repeat(16) + "\",\"receipt_id\":null,\"reason\":\"malformed_receipt\""), res.body());
        assertEquals(1, metrics.malformed.get(), "the unreadable receipt is counted by the HTTP layer");

        HttpResponse<String> stored = postJson(port, "/api/v1/pouw/receipts", "{\"version\":1,\"client_did\":\"did:sov:alice\",\"receipts\":["
                + receiptJson("did:sov:alice", "33".repeat(16)) + "]}");
        assertTrue(stored.body().contains("\"rejected\":[{\"receipt_nonce\":\"" + "33".repeat(16)
                + "\",\"receipt_id\":\"rej-1\",\"reason\":\"invalid_signature\",\"detail\":\"bad\"}]"), stored.body());
    }

    @Test
    void a_batch_of_only_unreadable_receipts_still_gets_the_whole_batch_checks() {
        int port = start(100, 100);
        String unreadable = "{\"receipt\":{\"receipt_nonce\":\"" + "22".repeat(16) + "\",\"proof_type\":\"telepathy\"}}";
        HttpResponse<String> unknown = postJson(port, "/api/v1/pouw/receipts",
                "{\"version\":1,\"client_did\":\"did:sov:unknown\",\"receipts\":[" + unreadable + "]}");
        assertEquals(401, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("\"reason\":\"unknown_client\""), unknown.body());
        assertEquals(0, metrics.malformed.get(), "refused as a whole: the receipt is not also counted as malformed");
        HttpResponse<String> tooMany = postJson(port, "/api/v1/pouw/receipts",
                "{\"version\":1,\"client_did\":\"did:sov:alice\",\"receipts\":[" + unreadable + "," + unreadable + "," + unreadable + "]}");
        assertEquals(413, tooMany.statusCode(), "unreadable receipts count towards the batch size: " + tooMany.body());
        HttpResponse<String> known = postJson(port, "/api/v1/pouw/receipts",
                "{\"version\":1,\"client_did\":\"did:sov:alice\",\"receipts\":[" + unreadable + "]}");
        assertEquals(200, known.statusCode(), known.body());
        assertTrue(known.body().startsWith("{\"accepted\":[],\"rejected\":[{\"receipt_nonce\":\"" + "22".repeat(16)), known.body());
        assertEquals(List.of(1, 1), unreadableSeen, "the use case heard how many receipts it could not see, and never of a batch too large");
    }

    @Test
    void unreadable_bodies_are_400_malformed_and_count_as_one_receipt() {
        int port = start(100, 100);
        HttpResponse<String> res = postJson(port, "/api/v1/pouw/receipts", "{not json");
        assertEquals(400, res.statusCode());
        assertTrue(res.body().contains("\"reason\":\"malformed_receipt\""), res.body());
        assertEquals(1, metrics.received.get());
        assertEquals(1, metrics.malformed.get());
        assertEquals(400, post(port, "/api/v1/pouw/receipts", "application/x-protobuf", new byte[] {(byte) 0xff, 0x01}).statusCode());
        assertEquals(415, post(port, "/api/v1/pouw/receipts", "text/xml", "<a/>".getBytes()).statusCode());
        assertTrue(submittedDids.isEmpty(), "nothing unreadable reaches the use case");
    }

    @Test
    void whole_batch_refusals_map_to_401_and_413() {
        int port = start(100, 100);
        HttpResponse<String> unknown = postJson(port, "/api/v1/pouw/receipts", "{\"version\":1,\"client_did\":\"did:sov:unknown\",\"receipts\":["
                + receiptJson("did:sov:unknown", "11".repeat(16)) + "]}");
        assertEquals(401, unknown.statusCode());
        String three = String.join(",", receiptJson("did:sov:a", "01".repeat(16)), receiptJson("did:sov:a", "02".repeat(16)),
                receiptJson("did:sov:a", "03".repeat(16)));
        assertEquals(413, postJson(port, "/api/v1/pouw/receipts", "{\"version\":1,\"client_did\":\"did:sov:a\",\"receipts\":[" + three + "]}").statusCode());
    }

    @Test
    void a_body_of_many_tiny_elements_is_413_at_once_counted_once_and_never_decoded() {
        int port = start(100, 100);
        String items = "1,".repeat(30_000) + "1"; // just under the test server's 64 KiB body cap
        HttpResponse<String> json = post(port, "/api/v1/pouw/receipts", "application/json",
                ("{\"version\":1,\"client_did\":\"x\",\"receipts\":[" + items + "]}").getBytes(StandardCharsets.UTF_8));
        assertEquals(413, json.statusCode(), json.body());
        assertEquals("application/problem+json", json.headers().firstValue("Content-Type").orElse(""));
        // 30,000 empty SignedReceipt entries: field 4, length 0.
        byte[] proto = new byte[2 * 30_000];
        for (int i = 0; i < proto.length; i += 2) {
            proto[i] = 0x22;
        }
        assertEquals(413, post(port, "/api/v1/pouw/receipts", "application/x-protobuf", proto).statusCode());
        assertEquals(2, metrics.received.get(), "each refused batch counts once, however many elements it held");
        assertEquals(2, metrics.malformed.get());
        assertTrue(submittedDids.isEmpty(), "a batch too large never reaches the use case");
    }

    @Test
    void a_batch_names_a_did_without_spending_its_permits_and_a_throttled_batch_is_429_with_retry_after() {
        int port = start(100, 1);
        String batch = "{\"version\":1,\"client_did\":\"did:sov:alice\",\"receipts\":[" + receiptJson("did:sov:alice", "11".repeat(16)) + "]}";
        for (int i = 0; i < 5; i++) {
            assertEquals(200, postJson(port, "/api/v1/pouw/receipts", batch).statusCode(),
                    "the transport never spends the DID's permit: the service does, once the batch is authenticated");
        }
        assertEquals("127.0.0.1", origins.getFirst(), "the service hears the client address, for its rejection budgets");
        HttpResponse<String> throttled = postJson(port, "/api/v1/pouw/receipts",
                "{\"version\":1,\"client_did\":\"did:sov:throttled\",\"receipts\":[" + receiptJson("did:sov:throttled", "11".repeat(16)) + "]}");
        assertEquals(429, throttled.statusCode(), throttled.body());
        assertEquals("42", throttled.headers().firstValue("Retry-After").orElse(""));
        assertEquals(1, metrics.didDenials.get());
    }

    @Test
    void self_enrolment_answers_201_200_400_403_and_415() {
        int port = start(100, 100);
        String body = "\",\"sig_scheme\":\"ed25519\",\"public_key\":\"00\",\"proof\":\"00\"}";
        HttpResponse<String> created = postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:new" + body);
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("\"created\":true"), created.body());
        assertEquals(200, postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:known" + body).statusCode());
        assertEquals(400, postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:liar" + body).statusCode());
        assertEquals(403, postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:zed" + body).statusCode());
        HttpResponse<String> taken = postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:taken" + body);
        assertEquals(409, taken.statusCode(), taken.body());
        assertEquals("application/problem+json", taken.headers().firstValue("Content-Type").orElse(""));
        assertTrue(taken.body().contains("\"type\":\"urn:pouw:problem:key_conflict\""), taken.body());
        assertTrue(taken.body().contains("\"title\":\"DID already enrolled with another key\""), taken.body());
        assertEquals(400, postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:new\",\"public_key\":\"xyz\"}").statusCode());
        assertEquals(415, post(port, "/api/v1/pouw/clients", "text/plain", "{}".getBytes()).statusCode());
    }

    @Test
    void the_ip_limit_denies_with_429_and_retry_after_and_counts_the_denial() {
        int port = start(2, 100);
        String json = "{\"client_did\":\"did:sov:alice\",\"capabilities\":[\"hash\"]}";
        assertEquals(201, postJson(port, "/api/v1/pouw/challenges", json).statusCode());
        assertEquals(201, postJson(port, "/api/v1/pouw/challenges", json).statusCode());
        HttpResponse<String> denied = postJson(port, "/api/v1/pouw/challenges", json);
        assertEquals(429, denied.statusCode());
        long retryAfter = Long.parseLong(denied.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(1, metrics.ipDenials.get());
        assertEquals(200, Http.get(port, "/api/v1/pouw/node").statusCode(), "node info is not rate limited");
    }

    @Test
    void a_rate_limit_storm_logs_one_warn_per_offender_and_window_with_the_offender_last() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(ClientApiHttpService.class.getName());
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue() && r.getMessage().contains("rate limit exceeded")) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        try {
            int port = start(1, 100);
            String json = "{\"client_did\":\"did:sov:alice\",\"capabilities\":[\"hash\"]}";
            assertEquals(201, postJson(port, "/api/v1/pouw/challenges", json).statusCode());
            for (int i = 0; i < 20; i++) {
                assertEquals(429, postJson(port, "/api/v1/pouw/challenges", json).statusCode());
            }
            assertEquals(20, metrics.ipDenials.get(), "every denial is counted");
            assertEquals(List.of("rate limit exceeded scope=ip suppressed=0 127.0.0.1"), warnings,
                    "one line for the offender in this window, its last field the offender");
        } finally {
            jul.removeHandler(capture);
        }
    }

    @Test
    void the_served_document_names_the_429_reason_and_documents_no_429_for_node_info_which_is_never_limited() {
        int port = start(1, 100);
        String json = "{\"client_did\":\"did:sov:alice\",\"capabilities\":[\"hash\"]}";
        postJson(port, "/api/v1/pouw/challenges", json);
        HttpResponse<String> denied = postJson(port, "/api/v1/pouw/challenges", json);
        assertEquals(429, denied.statusCode());
        java.util.regex.Matcher reason = java.util.regex.Pattern.compile("\"reason\":\"([a-z_]+)\"").matcher(denied.body());
        assertTrue(reason.find(), denied.body());
        for (int i = 0; i < 5; i++) {
            assertEquals(200, Http.get(port, "/api/v1/pouw/node").statusCode(), "node info is not rate limited");
        }
        String document = Http.get(port, "/openapi").body();
        // The Problem schema's reason and the enums it refers to, as the served document has them.
        String problem = section(document, "    Problem:\n", "\n    Did:\n");
        assertTrue(problem.contains("reason: { $ref: '#/components/schemas/ProblemReason' }"), problem);
        assertTrue(java.util.regex.Pattern.compile("enum: \\[[^\\]]*\\b" + reason.group(1) + "\\b").matcher(problem).find(),
                "the 429's reason " + reason.group(1) + " is in the document's enum: " + problem);
        String node = section(document, "  /api/v1/pouw/node:\n", "\n  /api/v1/pouw/challenges:\n");
        assertTrue(!node.contains("'429'"), "GET /node is not rate limited, so not documented as such: " + node);
    }

    private static String section(String document, String from, String to) {
        int start = document.indexOf(from);
        int end = document.indexOf(to, start);
        assertTrue(start >= 0 && end > start, "the document has " + from.strip());
        return document.substring(start, end);
    }

    @Test
    void unsigned_challenge_requests_spend_only_the_ip_limit_never_the_named_dids() {
        int port = start(100, 1);
        for (int i = 0; i < 5; i++) {
            assertEquals(201, postJson(port, "/api/v1/pouw/challenges", "{\"client_did\":\"did:sov:alice\",\"capabilities\":[\"hash\"]}").statusCode());
        }
        assertEquals(0, metrics.didDenials.get());
        String body = "\",\"sig_scheme\":\"ed25519\",\"public_key\":\"00\",\"proof\":\"00\"}";
        for (int i = 0; i < 3; i++) {
            assertEquals(400, postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:liar" + body).statusCode());
            assertEquals(409, postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:taken" + body).statusCode());
        }
        assertEquals(200, postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:known" + body).statusCode(),
                "failed proofs and takeover attempts spent none of the DID's permits");
        assertEquals(429, postJson(port, "/api/v1/pouw/clients", "{\"did\":\"did:sov:known" + body).statusCode(),
                "an enrolment that proves the DID's key does spend them");
        assertEquals(1, metrics.didDenials.get());
    }

    private static String disputeJson(String did) {
        return "{\"client_did\":\"" + did + "\",\"receipt_id\":\"rcpt-1\",\"dispute_type\":\"RewardNotReceived\","
                + "\"description\":\"where is my reward?\",\"signature\":\"0a0b\"}";
    }

    @Test
    void a_dispute_is_filed_with_201_a_location_and_the_dispute_json() {
        int port = start(100, 100);
        HttpResponse<String> res = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:alice"));
        assertEquals(201, res.statusCode(), res.body());
        assertEquals("/api/v1/pouw/disputes/d-1", res.headers().firstValue("Location").orElse(""));
        assertEquals("{\"dispute_id\":\"d-1\",\"client_did\":\"did:sov:alice\",\"receipt_id\":\"rcpt-1\",\"dispute_type\":\"RewardNotReceived\","
                + "\"description\":\"where is my reward?\",\"status\":\"open\",\"created_at\":\"2026-06-01T12:00:00Z\",\"resolution\":null}", res.body());
        FileDisputeUseCase.FileDisputeCommand command = filedDisputes.getFirst();
        assertEquals(Optional.of("rcpt-1"), command.receiptId());
        assertEquals(Bytes.fromHex("0a0b"), command.signature());

        HttpResponse<String> noReceipt = postJson(port, "/api/v1/pouw/disputes",
                "{\"client_did\":\"did:sov:alice\",\"receipt_id\":null,\"dispute_type\":\"Other\",\"description\":\"x\",\"signature\":\"00\"}");
        assertEquals(201, noReceipt.statusCode(), noReceipt.body());
        assertEquals(Optional.empty(), filedDisputes.getLast().receiptId());
    }

    @Test
    void dispute_refusals_are_problems_400_401_403_415() {
        int port = start(100, 100);
        HttpResponse<String> unknown = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:unknown"));
        assertEquals(401, unknown.statusCode());
        assertTrue(unknown.body().contains("\"reason\":\"unknown_client\""), unknown.body());
        assertEquals("application/problem+json", unknown.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> forged = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:forger"));
        assertEquals(401, forged.statusCode());
        assertTrue(forged.body().contains("\"reason\":\"invalid_signature\""), forged.body());
        HttpResponse<String> blocked = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:blocked"));
        assertEquals(403, blocked.statusCode());
        assertTrue(blocked.body().contains("\"reason\":\"blocked_did\""), blocked.body());
        HttpResponse<String> replayed = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:replayed"));
        assertEquals(409, replayed.statusCode());
        assertTrue(replayed.body().contains("\"type\":\"urn:pouw:problem:dispute_replayed\""), replayed.body());
        HttpResponse<String> late = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:late"));
        assertEquals(400, late.statusCode());
        assertTrue(late.body().contains("\"type\":\"urn:pouw:problem:stale_timestamp\""), late.body());
        assertEquals(400, postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:confused")).statusCode());
        int reached = filedDisputes.size();
        assertEquals(400, postJson(port, "/api/v1/pouw/disputes", "{\"client_did\":\"did:sov:alice\",\"signature\":\"xyz\"}").statusCode());
        assertEquals(400, postJson(port, "/api/v1/pouw/disputes", "{\"client_did\":7}").statusCode());
        assertEquals(400, postJson(port, "/api/v1/pouw/disputes", "not json").statusCode());
        assertEquals(415, post(port, "/api/v1/pouw/disputes", "text/plain", disputeJson("did:sov:alice").getBytes()).statusCode());
        assertEquals(reached, filedDisputes.size(), "unreadable filings never reach the use case");
    }

    @Test
    void dispute_filing_is_rate_limited_per_ip_and_per_did() {
        int port = start(100, 1);
        assertEquals(201, postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:alice")).statusCode());
        HttpResponse<String> denied = postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:alice"));
        assertEquals(429, denied.statusCode());
        assertTrue(denied.headers().firstValue("Retry-After").isPresent());
        assertEquals(1, metrics.didDenials.get());
        assertEquals(201, postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:bob")).statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(401, postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:forger")).statusCode(),
                    "an unverified filing is answered on its merits and spends no DID permit");
        }
        assertEquals(1, metrics.didDenials.get());
        stop();

        port = start(1, 100);
        assertEquals(201, postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:alice")).statusCode());
        assertEquals(429, postJson(port, "/api/v1/pouw/disputes", disputeJson("did:sov:bob")).statusCode());
        assertEquals(1, metrics.ipDenials.get());
        assertEquals(7, filedDisputes.size(), "IP-denied filings never reach the use case; the DID gate is asked by it");
    }
}
