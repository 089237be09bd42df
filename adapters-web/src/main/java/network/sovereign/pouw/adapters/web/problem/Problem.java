package network.sovereign.pouw.adapters.web.problem;

import io.helidon.http.Status;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One RFC 9457 problem: {@code type}, {@code title}, {@code status}, {@code detail} and, where a
 * protocol reason applies, {@code reason}; plus the response headers that belong to it
 * ({@code Retry-After}, {@code Allow}, {@code WWW-Authenticate}).
 *
 * @param type    the problem type; {@code about:blank} for plain HTTP errors, {@code urn:pouw:problem:<reason>} with a reason
 * @param title   a short summary of the type (the HTTP reason phrase for {@code about:blank})
 * @param status  the HTTP status code
 * @param detail  what went wrong for this request, safe to show to the client
 * @param reason  the protocol reason (SPEC §3.1, or e.g. {@code rate_limited}), if any
 * @param headers extra response headers, by name
 */
public record Problem(URI type, String title, int status, String detail, Optional<String> reason,
                      Map<String, String> headers) {

    /** The type of problems that mean nothing beyond their HTTP status (RFC 9457 §4.2.1). */
    public static final URI ABOUT_BLANK = URI.create("about:blank");

    private static final String REASON_TYPE_PREFIX = "urn:pouw:problem:";

    /** Checks the invariants and copies the headers. */
    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(reason, "reason");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, not " + status);
        }
        headers = Map.copyOf(headers);
    }

    /** A plain HTTP problem: type {@code about:blank}, the status's reason phrase as title. */
    public static Problem of(int status, String detail) {
        return new Problem(ABOUT_BLANK, Status.create(status).reasonPhrase(), status, detail, Optional.empty(), Map.of());
    }

    /** A problem with a protocol reason, typed {@code urn:pouw:problem:<reason>}. */
    public static Problem withReason(int status, String reason, String detail) {
        return new Problem(URI.create(REASON_TYPE_PREFIX + reason), Status.create(status).reasonPhrase(), status, detail,
                Optional.of(reason), Map.of());
    }

    /**
     * A problem with a protocol reason and its own title, typed {@code urn:pouw:problem:<reason>}: for
     * answers a client must tell apart by type (e.g. a refused key takeover, a replayed dispute).
     */
    public static Problem typed(int status, String reason, String title, String detail) {
        return new Problem(URI.create(REASON_TYPE_PREFIX + reason), title, status, detail, Optional.of(reason), Map.of());
    }

    /** This problem with one more response header. */
    public Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(type, title, status, detail, reason, more);
    }

    /** 400: the request cannot be understood. */
    public static Problem badRequest(String detail) {
        return of(400, detail);
    }

    /** 401 with a Bearer challenge. */
    public static Problem unauthorized(String detail) {
        return of(401, detail).withHeader("WWW-Authenticate", "Bearer");
    }

    /** 404: nothing at this path. */
    public static Problem notFound() {
        return of(404, "no resource at this path");
    }

    /** 405 with the methods the path does accept. */
    public static Problem methodNotAllowed(String allowedMethods) {
        return of(405, "method not allowed here; allowed: " + allowedMethods).withHeader("Allow", allowedMethods);
    }

    /** 413: the body is over the configured cap. */
    public static Problem payloadTooLarge(long maxBodyBytes) {
        return of(413, "request body exceeds the limit of " + maxBodyBytes + " bytes");
    }

    /** 415 naming the media types the endpoint reads. */
    public static Problem unsupportedMediaType(String supportedMediaTypes) {
        return of(415, "unsupported Content-Type; supported: " + supportedMediaTypes);
    }

    /** 429 with {@code Retry-After}. */
    public static Problem tooManyRequests(Duration retryAfter, String detail) {
        return withReason(429, "rate_limited", detail).withHeader("Retry-After", retryAfterSeconds(retryAfter));
    }

    /** 503 with {@code Retry-After}: a store the request needs does not answer. */
    public static Problem serviceUnavailable(Duration retryAfter) {
        return of(503, "a store the node needs is unavailable; try again later")
                .withHeader("Retry-After", retryAfterSeconds(retryAfter));
    }

    /** 500 that names only an incident id, which the log line carries too. */
    public static Problem internalError(String incidentId) {
        return of(500, "unexpected error; incident " + incidentId + " has been logged");
    }

    private static String retryAfterSeconds(Duration retryAfter) {
        // Whole seconds, rounded up: Retry-After has no fractions and 0 would invite a hot loop.
        long millis = Math.max(1, retryAfter.toMillis());
        return Long.toString((millis + 999) / 1000);
    }
}
