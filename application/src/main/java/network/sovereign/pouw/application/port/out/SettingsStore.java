package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.List;

/**
 * The runtime overrides shared by every node through the database ({@code settings} table).
 * Implementations throw {@link StoreUnavailableException} when they cannot answer.
 */
public interface SettingsStore {

    /** The overrides that still apply at {@code now} (an override whose expiry has passed is left out). */
    List<SettingOverride> activeOverrides(Instant now);

    /**
     * Applies the changes, deletes overrides that expired before {@code at} (lazy purge) and appends the
     * audit entry, all in one transaction.
     *
     * @param changes   what to set or remove
     * @param updatedBy the admin token's name
     * @param at        when
     * @param audit     the {@code update_settings} audit entry
     */
    void apply(List<SettingChange> changes, String updatedBy, Instant at, AuditEntry audit);
}
