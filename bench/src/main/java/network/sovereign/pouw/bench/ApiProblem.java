package network.sovereign.pouw.bench;

import java.util.Objects;
import java.util.Optional;

/**
 * An error answer of the node: the HTTP status and, when the body is RFC 9457 problem+json, its
 * {@code title}, {@code detail} and protocol {@code reason}.
 *
 * @param status     the HTTP status
 * @param reason     the protocol reason ({@code unknown_client}, {@code rate_limited}, ...), if the problem has one
 * @param title      the problem's title, or "" when the body was not a problem
 * @param detail     the problem's detail, or the raw body (clipped) when it was not a problem
 * @param retryAfter the {@code Retry-After} header in seconds, if any (429, 503)
 */
public record ApiProblem(int status, Optional<String> reason, String title, String detail, Optional<Long> retryAfter) {

    /** Checks that nothing is null. */
    public ApiProblem {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** One line for people: {@code HTTP 401 unknown_client: the DID is not enrolled}. */
    public String summary() {
        return "HTTP " + status + reason.map(r -> " " + r).orElse("") + (detail.isEmpty() ? "" : ": " + detail)
                + retryAfter.map(s -> " (Retry-After " + s + " s)").orElse("");
    }
}
