package network.sovereign.pouw.adapters.web.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The rate-limit configuration the composition root hands over (SPEC §9, §12).
 *
 * @param perIp           permits per window for one client IP ({@code POUW_RATE_LIMIT_IP}, default 100)
 * @param perDid          permits per window for one DID ({@code POUW_RATE_LIMIT_DID}, default 50)
 * @param window          the window ({@code POUW_RATE_LIMIT_WINDOW_SECS}, default 60 s)
 * @param maxKeysPerScope the most keys each scope tracks at once (default 100,000)
 */
public record RateLimitSettings(int perIp, int perDid, Duration window, int maxKeysPerScope) {

    /** Checks the invariants. */
    public RateLimitSettings {
        Objects.requireNonNull(window, "window");
        if (perIp < 1 || perDid < 1) {
            throw new IllegalArgumentException("perIp and perDid must be at least 1, were " + perIp + " and " + perDid);
        }
        new RateLimitPolicy(perIp, window); // checks the window
        if (maxKeysPerScope < 1) {
            throw new IllegalArgumentException("maxKeysPerScope must be at least 1, was " + maxKeysPerScope);
        }
    }

    /** Settings with the default capacity of {@value KeyedRateLimiter#DEFAULT_MAX_KEYS} keys per scope. */
    public RateLimitSettings(int perIp, int perDid, Duration window) {
        this(perIp, perDid, window, KeyedRateLimiter.DEFAULT_MAX_KEYS);
    }

    /** The SPEC defaults: 100 per IP, 50 per DID, per 60 s, 100,000 keys per scope. */
    public static RateLimitSettings defaults() {
        return new RateLimitSettings(100, 50, Duration.ofSeconds(60));
    }

    /** The per-IP policy. */
    public RateLimitPolicy ipPolicy() {
        return new RateLimitPolicy(perIp, window);
    }

    /** The per-DID policy. */
    public RateLimitPolicy didPolicy() {
        return new RateLimitPolicy(perDid, window);
    }
}
