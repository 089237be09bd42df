package network.sovereign.pouw.adapters.web.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * How many requests one key may make per window.
 *
 * @param limit  permits per window, at least 1
 * @param window the window length, at least one millisecond
 */
public record RateLimitPolicy(int limit, Duration window) {

    /** Checks the invariants. */
    public RateLimitPolicy {
        Objects.requireNonNull(window, "window");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (window.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("window must be at least 1 ms, was " + window);
        }
    }

    /** The same window with another limit. */
    public RateLimitPolicy withLimit(int newLimit) {
        return new RateLimitPolicy(newLimit, window);
    }

    /** A short human form such as {@code 100/60s}, as the health message shows it. */
    public String describe() {
        long millis = window.toMillis();
        String span = millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
        return limit + "/" + span;
    }
}
