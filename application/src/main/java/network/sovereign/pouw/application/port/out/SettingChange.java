package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change to the runtime overrides: set {@code key} to {@code value} (until {@code expiresAt}), or
 * remove its override when {@code value} is empty.
 *
 * @param key       the setting's wire name
 * @param value     the new value as text; empty removes the override
 * @param expiresAt when a set value stops applying; empty for until removed
 */
public record SettingChange(String key, Optional<String> value, Optional<Instant> expiresAt) {

    /** Checks that nothing is null. */
    public SettingChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
