package network.sovereign.pouw.adapters.web.ratelimit;

/**
 * The outcome of asking a rate limiter for one permit: allowed, or denied with the whole number of
 * seconds the HTTP layer puts in {@code Retry-After}.
 */
public sealed interface RateLimitDecision permits RateLimitDecision.Allowed, RateLimitDecision.Denied {

    /** The one allowed decision (it carries no data). */
    Allowed ALLOWED = new Allowed();

    /** True when the request may go on. */
    default boolean allowed() {
        return this instanceof Allowed;
    }

    /** The request may go on. */
    record Allowed() implements RateLimitDecision {
    }

    /**
     * The request is over the limit and must be answered 429 at once.
     *
     * @param retryAfterSeconds when the key has a permit again, in whole seconds rounded up, at least 1
     */
    record Denied(long retryAfterSeconds) implements RateLimitDecision {

        /** Checks the invariants. */
        public Denied {
            if (retryAfterSeconds < 1) {
                throw new IllegalArgumentException("retryAfterSeconds must be at least 1, was " + retryAfterSeconds);
            }
        }
    }
}
