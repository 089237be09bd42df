package network.sovereign.pouw.adapters.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads and writes the admin API's JSON bodies with Jackson's tree model: fields are mapped by hand,
 * unknown fields are ignored, and every malformed body becomes a 400 or 415 with a client-safe detail
 * (never Jackson's message, which quotes the input).
 */
final class JsonBodies {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            // "{...} trailing garbage" is not a JSON document.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"did":"a","did":"b"} is ambiguous: refuse it rather than pick one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Decimal numbers exactly as written (a compensation of 0.1 SOV is 10^17 atoms, not a double's approximation).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonBodies() {
    }

    /** A new, empty JSON object to fill and {@link #send}. */
    static ObjectNode object() {
        return NODES.objectNode();
    }

    /**
     * The request body as a JSON object.
     *
     * @throws HttpException 415 unless the {@code Content-Type} is {@code application/json} (parameters
     *                       such as {@code charset} ignored); 400 when the body is missing, not JSON, or not an object
     */
    static ObjectNode readObject(ServerRequest req) {
        requireJson(req, false);
        return parseObject(req);
    }

    /**
     * The request body as a JSON object, also when it is sent without a {@code Content-Type} or as
     * {@code application/x-www-form-urlencoded}: what {@code curl -d '{...}'} sends, as the runbook's
     * commands do. The body is parsed as JSON either way, never as a form.
     *
     * @throws HttpException 415 for any other content type; 400 as {@link #readObject}
     */
    static ObjectNode readObjectLeniently(ServerRequest req) {
        requireJson(req, true);
        return parseObject(req);
    }

    private static ObjectNode parseObject(ServerRequest req) {
        if (!req.content().hasEntity()) {
            throw new BadRequestException("a JSON object body is required");
        }
        byte[] body;
        try (var in = req.content().inputStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new BadRequestException("the body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            // Reading from a byte array does no I/O; only parse errors (above) are expected.
            throw new UncheckedIOException("parsing an in-memory body failed", e);
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * A required string field.
     *
     * @throws BadRequestException when the field is absent, null, not a string, or blank
     */
    static String requiredString(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new BadRequestException("\"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw new BadRequestException("\"" + field + "\" must be a string");
        }
        String text = value.textValue();
        if (text.isBlank()) {
            throw new BadRequestException("\"" + field + "\" must not be empty");
        }
        return text;
    }

    /**
     * An optional string field: absent, null or blank is empty.
     *
     * @throws BadRequestException when the field is present but not a string
     */
    static Optional<String> optionalString(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadRequestException("\"" + field + "\" must be a string");
        }
        return Optional.of(value.textValue()).filter(text -> !text.isBlank());
    }

    /** Sends a JSON body with the given status; admin answers are never cached. */
    static void send(ServerResponse res, Status status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // A tree of strings, numbers and booleans always serializes.
            throw new IllegalStateException("writing a JSON response failed", e);
        }
        res.status(status)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"))
                .send(bytes);
    }

    private static void requireJson(ServerRequest req, boolean curlDefaults) {
        Optional<HttpMediaType> contentType;
        try {
            contentType = req.headers().contentType();
        } catch (RuntimeException malformed) {
            // An unparseable Content-Type is as good as none.
            contentType = Optional.empty();
        }
        MediaType json = MediaTypes.APPLICATION_JSON;
        MediaType form = MediaTypes.APPLICATION_FORM_URLENCODED;
        if (curlDefaults && (contentType.isEmpty() || contentType.map(HttpMediaType::mediaType)
                .filter(t -> lower(t.type()).equals(form.type()) && lower(t.subtype()).equals(form.subtype())).isPresent())) {
            return;
        }
        boolean isJson = contentType.map(HttpMediaType::mediaType)
                .filter(t -> lower(t.type()).equals(json.type()) && lower(t.subtype()).equals(json.subtype()))
                .isPresent();
        if (!isJson) {
            throw new HttpException("unsupported Content-Type; supported: application/json"
                    + (curlDefaults ? " (or none, or application/x-www-form-urlencoded as curl -d sends, still holding JSON)" : ""),
                    Status.UNSUPPORTED_MEDIA_TYPE_415);
        }
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
