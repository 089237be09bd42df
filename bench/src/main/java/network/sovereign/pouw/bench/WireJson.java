package network.sovereign.pouw.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * The JSON transport of pouw.v1 from the client's side (SPEC §2.3), written by hand on Jackson's tree
 * model: snake_case names, {@code bytes} as lowercase hex, proof types by JSON name, {@code uint64}
 * values as unsigned decimal JSON numbers (a {@code long} below zero means 2^64 + value). Writing
 * keeps proto3 presence for {@code aux}; reading gives absent fields their proto3 defaults.
 */
public final class WireJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final int MAX_CLIPPED = 300;

    private WireJson() {
    }

    // ---- writing ----

    /** The request body of {@code POST /api/v1/pouw/receipts}. */
    public static String batch(String clientDid, Bytes batchNonce, List<SignedReceipt> receipts) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("version", 1);
        json.put("client_did", clientDid);
        json.put("batch_nonce", batchNonce.hex());
        ArrayNode array = json.putArray("receipts");
        receipts.forEach(r -> array.add(signedReceipt(r)));
        return json.toString();
    }

    /** A {@code SignedReceipt}: {@code {"receipt":{...},"sig_scheme":...,"signature":hex}}. */
    public static ObjectNode signedReceipt(SignedReceipt signed) {
        ObjectNode json = MAPPER.createObjectNode();
        json.set("receipt", receipt(signed.receipt()));
        json.put("sig_scheme", signed.sigScheme());
        json.put("signature", signed.signature().hex());
        return json;
    }

    /** A {@code Receipt}, every field written; {@code aux} only when present. */
    public static ObjectNode receipt(Receipt r) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("version", Integer.toUnsignedLong(r.version()));
        json.put("task_id", r.taskId().hex());
        json.put("client_did", r.clientDid());
        json.put("client_node_id", r.clientNodeId().hex());
        json.put("provider_id", r.providerId().hex());
        json.put("content_id", r.contentId().hex());
        json.put("proof_type", r.proofType().jsonName());
        json.put("bytes_verified", unsigned(r.bytesVerified()));
        json.put("result_ok", r.resultOk());
        json.put("started_at", unsigned(r.startedAt()));
        json.put("finished_at", unsigned(r.finishedAt()));
        json.put("receipt_nonce", r.receiptNonce().hex());
        json.put("challenge_nonce", r.challengeNonce().hex());
        r.aux().ifPresent(aux -> {
            ObjectNode a = json.putObject("aux");
            a.put("merkle_root", aux.merkleRoot().hex());
            a.put("proof_digest", aux.proofDigest().hex());
        });
        return json;
    }

    /** The request body of {@code POST /api/v1/pouw/challenges}. */
    public static String challengeRequest(String clientDid, Collection<ProofType> capabilities, OptionalInt maxReceipts,
                                          OptionalLong maxBytesTotal) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("client_did", clientDid);
        ArrayNode caps = json.putArray("capabilities");
        capabilities.forEach(c -> caps.add(c.jsonName()));
        maxReceipts.ifPresent(n -> json.put("max_receipts", Integer.toUnsignedLong(n)));
        maxBytesTotal.ifPresent(n -> json.put("max_bytes_total", unsigned(n)));
        return json.toString();
    }

    /** The request body of {@code POST /api/v1/admin/clients}. */
    public static String enrolRequest(String did, SigScheme scheme, byte[] publicKey) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("did", did);
        json.put("sig_scheme", scheme.wireName());
        json.put("public_key", Bytes.of(publicKey).hex());
        return json.toString();
    }

    /** The request body of {@code POST /api/v1/pouw/clients} (self-enrolment). */
    public static String selfEnrolRequest(String did, SigScheme scheme, byte[] publicKey, Bytes proof) {
        ObjectNode json = (ObjectNode) parse(enrolRequest(did, scheme, publicKey));
        json.put("proof", proof.hex());
        return json.toString();
    }

    /** The request body of {@code POST /api/v1/pouw/disputes}; {@code receipt_id} only when there is one. */
    public static String disputeRequest(String did, Optional<String> receiptId, String disputeType, String description, String nonce,
                                        long timestamp, Bytes signature) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("client_did", did);
        receiptId.ifPresent(id -> json.put("receipt_id", id));
        json.put("dispute_type", disputeType);
        json.put("description", description);
        json.put("nonce", nonce);
        json.put("timestamp", timestamp);
        json.put("signature", signature.hex());
        return json.toString();
    }

    /** {@code json} indented, for people. */
    public static String pretty(JsonNode json) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always writes", e);
        }
    }

    /** A uint64 carried in a long, as the unsigned number it stands for. */
    static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    // ---- reading ----

    /** Parses a JSON object. */
    public static JsonNode parse(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("expected a JSON object, got: " + clip(body));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + clip(body), e);
        }
    }

    /** A {@code SignedReceipt} as {@link #signedReceipt} writes it. */
    public static SignedReceipt readSignedReceipt(JsonNode json) {
        return new SignedReceipt(readReceipt(json.path("receipt")), text(json, "sig_scheme"), bytes(json, "signature"));
    }

    /** A {@code Receipt} as {@link #receipt} writes it (absent fields take proto3 defaults). */
    public static Receipt readReceipt(JsonNode r) {
        JsonNode a = r.path("aux");
        Optional<Aux> aux = a.isObject() ? Optional.of(new Aux(bytes(a, "merkle_root"), bytes(a, "proof_digest"))) : Optional.empty();
        String proofType = text(r, "proof_type");
        return new Receipt((int) uint64(r, "version"), bytes(r, "task_id"), text(r, "client_did"), bytes(r, "client_node_id"),
                bytes(r, "provider_id"), bytes(r, "content_id"), proofType.isEmpty() ? ProofType.HASH : proofType(proofType),
                uint64(r, "bytes_verified"), r.path("result_ok").asBoolean(false), uint64(r, "started_at"), uint64(r, "finished_at"),
                bytes(r, "receipt_nonce"), bytes(r, "challenge_nonce"), aux);
    }

    /** The 201 answer of {@code POST /api/v1/pouw/challenges}. */
    public static IssuedChallenge readIssuedChallenge(JsonNode json) {
        if (!json.path("token").isTextual() || !json.path("challenge").isObject()) {
            throw new IllegalArgumentException("a challenge answer has a token and a challenge: " + clip(json.toString()));
        }
        return new IssuedChallenge(json.path("token").textValue(), readChallengeToken(json.path("challenge")), uint64(json, "expires_at"));
    }

    /** A {@code ChallengeToken} in JSON. */
    public static ChallengeToken readChallengeToken(JsonNode c) {
        return new ChallengeToken((int) uint64(c, "version"), bytes(c, "node_id"), bytes(c, "task_id"), bytes(c, "challenge_nonce"),
                uint64(c, "issued_at"), uint64(c, "expires_at"), readPolicy(c.path("policy")), bytes(c, "node_signature"));
    }

    /** A {@code Policy} in JSON. */
    public static Policy readPolicy(JsonNode p) {
        List<ProofType> types = new ArrayList<>();
        for (JsonNode t : p.path("allowed_proof_types")) {
            types.add(proofType(t.asText()));
        }
        return new Policy((int) uint64(p, "max_receipts"), uint64(p, "max_bytes_total"), uint64(p, "min_bytes_per_receipt"), types);
    }

    /** The answer of {@code GET /api/v1/pouw/node}. */
    public static NodeInfo readNodeInfo(JsonNode json) {
        List<String> schemes = new ArrayList<>();
        json.path("accepted_sig_schemes").forEach(s -> schemes.add(s.asText()));
        return new NodeInfo(bytes(json, "node_id"), bytes(json, "public_key"), text(json, "sig_scheme"), json.path("version").asText(""),
                schemes, readPolicy(json.path("policy_defaults")), uint64(json, "server_time"));
    }

    /** The answer of {@code POST /api/v1/admin/clients}. */
    public static Enrolment readEnrolment(JsonNode json) {
        return new Enrolment(text(json, "did"), text(json, "sig_scheme"), json.path("created").asBoolean(false));
    }

    /** The 200 answer of {@code POST /api/v1/pouw/receipts}: accepted outcomes first, then rejected ones. */
    public static SubmitResult readSubmitted(JsonNode json) {
        List<SubmitResult.Outcome> outcomes = new ArrayList<>();
        for (JsonNode a : json.path("accepted")) {
            outcomes.add(new SubmitResult.Accepted(bytes(a, "receipt_nonce"), a.path("receipt_id").asText(""),
                    atoms(a.path("reward_atoms")), a.path("replayed").asBoolean(false)));
        }
        for (JsonNode r : json.path("rejected")) {
            outcomes.add(new SubmitResult.Rejected(bytes(r, "receipt_nonce"), text(r, "reason"), text(r, "detail")));
        }
        JsonNode time = json.path("server_time");
        return new SubmitResult(200, outcomes, Optional.empty(),
                time.isIntegralNumber() ? OptionalLong.of(time.longValue()) : OptionalLong.empty());
    }

    /** An error answer: problem+json when it is one, else the raw body (clipped) as detail. */
    public static ApiProblem readProblem(int status, String body, Optional<Long> retryAfter) {
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json != null && json.isObject()) {
                JsonNode reason = json.path("reason");
                return new ApiProblem(status, reason.isTextual() ? Optional.of(reason.textValue()) : Optional.empty(),
                        json.path("title").asText(""), json.path("detail").asText(""), retryAfter);
            }
        } catch (JsonProcessingException e) {
            // not problem+json: fall through to the raw body
        }
        return new ApiProblem(status, Optional.empty(), "", clip(body), retryAfter);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    private static Bytes bytes(JsonNode node, String field) {
        return Bytes.fromHex(text(node, field));
    }

    private static ProofType proofType(String name) {
        return ProofType.fromJsonName(name).orElseThrow(() -> new IllegalArgumentException("unknown proof type '" + clip(name) + "'"));
    }

    /** A uint64 field: 0 when absent, unsigned decimal up to 2^64 - 1 (negative longs accepted as the node's Jackson writes them). */
    static long uint64(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " is not a whole number: " + clip(value.toString()));
        }
        BigInteger n = value.bigIntegerValue();
        if (n.compareTo(LONG_MIN) < 0 || n.compareTo(TWO_TO_64) >= 0) {
            throw new IllegalArgumentException(field + " does not fit 64 bits: " + n);
        }
        return n.longValue();
    }

    private static BigInteger atoms(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        try {
            return new BigInteger(value.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("reward_atoms is not a whole number: " + clip(value.toString()), e);
        }
    }

    static String clip(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > MAX_CLIPPED ? flat.substring(0, MAX_CLIPPED) + "…" : flat;
    }
}
