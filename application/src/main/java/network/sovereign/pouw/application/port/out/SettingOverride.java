package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One runtime override as the {@code settings} table holds it (SPEC §4 {@code PATCH /settings}).
 *
 * @param key       the setting's wire name, e.g. {@code challenge_ttl_secs}
 * @param value     its value as text
 * @param expiresAt when it stops applying; empty for until removed
 * @param updatedBy the admin token's name that set it
 * @param updatedAt when it was set
 */
public record SettingOverride(String key, String value, Optional<Instant> expiresAt, String updatedBy, Instant updatedAt) {

    /** Checks that nothing is null. */
    public SettingOverride {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** True while the override applies at {@code now}. */
    public boolean appliesAt(Instant now) {
        return expiresAt.isEmpty() || expiresAt.get().isAfter(now);
    }
}
