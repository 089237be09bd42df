package network.sovereign.pouw.adapters.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.sovereign.pouw.adapters.web.codec.DecodedBatch;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * The JSON transport of pouw.v1 (SPEC §2.3): snake_case names, {@code bytes} as lowercase hex, proof
 * types by JSON name, 64-bit integers as JSON numbers. Absent fields take proto3 defaults; unknown
 * fields are ignored (and so never signed over).
 */
final class JsonWire {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // A request body is at most a few MiB; nesting deeper than a receipt's is never legitimate.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    private JsonWire() {
    }

    /** Parses a body into a JSON object. */
    static JsonNode object(byte[] body) throws WireFormatException {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("the body is not valid JSON");
        } catch (java.io.IOException e) {
            throw new WireFormatException("the body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw new WireFormatException("the body must be a JSON object");
        }
        return node;
    }

    /**
     * A {@code ReceiptBatch}: the envelope must be readable; a receipt that is not becomes a
     * {@code malformed_receipt} entry of its own.
     */
    static DecodedBatch batch(JsonNode node) throws WireFormatException {
        JsonNode receipts = node.path("receipts");
        if (!receipts.isMissingNode() && !receipts.isNull() && !receipts.isArray()) {
            throw new WireFormatException("receipts must be an array");
        }
        List<DecodedBatch.Entry> entries = new ArrayList<>();
        int index = 0;
        for (JsonNode item : receipts) {
            try {
                entries.add(new DecodedBatch.Entry.Readable(signedReceipt(item, "receipts[" + index + "]")));
            } catch (WireFormatException e) {
                Bytes nonce;
                try {
                    nonce = bytes(item.path("receipt"), "receipt_nonce");
                } catch (WireFormatException unreadable) {
                    nonce = Bytes.EMPTY;
                }
                entries.add(new DecodedBatch.Entry.Malformed(nonce, e.getMessage()));
            }
            index++;
        }
        return new DecodedBatch(uint32(node, "version"), string(node, "client_did"), bytes(node, "batch_nonce"), entries);
    }

    private static SignedReceipt signedReceipt(JsonNode node, String where) throws WireFormatException {
        if (!node.isObject()) {
            throw new WireFormatException(where + " must be an object");
        }
        JsonNode r = node.path("receipt");
        if (!r.isObject()) {
            throw new WireFormatException(where + ".receipt must be an object");
        }
        try {
            Optional<Aux> aux = Optional.empty();
            JsonNode a = r.path("aux");
            if (a.isObject()) {
                aux = Optional.of(new Aux(bytes(a, "merkle_root"), bytes(a, "proof_digest")));
            } else if (!a.isMissingNode() && !a.isNull()) {
                throw new WireFormatException("aux must be an object");
            }
            Receipt receipt = new Receipt(uint32(r, "version"), bytes(r, "task_id"), string(r, "client_did"),
                    bytes(r, "client_node_id"), bytes(r, "provider_id"), bytes(r, "content_id"), proofType(r, "proof_type"),
                    uint64(r, "bytes_verified"), bool(r, "result_ok"), uint64(r, "started_at"), uint64(r, "finished_at"),
                    bytes(r, "receipt_nonce"), bytes(r, "challenge_nonce"), aux);
            return new SignedReceipt(receipt, string(node, "sig_scheme"), bytes(node, "signature"));
        } catch (WireFormatException e) {
            throw new WireFormatException(where + ": " + e.getMessage());
        }
    }

    /** A text field, "" when absent. */
    static String string(JsonNode node, String field) throws WireFormatException {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new WireFormatException(field + " must be a string");
        }
        return value.textValue();
    }

    /** A hex {@code bytes} field, empty when absent. */
    static Bytes bytes(JsonNode node, String field) throws WireFormatException {
        String hex = string(node, field);
        try {
            return Bytes.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(field + " must be hex");
        }
    }

    /** A uint64 field as a long (two's complement above 2^63), 0 when absent. */
    static long uint64(JsonNode node, String field) throws WireFormatException {
        return unsigned(node, field, UINT64_MAX).longValue();
    }

    /** A uint32 field as an int (two's complement above 2^31), 0 when absent. */
    static int uint32(JsonNode node, String field) throws WireFormatException {
        return unsigned(node, field, BigInteger.valueOf(0xFFFF_FFFFL)).intValue();
    }

    private static BigInteger unsigned(JsonNode node, String field, BigInteger max) throws WireFormatException {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return BigInteger.ZERO;
        }
        if (!value.isIntegralNumber() || value.bigIntegerValue().signum() < 0 || value.bigIntegerValue().compareTo(max) > 0) {
            throw new WireFormatException(field + " must be a whole number from 0 to " + max);
        }
        return value.bigIntegerValue();
    }

    /** An optional whole-number field. */
    static Optional<Long> optionalLong(JsonNode node, String field) throws WireFormatException {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new WireFormatException(field + " must be a whole number");
        }
        return Optional.of(value.longValue());
    }

    private static boolean bool(JsonNode node, String field) throws WireFormatException {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new WireFormatException(field + " must be true or false");
        }
        return value.booleanValue();
    }

    /** A proof type by JSON name ({@code hash} when absent, proto3's default). */
    static ProofType proofType(JsonNode node, String field) throws WireFormatException {
        String name = string(node, field);
        if (name.isEmpty()) {
            return ProofType.HASH;
        }
        return ProofType.fromJsonName(name)
                .orElseThrow(() -> new WireFormatException(field + " must be one of hash, merkle, signature"));
    }

    /** A list of proof-type names. */
    static List<ProofType> proofTypes(JsonNode node, String field) throws WireFormatException {
        JsonNode value = node.path(field);
        if (!value.isArray()) {
            throw new WireFormatException(field + " must be an array of proof types (hash, merkle, signature)");
        }
        List<ProofType> types = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new WireFormatException(field + " must hold strings");
            }
            types.add(ProofType.fromJsonName(item.textValue())
                    .orElseThrow(() -> new WireFormatException("unknown capability '" + clip(item.textValue())
                            + "' (known: hash, merkle, signature)")));
        }
        return types;
    }

    /** A challenge token as JSON (bytes in hex). */
    static Map<String, Object> token(ChallengeToken token) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", token.version());
        json.put("node_id", token.nodeId().hex());
        json.put("task_id", token.taskId().hex());
        json.put("challenge_nonce", token.challengeNonce().hex());
        json.put("issued_at", token.issuedAt());
        json.put("expires_at", token.expiresAt());
        json.put("policy", policy(token.policy()));
        json.put("node_signature", token.nodeSignature().hex());
        return json;
    }

    /** A policy as JSON. */
    static Map<String, Object> policy(Policy policy) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("max_receipts", policy.maxReceipts());
        json.put("max_bytes_total", policy.maxBytesTotal());
        json.put("min_bytes_per_receipt", policy.minBytesPerReceipt());
        json.put("allowed_proof_types", policy.allowedProofTypes().stream().map(ProofType::jsonName).toList());
        return json;
    }

    /** Standard padded base64, as the {@code token} field carries the binary token. */
    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String clip(String text) {
        return text.length() > 32 ? text.substring(0, 32) + "…" : text;
    }
}
