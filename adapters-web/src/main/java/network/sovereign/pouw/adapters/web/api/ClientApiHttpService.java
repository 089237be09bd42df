package network.sovereign.pouw.adapters.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import network.sovereign.pouw.adapters.web.codec.BatchCount;
import network.sovereign.pouw.adapters.web.codec.DecodedBatch;
import network.sovereign.pouw.adapters.web.codec.MalformedMessageException;
import network.sovereign.pouw.adapters.web.codec.ProtobufCodec;
import network.sovereign.pouw.adapters.web.json.JsonWriter;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemException;
import network.sovereign.pouw.adapters.web.problem.RequestChecks;
import network.sovereign.pouw.adapters.web.ratelimit.ClientAddressResolver;
import network.sovereign.pouw.adapters.web.ratelimit.DenialLog;
import network.sovereign.pouw.adapters.web.ratelimit.RateLimitDecision;
import network.sovereign.pouw.adapters.web.ratelimit.RateLimits;
import network.sovereign.pouw.application.port.in.ClientAdmission;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase;
import network.sovereign.pouw.application.port.in.FileDisputeUseCase;
import network.sovereign.pouw.application.port.in.FileDisputeUseCase.FileDisputeCommand;
import network.sovereign.pouw.application.port.in.FileDisputeUseCase.FileResult;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase.EnrolClientCommand;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase.EnrolmentResult;
import network.sovereign.pouw.application.port.in.GetNodeInfoUseCase;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase.IssueChallengeCommand;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase.IssueChallengeResult;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase.ReceiptOutcome;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase.SubmitOutcome;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.DisputeResolution;
import network.sovereign.pouw.application.port.out.ProtocolMetrics;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;

/**
 * The client API (SPEC §4) under {@code /api/v1/pouw}: {@code GET /node}, {@code POST /challenges},
 * {@code POST /receipts} (JSON or {@code application/x-protobuf}) and {@code POST /clients}
 * (self-enrolment). Challenge, submit and enrol are rate limited per client IP and per DID.
 */
public final class ClientApiHttpService implements HttpService {

    /** The media type of the binary transport. */
    public static final MediaType PROTOBUF = MediaTypes.create("application", "x-protobuf");

    /** The problem reason (and type {@code urn:pouw:problem:key_conflict}) of a refused key takeover. */
    public static final String KEY_CONFLICT = "key_conflict";
    /** The problem reason of a dispute whose signed timestamp is outside the clock skew. */
    public static final String STALE_TIMESTAMP = "stale_timestamp";
    /** The problem reason of a dispute filed again with a nonce its DID has used (a replay). */
    public static final String DISPUTE_REPLAYED = "dispute_replayed";

    /** The {@code WWW-Authenticate} challenge of a client API 401: sign with the key of an enrolled DID. */
    public static final String CLIENT_CHALLENGE = "PoUW-Signature realm=\"pouw\"";

    private static final System.Logger LOG = System.getLogger(ClientApiHttpService.class.getName());

    /**
     * What the client API needs.
     *
     * @param nodeInfo   {@code GET /node}
     * @param challenges {@code POST /challenges}
     * @param receipts   {@code POST /receipts}
     * @param enrolment  {@code POST /clients}
     * @param rateLimits per-IP and per-DID limits
     * @param addresses  client IP resolution (trusted proxies)
     * @param metrics    counters for denials and unreadable bodies
     * @param clock      for {@code server_time}
     * @param disputes   {@code POST /disputes}
     */
    public record Dependencies(GetNodeInfoUseCase nodeInfo, IssueChallengeUseCase challenges, SubmitReceiptsUseCase receipts,
                               EnrolClientUseCase enrolment, RateLimits rateLimits, ClientAddressResolver addresses,
                               ProtocolMetrics metrics, Clock clock, FileDisputeUseCase disputes) {
        /** Checks that nothing is null. */
        public Dependencies {
            Objects.requireNonNull(nodeInfo, "nodeInfo");
            Objects.requireNonNull(challenges, "challenges");
            Objects.requireNonNull(receipts, "receipts");
            Objects.requireNonNull(enrolment, "enrolment");
            Objects.requireNonNull(rateLimits, "rateLimits");
            Objects.requireNonNull(addresses, "addresses");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(disputes, "disputes");
        }
    }

    /** Bodies up to this size are decoded on the request's own thread. */
    private static final int INLINE_DECODE_BYTES = 16 * 1024;

    private final Dependencies deps;
    /** At most one WARN per offender and rate-limit window, however many denials a storm brings. */
    private final DenialLog denialLog = new DenialLog(DenialLog.DEFAULT_MAX_OFFENDERS, System::nanoTime);

