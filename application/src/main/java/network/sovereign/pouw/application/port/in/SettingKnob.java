package network.sovereign.pouw.application.port.in;

import java.util.Arrays;
import java.util.Optional;

/**
 * A setting an admin can override at runtime ({@code PATCH /api/v1/admin/settings}), with the range
 * an override must stay in.
 */
public enum SettingKnob {
    /** Seconds a new challenge can be answered ({@code POUW_CHALLENGE_TTL_SECS}). */
    CHALLENGE_TTL_SECS("challenge_ttl_secs", 1, 86_400),
    /** Permits per window for one client IP ({@code POUW_RATE_LIMIT_IP}). */
    RATE_LIMIT_IP("rate_limit_ip", 1, 1_000_000),
    /** Permits per window for one DID ({@code POUW_RATE_LIMIT_DID}). */
    RATE_LIMIT_DID("rate_limit_did", 1, 1_000_000),
    /** Receipts per batch at most ({@code POUW_BATCH_SIZE_MAX}). */
    BATCH_SIZE_MAX("batch_size_max", 1, 10_000);

    private final String wireName;
    private final long min;
    private final long max;

    SettingKnob(String wireName, long min, long max) {
        this.wireName = wireName;
        this.min = min;
        this.max = max;
    }

    /** The name used in the admin API and in the {@code settings} table. */
    public String wireName() {
        return wireName;
    }

    /** The smallest value an override may have. */
    public long min() {
        return min;
    }

    /** The largest value an override may have (the node may allow less, see the use case). */
    public long max() {
        return max;
    }

    /** Looks a knob up by its wire name. */
    public static Optional<SettingKnob> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
}
