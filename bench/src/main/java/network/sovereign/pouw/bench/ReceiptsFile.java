package network.sovereign.pouw.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ProofType;

/**
 * The receipts file of {@code client submit}: the work done, one object per receipt, either as
 * {@code {"receipts": [...]}} or as a bare array. Every field is optional; what a field leaves out
 * takes {@link ReceiptBuilder}'s default. What a receipt takes from its challenge ({@code version},
 * {@code task_id}, {@code challenge_nonce}, {@code client_did}) is filled in by the client and may not
 * appear; an unknown field is an error, so a typo never goes out as a default.
 *
 * <pre>
 * proof_type      "hash" | "merkle" | "signature"       (default: the challenge's first allowed type)
 * bytes_verified  unsigned whole number                 (default: max(4096, the policy's minimum))
 * result_ok       true | false                          (default true)
 * content_id      hex                                   (default 32 random bytes)
 * provider_id     hex                                   (default 8 random bytes)
 * client_node_id  hex                                   (default 8 random bytes)
 * started_at      unix seconds                          (default: now, when signing)
 * finished_at     unix seconds                          (default: now, when signing)
 * receipt_nonce   hex, 16..32 bytes                     (default 16 fresh random bytes; set it only to retry)
 * aux             {"merkle_root": hex, "proof_digest": hex}, each optional (default: no aux)
 * </pre>
 */
final class ReceiptsFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FROM_CHALLENGE = Set.of("version", "task_id", "challenge_nonce", "client_did");
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    /** What the receipts file describes, field by field, as changes to a {@link ReceiptBuilder}. */
    private static final Map<String, BiConsumer<ReceiptBuilder, JsonNode>> FIELDS = Map.of(
            "proof_type", (b, v) -> b.proofType(proofType(v)),
            "bytes_verified", (b, v) -> b.bytesVerified(uint64("bytes_verified", v)),
            "result_ok", (b, v) -> b.resultOk(bool("result_ok", v)),
            "content_id", (b, v) -> b.contentId(hex("content_id", v)),
            "provider_id", (b, v) -> b.providerId(hex("provider_id", v)),
            "client_node_id", (b, v) -> b.clientNodeId(hex("client_node_id", v)),
            "started_at", (b, v) -> b.startedAt(uint64("started_at", v)),
            "finished_at", (b, v) -> b.finishedAt(uint64("finished_at", v)),
            "receipt_nonce", (b, v) -> b.receiptNonce(hex("receipt_nonce", v)),
            "aux", (b, v) -> b.aux(aux(v)));

    private final List<JsonNode> receipts;

    private ReceiptsFile(List<JsonNode> receipts) {
        this.receipts = List.copyOf(receipts);
    }

    /** A bad receipts file, said in one line naming the receipt and field. */
    static final class InvalidReceiptsException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidReceiptsException(String message) {
            super(message);
        }
    }

    /** Reads and checks {@code file}. */
    static ReceiptsFile read(Path file) throws InvalidReceiptsException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidReceiptsException("cannot read the receipts file " + file + ": " + ClientCli.why(e));
        }
        return parse(file.toString(), text);
    }

    /** Parses and checks the receipts file {@code text}, named {@code name} in messages. */
    static ReceiptsFile parse(String name, String text) throws InvalidReceiptsException {
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidReceiptsException(name + " is not JSON: " + e.getOriginalMessage());
        }
        JsonNode array = json != null && json.isObject() ? json.path("receipts") : json;
        if (json != null && json.isObject() && json.size() != 1) {
            throw new InvalidReceiptsException(name + ": the only top-level field is \"receipts\"");
        }
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new InvalidReceiptsException(name + ": expected {\"receipts\": [ {...}, ... ]} or [ {...}, ... ] with at least one receipt");
        }
        List<JsonNode> receipts = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode r = array.get(i);
            String where = name + ": receipt " + (i + 1);
            if (!r.isObject()) {
                throw new InvalidReceiptsException(where + " is not an object");
            }
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (FROM_CHALLENGE.contains(field)) {
                    throw new InvalidReceiptsException(where + ": " + field + " comes from the challenge; leave it out");
                }
                if (!FIELDS.containsKey(field)) {
                    throw new InvalidReceiptsException(where + ": unknown field " + field + " (known: " + String.join(", ", fieldNames()) + ")");
                }
            }
            try {
                r.properties().forEach(e -> FIELDS.get(e.getKey()).accept(ReceiptBuilder.blank(), e.getValue()));
            } catch (IllegalArgumentException e) {
                throw new InvalidReceiptsException(where + ": " + e.getMessage());
            }
            receipts.add(r);
        }
        return new ReceiptsFile(receipts);
    }

    /** How many receipts the file describes. */
    int size() {
        return receipts.size();
    }

    /** The proof types the receipts name, in order of first use (the capabilities to ask a challenge for). */
    Set<ProofType> proofTypes() {
        Set<ProofType> types = new LinkedHashSet<>();
        receipts.forEach(r -> {
            if (r.has("proof_type")) {
                types.add(proofType(r.get("proof_type")));
            }
        });
        return types;
    }

    /** Applies receipt {@code index}'s fields to {@code builder} (already answering the challenge). */
    ReceiptBuilder apply(int index, ReceiptBuilder builder) {
        receipts.get(index).properties().forEach(e -> FIELDS.get(e.getKey()).accept(builder, e.getValue()));
        return builder;
    }

    private static List<String> fieldNames() {
        return FIELDS.keySet().stream().sorted().toList();
    }

    private static ProofType proofType(JsonNode v) {
        return ProofType.fromJsonName(v.asText()).filter(t -> v.isTextual())
                .orElseThrow(() -> new IllegalArgumentException("proof_type must be \"hash\", \"merkle\" or \"signature\", not " + v));
    }

    private static long uint64(String field, JsonNode v) {
        if (!v.isIntegralNumber() || v.bigIntegerValue().signum() < 0 || v.bigIntegerValue().compareTo(TWO_TO_64) >= 0) {
            throw new IllegalArgumentException(field + " must be a whole number 0..2^64-1, not " + v);
        }
        return v.bigIntegerValue().longValue();
    }

    private static boolean bool(String field, JsonNode v) {
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false, not " + v);
        }
        return v.booleanValue();
    }

    private static Bytes hex(String field, JsonNode v) {
        if (!v.isTextual() || !v.textValue().matches("([0-9a-fA-F]{2})*")) {
            throw new IllegalArgumentException(field + " must be a string of hex digit pairs, not " + v);
        }
        return Bytes.fromHex(v.textValue().toLowerCase(Locale.ROOT));
    }

    private static Aux aux(JsonNode v) {
        if (!v.isObject()) {
            throw new IllegalArgumentException("aux must be {\"merkle_root\": hex, \"proof_digest\": hex}, not " + v);
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("merkle_root") && !field.equals("proof_digest")) {
                throw new IllegalArgumentException("aux has only merkle_root and proof_digest, not " + field);
            }
        }
        return new Aux(v.has("merkle_root") ? hex("aux.merkle_root", v.get("merkle_root")) : Bytes.EMPTY,
                v.has("proof_digest") ? hex("aux.proof_digest", v.get("proof_digest")) : Bytes.EMPTY);
    }
}
