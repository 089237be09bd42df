package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.SETTINGS;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.SettingChange;
import network.sovereign.pouw.application.port.out.SettingOverride;
import network.sovereign.pouw.application.port.out.SettingsStore;
import org.jooq.DSLContext;

/**
 * The runtime overrides in {@code settings} on PostgreSQL and H2: one row per overridden key; a change
 * upserts or deletes rows, purges rows whose expiry has passed and writes the audit entry in one
 * transaction.
 */
final class JooqSettingsStore implements SettingsStore {

    private static final int MAX_KEY = 64;
    private static final int MAX_VALUE = 1024;

    private final DatabaseAccess db;

    JooqSettingsStore(DatabaseAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public List<SettingOverride> activeOverrides(Instant now) {
        Objects.requireNonNull(now, "now");
        return db.call("read settings overrides", dsl -> dsl.selectFrom(SETTINGS)
                .where(SETTINGS.EXPIRES_AT.isNull().or(SETTINGS.EXPIRES_AT.gt(now)))
                .orderBy(SETTINGS.SETTING_KEY)
                .fetch(r -> new SettingOverride(r.getSettingKey(), r.getSettingValue(), Optional.ofNullable(r.getExpiresAt()),
                        r.getUpdatedBy(), r.getUpdatedAt())));
    }

    @Override
    public void apply(List<SettingChange> changes, String updatedBy, Instant at, AuditEntry audit) {
        Objects.requireNonNull(updatedBy, "updatedBy");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(audit, "audit");
        for (SettingChange change : changes) {
            if (change.key().isEmpty() || change.key().length() > MAX_KEY
                    || change.value().map(v -> v.length() > MAX_VALUE).orElse(false)) {
                throw new IllegalArgumentException("a setting key is 1.." + MAX_KEY + " characters, a value at most " + MAX_VALUE);
            }
        }
        db.transaction("change settings overrides", tx -> {
            tx.deleteFrom(SETTINGS).where(SETTINGS.EXPIRES_AT.le(at)).execute();
            for (SettingChange change : changes) {
                if (change.value().isPresent()) {
                    upsert(tx, change, updatedBy, at);
                } else {
                    tx.deleteFrom(SETTINGS).where(SETTINGS.SETTING_KEY.eq(change.key())).execute();
                }
            }
            JooqAdminAudit.insert(tx, audit);
            return null;
        });
    }

    private static void upsert(DSLContext tx, SettingChange change, String updatedBy, Instant at) {
        tx.insertInto(SETTINGS)
                .set(SETTINGS.SETTING_KEY, change.key())
                .set(SETTINGS.SETTING_VALUE, change.value().orElseThrow())
                .set(SETTINGS.EXPIRES_AT, change.expiresAt().orElse(null))
                .set(SETTINGS.UPDATED_BY, updatedBy)
                .set(SETTINGS.UPDATED_AT, at)
                .onConflict(SETTINGS.SETTING_KEY).doUpdate()
                .set(SETTINGS.SETTING_VALUE, change.value().orElseThrow())
                .set(SETTINGS.EXPIRES_AT, change.expiresAt().orElse(null))
                .set(SETTINGS.UPDATED_BY, updatedBy)
                .set(SETTINGS.UPDATED_AT, at)
                .execute();
    }
}