    /** Creates the service; register it under {@code /api/v1/pouw}. */
    public ClientApiHttpService(Dependencies deps) {
        this.deps = Objects.requireNonNull(deps, "deps");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/node", this::node)
                .post("/challenges", this::challenge)
                .post("/receipts", this::receipts)
                .post("/clients", this::enrol)
                .post("/disputes", this::fileDispute);
    }

    private void node(ServerRequest req, ServerResponse res) {
        RequestChecks.requireAccepted(req, MediaTypes.APPLICATION_JSON);
        GetNodeInfoUseCase.NodeInfo info = deps.nodeInfo().nodeInfo();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("node_id", info.nodeId().hex());
        json.put("public_key", info.publicKey().hex());
        json.put("sig_scheme", info.scheme().wireName());
        json.put("version", info.version());
        json.put("accepted_sig_schemes", info.acceptedSigSchemes().stream().map(SigScheme::wireName).toList());
        json.put("policy_defaults", JsonWire.policy(info.policyDefaults()));
        json.put("server_time", info.serverTime());
        sendJson(res, Status.OK_200, json);
    }

    private void challenge(ServerRequest req, ServerResponse res) {
        limit(RateLimitScope.IP, clientIp(req));
        RequestChecks.requireAccepted(req, MediaTypes.APPLICATION_JSON);
        RequestChecks.requireContentType(req, MediaTypes.APPLICATION_JSON);
        IssueChallengeCommand command;
        try {
            JsonNode body = JsonWire.object(body(req));
            // No DID permit: the request is not signed, so anyone can name any DID; the per-IP limit bounds it.
            String did = JsonWire.string(body, "client_did");
            List<ProofType> capabilities = JsonWire.proofTypes(body, "capabilities");
            Optional<Long> maxReceipts = JsonWire.optionalLong(body, "max_receipts");
            Optional<Long> maxBytes = JsonWire.optionalLong(body, "max_bytes_total");
            if (maxReceipts.isPresent() && (maxReceipts.get() < 0 || maxReceipts.get() > Integer.MAX_VALUE)) {
                throw new WireFormatException("max_receipts is out of range");
            }
            command = new IssueChallengeCommand(did, capabilities.isEmpty() ? EnumSet.noneOf(ProofType.class) : EnumSet.copyOf(capabilities),
                    maxReceipts.map(n -> OptionalInt.of(n.intValue())).orElse(OptionalInt.empty()),
                    maxBytes.map(OptionalLong::of).orElse(OptionalLong.empty()));
        } catch (WireFormatException e) {
            throw new ProblemException(Problem.badRequest(e.getMessage()));
        }
        switch (deps.challenges().issue(command)) {
            case IssueChallengeResult.Issued issued -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("token", JsonWire.base64(issued.encoded()));
                json.put("challenge", JsonWire.token(issued.token()));
                json.put("expires_at", issued.token().expiresAt());
                sendJson(res, Status.CREATED_201, json);
            }
            case IssueChallengeResult.Refused refused -> throw new ProblemException(switch (refused.refusal()) {
                case INVALID_REQUEST -> Problem.badRequest(refused.detail());
                case UNKNOWN_CLIENT -> unauthorized(RejectionReason.UNKNOWN_CLIENT.wireName(), refused.detail());
                case BLOCKED_DID -> Problem.withReason(403, RejectionReason.BLOCKED_DID.wireName(), refused.detail());
            });
        }
    }

    private void receipts(ServerRequest req, ServerResponse res) {
        String clientIp = clientIp(req);
        // Only the per-IP limit before authentication: naming a DID spends nothing of that DID's permits
        // (the service spends one once a signature of the batch verified with the DID's key).
        limit(RateLimitScope.IP, clientIp);
        RequestChecks.requireAccepted(req, MediaTypes.APPLICATION_JSON);
        RequestChecks.requireContentType(req, MediaTypes.APPLICATION_JSON, PROTOBUF);
        byte[] body = body(req);
        boolean protobuf = isProtobuf(req);
        int max = deps.receipts().batchSizeMax();
        // Decoding runs on the CPU pool, never on a carrier thread, and starts only once a scan has seen
        // that the body holds at most batch_size_max receipts: a body of millions of tiny elements costs
        // one pass over its bytes and a 413.
        CpuWork.Step<Decoding, RuntimeException> decode = () -> {
            int count = protobuf ? BatchCount.protobuf(body, max) : BatchCount.json(body, max);
            if (count > max) {
                return new Decoding(null, null);
            }
            try {
                return new Decoding(protobuf ? ProtobufCodec.decodeReceiptBatch(body) : JsonWire.batch(JsonWire.object(body)), null);
            } catch (WireFormatException | MalformedMessageException e) {
                return new Decoding(null, e.getMessage());
            }
        };
        // A small body (a few receipts) decodes faster than a hand-off; its cost is bounded by its size.
        Decoding decoding = body.length <= INLINE_DECODE_BYTES ? decode.run() : CpuWork.call(decode);
        if (decoding.unreadable() != null) {
            // An unreadable body counts as one receipt seen and rejected (SPEC §3.2).
            deps.metrics().receiptReceived();
            deps.metrics().receiptRejected(RejectionReason.MALFORMED_RECEIPT);
            throw new ProblemException(Problem.withReason(400, RejectionReason.MALFORMED_RECEIPT.wireName(), decoding.unreadable()));
        }
        DecodedBatch decoded = decoding.batch();
        if (decoded == null) {
            // Counted once, as the service counts a batch refused for its size: it was never read as receipts.
            deps.metrics().receiptReceived();
            deps.metrics().receiptRejected(RejectionReason.MALFORMED_RECEIPT);
            throw new ProblemException(Problem.of(413, "the batch has more than " + max + " receipts, at most " + max
                    + " are allowed"));
        }
        // The whole-batch checks (version, DID, size, enrolled, not blocked) see every receipt, readable or not.
        int unreadable = (int) decoded.entries().stream().filter(e -> !(e instanceof DecodedBatch.Entry.Readable)).count();
        SubmitOutcome submitted = deps.receipts().submit(decoded.readable(), unreadable, clientIp);
        if (submitted instanceof SubmitOutcome.Refused refused) {
            throw new ProblemException(switch (refused.refusal()) {
                case MALFORMED -> Problem.withReason(400, RejectionReason.MALFORMED_RECEIPT.wireName(), refused.detail());
                case TOO_LARGE -> Problem.of(413, refused.detail());
                case UNKNOWN_CLIENT -> unauthorized(RejectionReason.UNKNOWN_CLIENT.wireName(), refused.detail());
                case BLOCKED_DID -> Problem.withReason(403, RejectionReason.BLOCKED_DID.wireName(), refused.detail());
            });
        }
        if (submitted instanceof SubmitOutcome.Throttled throttled) {
            throw denied(RateLimitScope.DID, decoded.clientDid(), throttled.retryAfterSeconds());
        }
        List<ReceiptOutcome> outcomes = ((SubmitOutcome.Processed) submitted).outcomes();
        List<ReceiptOutcome> all = decoded.interleave(outcomes, malformed -> {
            deps.metrics().receiptReceived();
            deps.metrics().receiptRejected(RejectionReason.MALFORMED_RECEIPT);
            return new ReceiptOutcome.Rejected(malformed.receiptNonce(), RejectionReason.MALFORMED_RECEIPT, malformed.detail());
        });
        List<Map<String, Object>> accepted = new ArrayList<>();
        List<Map<String, Object>> rejected = new ArrayList<>();
        for (ReceiptOutcome outcome : all) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("receipt_nonce", outcome.receiptNonce().hex());
            switch (outcome) {
                case ReceiptOutcome.Accepted a -> {
                    json.put("receipt_id", a.receiptId());
                    json.put("reward_atoms", atoms(a.rewardAtoms()));
                    json.put("replayed", a.replayed());
                    accepted.add(json);
                }
                case ReceiptOutcome.Rejected r -> {
                    json.put("receipt_id", r.rejectionId().orElse(null));
                    json.put("reason", r.reason().wireName());
                    json.put("detail", r.detail());
                    rejected.add(json);
                }
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accepted", accepted);
        json.put("rejected", rejected);
        json.put("server_time", deps.clock().instant().getEpochSecond());
        sendJson(res, Status.OK_200, json);
    }

    /** A body as the CPU pool read it: the batch, or why it is unreadable, or neither when it holds too many receipts. */
    private record Decoding(DecodedBatch batch, String unreadable) {
    }

    private void enrol(ServerRequest req, ServerResponse res) {
        limit(RateLimitScope.IP, clientIp(req));
        RequestChecks.requireAccepted(req, MediaTypes.APPLICATION_JSON);
        RequestChecks.requireContentType(req, MediaTypes.APPLICATION_JSON);
        EnrolClientCommand command;
        try {
            JsonNode body = JsonWire.object(body(req));
            String did = JsonWire.string(body, "did");
            Bytes proof = JsonWire.bytes(body, "proof");
            command = new EnrolClientCommand(did, JsonWire.string(body, "sig_scheme"), JsonWire.bytes(body, "public_key"),
                    proof.isEmpty() ? Optional.empty() : Optional.of(proof));
        } catch (WireFormatException e) {
            throw new ProblemException(Problem.badRequest(e.getMessage()));
        }
        DidGate gate = new DidGate();
        switch (deps.enrolment().enrolSelf(command, gate)) {
            case EnrolmentResult.Enrolled enrolled -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("did", enrolled.did());
                json.put("sig_scheme", command.sigScheme());
                json.put("created", enrolled.created());
                sendJson(res, enrolled.created() ? Status.CREATED_201 : Status.OK_200, json);
            }
            case EnrolmentResult.Refused refused -> throw new ProblemException(switch (refused.refusal()) {
                case INVALID_REQUEST, INVALID_PROOF -> Problem.badRequest(refused.detail());
                case ENROLMENT_CLOSED -> Problem.of(403, refused.detail());
                case KEY_CONFLICT -> Problem.typed(409, KEY_CONFLICT, "DID already enrolled with another key", refused.detail());
                case RATE_LIMITED -> gate.refusal();
            });
        }
    }

    private void fileDispute(ServerRequest req, ServerResponse res) {
        limit(RateLimitScope.IP, clientIp(req));
        RequestChecks.requireAccepted(req, MediaTypes.APPLICATION_JSON);
        RequestChecks.requireContentType(req, MediaTypes.APPLICATION_JSON);
        FileDisputeCommand command;
        try {
            JsonNode body = JsonWire.object(body(req));
            String did = JsonWire.string(body, "client_did");
            String receiptId = JsonWire.string(body, "receipt_id");
            String nonce = JsonWire.string(body, "nonce");
            Optional<Long> timestamp = JsonWire.optionalLong(body, "timestamp");
            command = new FileDisputeCommand(did, receiptId.isEmpty() ? Optional.empty() : Optional.of(receiptId),
                    JsonWire.string(body, "dispute_type"), JsonWire.string(body, "description"), JsonWire.bytes(body, "signature"),
                    nonce.isEmpty() ? Optional.empty() : Optional.of(nonce),
                    timestamp.map(OptionalLong::of).orElse(OptionalLong.empty()));
        } catch (WireFormatException e) {
            throw new ProblemException(Problem.badRequest(e.getMessage()));
        }
        DidGate gate = new DidGate();
        switch (deps.disputes().file(command, gate)) {
            case FileResult.Filed filed -> {
                res.header(HeaderNames.LOCATION, "/api/v1/pouw/disputes/" + filed.dispute().disputeId());
                sendJson(res, Status.CREATED_201, dispute(filed.dispute()));
            }
            case FileResult.Refused refused -> throw new ProblemException(switch (refused.refusal()) {
                case INVALID_REQUEST -> Problem.badRequest(refused.detail());
                case UNKNOWN_CLIENT -> unauthorized(RejectionReason.UNKNOWN_CLIENT.wireName(), refused.detail());
                case INVALID_SIGNATURE -> unauthorized(RejectionReason.INVALID_SIGNATURE.wireName(), refused.detail());
                case BLOCKED_DID -> Problem.withReason(403, RejectionReason.BLOCKED_DID.wireName(), refused.detail());
                case STALE_TIMESTAMP -> Problem.typed(400, STALE_TIMESTAMP, "Dispute timestamp outside the clock skew", refused.detail());
                case NONCE_REUSED -> Problem.typed(409, DISPUTE_REPLAYED, "Dispute nonce already used", refused.detail());
                case RATE_LIMITED -> gate.refusal();
            });
        }
    }

    /**
     * The per-DID rate limit as the use cases' admission gate: asked only once a request has proven it
     * comes from the DID, it remembers a denial so the handler can answer 429 with {@code Retry-After}.
     */
    private final class DidGate implements ClientAdmission {
        private RateLimitDecision.Denied denied;
        private String deniedDid;

        @Override
        public boolean admit(String did) {
            if (deps.rateLimits().tryAcquire(RateLimitScope.DID, did) instanceof RateLimitDecision.Denied d) {
                denied = d;
                deniedDid = did;
                return false;
            }
            return true;
        }

        /** The 429 of the remembered denial (counted and logged like every other denial). */
        Problem refusal() {
            if (denied == null) {
                throw new IllegalStateException("a use case reported a rate limit the gate never refused");
            }
            return denial(RateLimitScope.DID, deniedDid, denied);
        }
    }

    /** The dispute JSON of the API (the operator API renders the same fields). */
    private static Map<String, Object> dispute(Dispute dispute) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dispute_id", dispute.disputeId());
        json.put("client_did", dispute.clientDid());
        json.put("receipt_id", dispute.receiptId().orElse(null));
        json.put("dispute_type", dispute.type().wireName());
        json.put("description", dispute.description());
        json.put("status", dispute.status().wireName());
        json.put("created_at", dispute.createdAt().toString());
        json.put("resolution", dispute.resolution().map(ClientApiHttpService::resolution).orElse(null));
        return json;
    }

    private static Map<String, Object> resolution(DisputeResolution resolution) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("resolution_type", resolution.type().map(DisputeResolutionType::wireName).orElse(null));
        json.put("explanation", resolution.explanation());
        json.put("compensation", resolution.compensationAtoms().map(atoms -> {
            Map<String, Object> compensation = new LinkedHashMap<>();
            compensation.put("amount", new java.math.BigDecimal(atoms, 18).stripTrailingZeros().toPlainString());
            compensation.put("currency", "SOV");
            compensation.put("amount_atoms", atoms(atoms));
            return compensation;
        }).orElse(null));
        json.put("resolved_by", resolution.resolvedBy());
        json.put("resolved_at", resolution.resolvedAt().toString());
        return json;
    }

    private void limitDid(String did) {
        if (!did.isEmpty()) {
            limit(RateLimitScope.DID, did);
        }
    }

    private void limit(RateLimitScope scope, String key) {
        if (deps.rateLimits().tryAcquire(scope, key) instanceof RateLimitDecision.Denied denied) {
            throw denied(scope, key, denied.retryAfterSeconds());
        }
    }

    private Problem denial(RateLimitScope scope, String key, RateLimitDecision.Denied denied) {
        return tooMany(scope, key, denied.retryAfterSeconds());
    }

    private ProblemException denied(RateLimitScope scope, String key, long retryAfterSeconds) {
        return new ProblemException(tooMany(scope, key, retryAfterSeconds));
    }

    private Problem tooMany(RateLimitScope scope, String key, long retryAfterSeconds) {
        deps.metrics().rateLimitDenied(scope);
        String offender = printable(key);
        // One line per offender and window; suppressed= counts its denials not logged since its previous
        // line. The offender is the last field, so `grep "rate limit exceeded" | awk '{print $NF}'` finds it.
        denialLog.onDenial(scope, offender, deps.rateLimits().limiter(scope).policy().window()).ifPresent(suppressed ->
                LOG.log(System.Logger.Level.WARNING, "rate limit exceeded scope=" + scope.label()
                        + " suppressed=" + suppressed + " " + offender));
        return Problem.tooManyRequests(Duration.ofSeconds(retryAfterSeconds),
                "rate limit exceeded for this " + (scope == RateLimitScope.IP ? "address" : "DID")
                        + "; retry in " + retryAfterSeconds + " s");
    }

    private String clientIp(ServerRequest req) {
        SocketAddress peer = req.remotePeer().address();
        String address = peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(peer);
        return deps.addresses().resolve(address, req.headers().values(HeaderNames.X_FORWARDED_FOR));
    }

    private static boolean isProtobuf(ServerRequest req) {
        Optional<HttpMediaType> type = req.headers().contentType();
        return type.isPresent() && type.get().mediaType().subtype().equalsIgnoreCase(PROTOBUF.subtype());
    }

    private static byte[] body(ServerRequest req) {
        return req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
    }

    private static String atoms(BigInteger atoms) {
        return atoms.toString();
    }

    private static String printable(String key) {
        String clipped = key.length() > 256 ? key.substring(0, 256) : key;
        return clipped.replaceAll("[^\\x21-\\x7e]", "?");
    }

    /**
     * A 401 of the client API. The client API has no HTTP credentials (a client proves itself by the
     * signature in the body, under an enrolled DID), but RFC 9110 requires a challenge on every 401:
     * {@value #CLIENT_CHALLENGE} names that scheme.
     */
    private static Problem unauthorized(String reason, String detail) {
        return Problem.withReason(401, reason, detail).withHeader("WWW-Authenticate", CLIENT_CHALLENGE);
    }

    /** Every answer of the client API is for one client at one moment: no cache may keep it (a challenge is single-use). */
    private static void sendJson(ServerResponse res, Status status, Map<String, Object> json) {
        res.status(status);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(JsonWriter.write(json).getBytes(StandardCharsets.UTF_8));
    }
}
