package network.sovereign.pouw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.application.service.DisputeService;
import network.sovereign.pouw.application.service.EnrolClientService;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * A client of one running node over the JSON transport ({@code java.net.http}, HTTP/1.1), for tests,
 * the demo and people: node info, admin enrolment, challenges, receipt batches and disputes. Calls that must
 * succeed throw {@link PouwClientException} when they do not; {@link #submit} returns the node's
 * answer whatever it is, refusals of the whole batch included. Thread-safe.
 */
public final class PouwClient {

    private static final String JSON = "application/json";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    /** A client of the node at {@code baseUrl} (e.g. {@code http://127.0.0.1:8080}). */
    public PouwClient(URI baseUrl) {
        this(baseUrl, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build(),
                REQUEST_TIMEOUT);
    }

    /** A client using {@code http}, each request timing out after {@code timeout}. */
    public PouwClient(URI baseUrl, HttpClient http, Duration timeout) {
        String url = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("the node URL must start with http:// or https://, not '" + url + "'");
        }
        this.baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The node's URL, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code GET /api/v1/pouw/node}: the node's key, accepted schemes, default policy and clock. */
    public NodeInfo nodeInfo() {
        return WireJson.readNodeInfo(expect("node info", 200, send(request("/api/v1/pouw/node").GET())));
    }

    /**
     * {@code POST /api/v1/admin/clients}: binds {@code did} to the public key of {@code keys} (or rotates
     * its key), authenticated with an admin bearer token.
     */
    public Enrolment enrol(String adminToken, String did, ClientKeyPair keys) {
        String body = WireJson.enrolRequest(did, keys.scheme(), keys.publicKey());
        HttpResponse<String> response = send(request("/api/v1/admin/clients")
                .header("Authorization", "Bearer " + Objects.requireNonNull(adminToken, "adminToken"))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new PouwClientException("enrolment of " + did, problem(response));
        }
        return WireJson.readEnrolment(WireJson.parse(response.body()));
    }

    /**
     * {@code POST /api/v1/pouw/clients}: self-enrolment (only when the node runs with
     * {@code POUW_ENROLLMENT=open}), the {@code proof} signing {@link EnrolClientService#proofMessage}
     * with {@code keys} for the node whose id is {@code nodeId}.
     *
     * @return the node's answer (201 new, 200 the same key again), or the refusal as an exception
     */
    public JsonNode selfEnrol(String did, ClientKeyPair keys, Bytes nodeId) {
        String body = WireJson.selfEnrolRequest(did, keys.scheme(), keys.publicKey(),
                Bytes.of(keys.sign(EnrolClientService.proofMessage(did, nodeId.toArray()))));
        HttpResponse<String> response = postJson("/api/v1/pouw/clients", body);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new PouwClientException("self-enrolment of " + did, problem(response));
        }
        try {
            return WireJson.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new PouwClientException("unreadable answer to self-enrolment: " + e.getMessage(), e);
        }
    }

    /** {@code POST /api/v1/pouw/challenges} with the node's caps. */
    public IssuedChallenge challenge(String did, Collection<ProofType> capabilities) {
        return challenge(did, capabilities, OptionalInt.empty(), OptionalLong.empty());
    }

    /** {@code POST /api/v1/pouw/challenges} asking for at most {@code maxReceipts} receipts. */
    public IssuedChallenge challenge(String did, Collection<ProofType> capabilities, OptionalInt maxReceipts) {
        return challenge(did, capabilities, maxReceipts, OptionalLong.empty());
    }

    /** {@code POST /api/v1/pouw/challenges}: a challenge for {@code did} (201), or the refusal as an exception. */
    public IssuedChallenge challenge(String did, Collection<ProofType> capabilities, OptionalInt maxReceipts, OptionalLong maxBytesTotal) {
        return WireJson.readIssuedChallenge(challengeJson(did, capabilities, maxReceipts, maxBytesTotal));
    }

    /**
     * {@code POST /api/v1/pouw/challenges}: the node's 201 answer as it came (for saving it and reading it
     * back with {@link WireJson#readIssuedChallenge}), or the refusal as an exception.
     */
    public JsonNode challengeJson(String did, Collection<ProofType> capabilities, OptionalInt maxReceipts, OptionalLong maxBytesTotal) {
        String body = WireJson.challengeRequest(did, capabilities, maxReceipts, maxBytesTotal);
        return expect("challenge for " + did, 201, postJson("/api/v1/pouw/challenges", body));
    }

    /** A receipt answering {@code challenge} for {@code did}, to adjust and then {@link ReceiptBuilder#sign sign}. */
    public static ReceiptBuilder receipt(IssuedChallenge challenge, String did) {
        return ReceiptBuilder.answering(challenge, did);
    }

    /** {@code POST /api/v1/pouw/receipts}: one batch with a fresh random {@code batch_nonce}. */
    public SubmitResult submit(String did, List<SignedReceipt> receipts) {
        return submit(did, ReceiptBuilder.random(16), receipts);
    }

    /** {@code POST /api/v1/pouw/receipts}: the per-receipt outcomes (200) or the refusal of the whole batch. */
    public SubmitResult submit(String did, Bytes batchNonce, List<SignedReceipt> receipts) {
        return submitAnswer(did, batchNonce, receipts).result();
    }

    /** {@code POST /api/v1/pouw/receipts}: as {@link #submit(String, Bytes, List)}, with the node's JSON body as it came. */
    public SubmitAnswer submitAnswer(String did, Bytes batchNonce, List<SignedReceipt> receipts) {
        HttpResponse<String> response = postJson("/api/v1/pouw/receipts", WireJson.batch(did, batchNonce, receipts));
        if (response.statusCode() == 200) {
            try {
                return new SubmitAnswer(WireJson.readSubmitted(WireJson.parse(response.body())), response.body());
            } catch (IllegalArgumentException e) {
                throw new PouwClientException("unreadable answer to a batch: " + e.getMessage(), e);
            }
        }
        return new SubmitAnswer(new SubmitResult(response.statusCode(), List.of(), Optional.of(problem(response)), OptionalLong.empty()),
                response.body());
    }

    /**
     * A batch's answer: what it means and the body it came in.
     *
     * @param result the outcomes, or the refusal of the whole batch
     * @param body   the node's answer as it came (JSON, problem+json for a refusal)
     */
    public record SubmitAnswer(SubmitResult result, String body) {

        /** Checks that nothing is null. */
        public SubmitAnswer {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * {@code POST /api/v1/pouw/disputes}: files a dispute whose {@code signature} signs
     * {@link DisputeService#signedText} with {@code keys}, the DID's enrolled key (SPEC §4).
     *
     * @param receiptId the disputed receipt's id, or empty
     * @param nonce     the client's nonce, new for every dispute (16..64 of {@code A-Z a-z 0-9 _ -})
     * @param timestamp the signing time, unix seconds
     * @return the node's 201 answer (the dispute), or the refusal as an exception
     */
    public JsonNode fileDispute(String did, Optional<String> receiptId, String disputeType, String description, String nonce,
                                long timestamp, ClientKeyPair keys) {
        byte[] signed = DisputeService.signedText(did, receiptId, disputeType, description, nonce, timestamp);
        String body = WireJson.disputeRequest(did, receiptId, disputeType, description, nonce, timestamp, Bytes.of(keys.sign(signed)));
        return expect("dispute of " + did, 201, postJson("/api/v1/pouw/disputes", body));
    }

    private HttpResponse<String> postJson(String path, String body) {
        return send(request(path).header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).header("Accept", JSON);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PouwClientException(request.method() + " " + request.uri() + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PouwClientException(request.method() + " " + request.uri() + " interrupted", e);
        }
    }

    private static JsonNode expect(String what, int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new PouwClientException(what, problem(response));
        }
        try {
            return WireJson.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new PouwClientException("unreadable answer to " + what + ": " + e.getMessage(), e);
        }
    }

    private static ApiProblem problem(HttpResponse<String> response) {
        Optional<Long> retryAfter = response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        return WireJson.readProblem(response.statusCode(), response.body(), retryAfter);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
