package network.sovereign.pouw.adapters.admin.http;

import io.helidon.http.BadRequestException;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.Page;

/**
 * Query parameters of the operator and admin lists (SPEC §4): {@code limit} 1..500 (50 when absent),
 * an opaque {@code cursor} (base64url of the last item's key), and integer parameters; anything else
 * is a 400.
 */
final class QueryParams {

    private static final int DEFAULT_LIMIT = 50;
    private static final java.time.Instant LAST_INSTANT = java.time.LocalDate.of(10_000, 1, 1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    private static final Base64.Encoder CURSOR_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder CURSOR_DECODER = Base64.getUrlDecoder();

    private QueryParams() {
    }

    /** The {@code limit} query parameter, 1..500, 50 when absent. */
    static int limit(ServerRequest req) {
        if (!req.query().contains("limit")) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(req.query().get("limit"));
            if (limit >= 1 && limit <= Page.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below, like an out-of-range number.
        }
        throw new BadRequestException("limit must be an integer from 1 to " + Page.MAX_LIMIT);
    }

    /** The decoded {@code cursor}, when given. */
    static Optional<String> cursor(ServerRequest req) {
        return optional(req, "cursor").map(QueryParams::decodeCursor);
    }

    /** A query parameter, when given (an empty value counts as given). */
    static Optional<String> optional(ServerRequest req, String name) {
        return req.query().contains(name) ? Optional.of(req.query().get(name)) : Optional.empty();
    }

    /** An integer query parameter, when given. */
    static OptionalLong optionalLong(ServerRequest req, String name) {
        Optional<String> text = optional(req, name);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.get()));
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be an integer");
        }
    }

    /** Cursors are opaque to clients: base64url of the last item's key. */
    static String encodeCursor(String key) {
        return CURSOR_ENCODER.encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key inside a cursor this node handed out; 400 for anything else. */
    static String decodeCursor(String cursor) {
        try {
            String key = new String(CURSOR_DECODER.decode(cursor), StandardCharsets.UTF_8);
            // Keys this node hands out never hold control characters (PostgreSQL refuses NUL in text).
            if (!key.isEmpty() && key.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // Answered below.
        }
        throw badCursor();
    }

    /** A time inside a cursor: ISO-8601 within years 1970..9999 (what the databases store); 400 otherwise. */
    static java.time.Instant cursorInstant(String text) {
        try {
            java.time.Instant at = java.time.Instant.parse(text);
            if (!at.isBefore(java.time.Instant.EPOCH) && at.isBefore(LAST_INSTANT)) {
                return at;
            }
        } catch (java.time.format.DateTimeParseException e) {
            // Answered below.
        }
        throw badCursor();
    }

    /** The 400 for a cursor this endpoint did not hand out. */
    static BadRequestException badCursor() {
        return new BadRequestException("cursor is not a next_cursor this endpoint handed out");
    }
}
