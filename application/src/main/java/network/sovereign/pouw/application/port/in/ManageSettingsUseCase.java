package network.sovereign.pouw.application.port.in;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Shows and changes the runtime overrides of SPEC §4 ({@code GET}/{@code PATCH /api/v1/admin/settings}):
 * the runbook's "increase TTL / limits temporarily", applied by every node.
 */
public interface ManageSettingsUseCase {

    /** The longest an override may last: 30 days. */
    long MAX_EXPIRES_IN_SECS = 30L * 24 * 3600;

    /**
     * One knob as the node applies it now.
     *
     * @param knob        the knob
     * @param value       the value in force
     * @param configValue the value from the configuration
     * @param overridden  true when {@code value} comes from an override
     * @param expiresAt   when the override ends, if it does
     * @param updatedBy   who set the override
     */
    record KnobState(SettingKnob knob, long value, long configValue, boolean overridden, Optional<Instant> expiresAt,
                     Optional<String> updatedBy) {
        /** Checks that nothing is null. */
        public KnobState {
            Objects.requireNonNull(knob, "knob");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(updatedBy, "updatedBy");
        }
    }

    /**
     * Every knob, in declaration order, and whether the node could read the overrides lately.
     *
     * @param knobs the knobs
     * @param stale empty while the overrides are fresh; else why the node applies the last known ones
     */
    record SettingsView(List<KnobState> knobs, Optional<String> stale) {
        /** Copies the list. */
        public SettingsView {
            knobs = List.copyOf(knobs);
            Objects.requireNonNull(stale, "stale");
        }
    }

    /**
     * A change: for each named knob a new value, or empty to remove its override.
     *
     * @param changes       the knobs to change
     * @param expiresInSecs how long the new values last; empty for until removed
     * @param actor         the admin token's name
     */
    record UpdateSettingsCommand(Map<SettingKnob, OptionalLong> changes, OptionalLong expiresInSecs, String actor) {
        /** Copies the map. */
        public UpdateSettingsCommand {
            changes = changes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(changes));
            Objects.requireNonNull(expiresInSecs, "expiresInSecs");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /** The outcome of a change. */
    sealed interface UpdateResult {
        /** Stored and applied on this node; other nodes follow within the refresh interval. */
        record Updated(SettingsView view) implements UpdateResult {
        }

        /** Refused; nothing changed. {@code field} names the offending request field. */
        record Invalid(String field, String detail) implements UpdateResult {
        }
    }

    /** The knobs as this node applies them now. */
    SettingsView view();

    /** Validates, stores (with an {@code update_settings} audit entry) and applies the change. */
    UpdateResult update(UpdateSettingsCommand command);
}
