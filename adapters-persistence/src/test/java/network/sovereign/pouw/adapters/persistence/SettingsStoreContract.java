package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase.UpdateSettingsCommand;
import network.sovereign.pouw.application.port.in.SettingKnob;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.SettingChange;
import network.sovereign.pouw.application.port.out.SettingOverride;
import network.sovereign.pouw.application.port.out.SettingsStore;
import network.sovereign.pouw.application.service.LiveSettingsService;
import network.sovereign.pouw.application.service.ProtocolSettings;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SettingsStore} on every database the node supports: overrides written on one
 * node are read by another, expired ones no longer apply and are purged by the next change, and each
 * change is stored with its audit entry in one transaction. Also: two {@link LiveSettingsService}s on
 * one database, as two nodes of a cluster.
 */
abstract class SettingsStoreContract extends ProtocolStoreContract {

    private SettingsStore store;

    @BeforeEach
    void store() {
        dsl.deleteFrom(SETTINGS).execute();
        store = node.settingsStore();
    }

    private static AuditEntry audit(Instant at) {
        return new AuditEntry("alice", "update_settings", Optional.empty(), Optional.empty(), Optional.of("{}"), at);
    }

    @Test
    void an_override_written_on_one_node_is_read_on_the_other() {
        store.apply(List.of(new SettingChange("challenge_ttl_secs", Optional.of("600"), Optional.empty()),
                new SettingChange("rate_limit_ip", Optional.of("500"), Optional.of(T0.plusSeconds(60)))), "alice", T0, audit(T0));

        assertEquals(List.of(new SettingOverride("challenge_ttl_secs", "600", Optional.empty(), "alice", T0),
                        new SettingOverride("rate_limit_ip", "500", Optional.of(T0.plusSeconds(60)), "alice", T0)),
                otherNode.settingsStore().activeOverrides(T0));
        assertEquals(1, node.adminAudit().list(10, OptionalLong.empty()).size());
    }

    @Test
    void a_change_replaces_or_removes_an_override_and_purges_expired_rows() {
        store.apply(List.of(new SettingChange("rate_limit_did", Optional.of("5"), Optional.of(T0.plusSeconds(10))),
                new SettingChange("batch_size_max", Optional.of("7"), Optional.empty())), "alice", T0, audit(T0));
        Instant later = T0.plusSeconds(10);
        assertEquals(List.of("batch_size_max"), keys(store.activeOverrides(later)), "expired at its expires_at");
        assertEquals(2, dsl.fetchCount(SETTINGS), "still stored until the next change");

        otherNode.settingsStore().apply(List.of(new SettingChange("batch_size_max", Optional.of("9"), Optional.empty()),
                new SettingChange("challenge_ttl_secs", Optional.empty(), Optional.empty())), "bob", later, audit(later));

        assertEquals(List.of(new SettingOverride("batch_size_max", "9", Optional.empty(), "bob", later)), store.activeOverrides(later));
        assertEquals(1, dsl.fetchCount(SETTINGS), "the expired row is gone");

        store.apply(List.of(new SettingChange("batch_size_max", Optional.empty(), Optional.empty())), "bob", later, audit(later));
        assertEquals(List.of(), store.activeOverrides(later));
    }

    @Test
    void two_nodes_apply_an_override_set_on_one_of_them_and_its_expiry() {
        TestClock clock = new TestClock(T0);
        ProtocolSettings config = new ProtocolSettings(Duration.ofSeconds(300), Duration.ofSeconds(30), 100, 20, 10_000, 1024,
                EnumSet.of(SigScheme.ED25519), false);
        LiveSettingsService a = new LiveSettingsService(node.settingsStore(), config, 100, 50, Duration.ofHours(23), clock, v -> { });
        LiveSettingsService b = new LiveSettingsService(otherNode.settingsStore(), config, 100, 50, Duration.ofHours(23), clock, v -> { });

        a.update(new UpdateSettingsCommand(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(900)), OptionalLong.of(30), "alice"));
        b.refresh();

        assertEquals(Duration.ofSeconds(900), a.protocol().challengeTtl());
        assertEquals(Duration.ofSeconds(900), b.protocol().challengeTtl());
        clock.now = T0.plusSeconds(30);
        b.refresh();
        assertEquals(Duration.ofSeconds(300), a.protocol().challengeTtl(), "reverted on a without a refresh");
        assertEquals(Duration.ofSeconds(300), b.protocol().challengeTtl());
        assertEquals("update_settings", node.adminAudit().list(1, OptionalLong.empty()).getFirst().entry().action());
    }

    private static List<String> keys(List<SettingOverride> overrides) {
        return overrides.stream().map(SettingOverride::key).toList();
    }

    /** A clock the test sets. */
    private static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
