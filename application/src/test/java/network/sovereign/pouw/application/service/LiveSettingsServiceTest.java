package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase.KnobState;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase.UpdateResult;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase.UpdateSettingsCommand;
import network.sovereign.pouw.application.port.in.SettingKnob;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.SettingChange;
import network.sovereign.pouw.application.port.out.SettingOverride;
import network.sovereign.pouw.application.port.out.SettingsStore;
import network.sovereign.pouw.application.port.out.StoreUnavailableException;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;

class LiveSettingsServiceTest {

    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    /** The settings table in memory, shared by the "nodes" of a test; can be made to fail like a database that is down. */
    static final class InMemorySettings implements SettingsStore {
        final Map<String, SettingOverride> rows = new HashMap<>();
        final List<AuditEntry> audit = new ArrayList<>();
        boolean down;

        @Override
        public synchronized List<SettingOverride> activeOverrides(Instant now) {
            failIfDown();
            return rows.values().stream().filter(o -> o.appliesAt(now)).toList();
        }

        @Override
        public synchronized void apply(List<SettingChange> changes, String updatedBy, Instant at, AuditEntry entry) {
            failIfDown();
            rows.values().removeIf(o -> !o.appliesAt(at));
            for (SettingChange change : changes) {
                if (change.value().isPresent()) {
                    rows.put(change.key(), new SettingOverride(change.key(), change.value().get(), change.expiresAt(), updatedBy, at));
                } else {
                    rows.remove(change.key());
                }
            }
            audit.add(entry);
        }

        private void failIfDown() {
            if (down) {
                throw new StoreUnavailableException("connection refused", null);
            }
        }
    }

    private final Fakes.MutableClock clock = new Fakes.MutableClock(START);
    private final InMemorySettings store = new InMemorySettings();
    private final ProtocolSettings config = new ProtocolSettings(Duration.ofSeconds(300), Duration.ofSeconds(30), 100, 20, 10_000, 1024,
            EnumSet.of(SigScheme.ED25519), false);
    private final List<Map<SettingKnob, Long>> pushed = new ArrayList<>();

    private LiveSettingsService node() {
        return new LiveSettingsService(store, config, 100, 50, Duration.ofHours(24).minusSeconds(30), clock, pushed::add);
    }

    private static UpdateSettingsCommand patch(Map<SettingKnob, OptionalLong> changes, OptionalLong expiresIn) {
        return new UpdateSettingsCommand(changes, expiresIn, "alice");
    }

    private static KnobState knob(LiveSettingsService service, SettingKnob knob) {
        return service.view().knobs().stream().filter(k -> k.knob() == knob).findFirst().orElseThrow();
    }

    @Test
    void without_overrides_the_configured_values_apply() {
        LiveSettingsService service = node();
        service.refresh();
        assertEquals(config, service.protocol());
        KnobState ttl = knob(service, SettingKnob.CHALLENGE_TTL_SECS);
        assertEquals(300, ttl.value());
        assertFalse(ttl.overridden());
        assertEquals(List.of(), pushed);
        assertEquals(ComponentHealth.Status.HEALTHY, service.check().status());
    }

    @Test
    void an_override_applies_at_once_on_the_node_that_set_it_and_after_a_refresh_on_another() {
        LiveSettingsService a = node();
        LiveSettingsService b = node();

        UpdateResult result = a.update(patch(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(600),
                SettingKnob.RATE_LIMIT_IP, OptionalLong.of(500)), OptionalLong.empty()));

        assertInstanceOf(UpdateResult.Updated.class, result);
        assertEquals(Duration.ofSeconds(600), a.protocol().challengeTtl());
        assertEquals(Duration.ofSeconds(300), b.protocol().challengeTtl(), "b has not re-read the table yet");
        b.refresh();
        assertEquals(Duration.ofSeconds(600), b.protocol().challengeTtl());
        assertEquals(500L, b.values().get(SettingKnob.RATE_LIMIT_IP));
        KnobState ip = knob(b, SettingKnob.RATE_LIMIT_IP);
        assertTrue(ip.overridden());
        assertEquals(100, ip.configValue());
        assertEquals(Optional.of("alice"), ip.updatedBy());
        assertEquals(500L, pushed.getLast().get(SettingKnob.RATE_LIMIT_IP), "rate limiters are told");
    }

    @Test
    void an_override_with_an_expiry_reverts_by_itself_even_between_refreshes() {
        LiveSettingsService service = node();
        service.update(patch(Map.of(SettingKnob.BATCH_SIZE_MAX, OptionalLong.of(7)), OptionalLong.of(60)));
        assertEquals(7, service.protocol().batchSizeMax());
        assertEquals(Optional.of(START.plusSeconds(60)), knob(service, SettingKnob.BATCH_SIZE_MAX).expiresAt());

        clock.advance(Duration.ofSeconds(59));
        assertEquals(7, service.protocol().batchSizeMax());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(100, service.protocol().batchSizeMax(), "reverted at the expiry, without a refresh");
        assertFalse(knob(service, SettingKnob.BATCH_SIZE_MAX).overridden());
        assertEquals(100L, pushed.getLast().get(SettingKnob.BATCH_SIZE_MAX));
    }

    @Test
    void null_removes_an_override_and_expired_rows_are_purged_by_the_next_change() {
        LiveSettingsService service = node();
        service.update(patch(Map.of(SettingKnob.RATE_LIMIT_DID, OptionalLong.of(5)), OptionalLong.of(10)));
        service.update(patch(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(900)), OptionalLong.empty()));
        clock.advance(Duration.ofSeconds(11));
        service.update(patch(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.empty()), OptionalLong.empty()));

        assertEquals(Duration.ofSeconds(300), service.protocol().challengeTtl());
        assertEquals(Map.of(), store.rows, "removed and purged");
        assertEquals(3, store.audit.size());
        assertEquals("update_settings", store.audit.getLast().action());
        assertEquals(Optional.of("{\"challenge_ttl_secs\":null}"), store.audit.getLast().details());
        assertEquals(Optional.of("{\"rate_limit_did\":5,\"expires_in_secs\":10,\"expires_at\":\"2026-06-01T12:00:10Z\"}"),
                store.audit.getFirst().details());
    }

    @Test
    void out_of_range_values_are_refused_naming_the_field_and_change_nothing() {
        LiveSettingsService service = node();
        assertInvalid(service, "challenge_ttl_secs", patch(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(0)), OptionalLong.empty()));
        assertInvalid(service, "challenge_ttl_secs",
                patch(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(86_400)), OptionalLong.empty()));
        assertInvalid(service, "rate_limit_ip", patch(Map.of(SettingKnob.RATE_LIMIT_IP, OptionalLong.of(1_000_001)), OptionalLong.empty()));
        assertInvalid(service, "rate_limit_did", patch(Map.of(SettingKnob.RATE_LIMIT_DID, OptionalLong.of(-1)), OptionalLong.empty()));
        assertInvalid(service, "batch_size_max", patch(Map.of(SettingKnob.BATCH_SIZE_MAX, OptionalLong.of(10_001)), OptionalLong.empty()));
        assertInvalid(service, "expires_in_secs", patch(Map.of(SettingKnob.BATCH_SIZE_MAX, OptionalLong.of(5)), OptionalLong.of(0)));
        assertInvalid(service, "expires_in_secs",
                patch(Map.of(SettingKnob.BATCH_SIZE_MAX, OptionalLong.of(5)), OptionalLong.of(30L * 24 * 3600 + 1)));
        assertInvalid(service, "body", patch(Map.of(), OptionalLong.of(60)));
        assertEquals(Map.of(), store.rows);
        assertEquals(List.of(), store.audit);
    }

    @Test
    void the_ttl_cap_is_the_nonce_retention_so_replays_stay_detectable() {
        LiveSettingsService service = node();
        assertEquals(86_370, service.maximum(SettingKnob.CHALLENGE_TTL_SECS));
        UpdateResult.Invalid invalid = assertInstanceOf(UpdateResult.Invalid.class, service.update(
                patch(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(86_371)), OptionalLong.empty())));
        assertTrue(invalid.detail().contains("POUW_NONCE_RETENTION_HOURS"), invalid.detail());
        assertInstanceOf(UpdateResult.Updated.class, service.update(
                patch(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(86_370)), OptionalLong.empty())));
    }

    @Test
    void when_the_database_is_down_the_last_known_overrides_stay_and_health_says_so() {
        LiveSettingsService service = node();
        service.update(patch(Map.of(SettingKnob.CHALLENGE_TTL_SECS, OptionalLong.of(600)), OptionalLong.empty()));
        store.down = true;
        service.refresh();

        assertEquals(Duration.ofSeconds(600), service.protocol().challengeTtl());
        ComponentHealth health = service.check();
        assertEquals(ComponentHealth.Status.DEGRADED, health.status());
        assertTrue(health.message().contains("applying the last known ones"), health.message());
        assertTrue(service.view().stale().isPresent());

        store.down = false;
        service.refresh();
        assertEquals(ComponentHealth.Status.HEALTHY, service.check().status());
        assertTrue(service.check().message().contains("challenge_ttl_secs=600"), service.check().message());
    }

    @Test
    void stored_values_this_node_cannot_apply_are_ignored() {
        store.rows.put("challenge_ttl_secs", new SettingOverride("challenge_ttl_secs", "lots", Optional.empty(), "x", START));
        store.rows.put("rate_limit_ip", new SettingOverride("rate_limit_ip", "0", Optional.empty(), "x", START));
        store.rows.put("future_knob", new SettingOverride("future_knob", "1", Optional.empty(), "x", START));
        LiveSettingsService service = node();
        service.refresh();
        assertEquals(new EnumMap<>(Map.of(SettingKnob.CHALLENGE_TTL_SECS, 300L, SettingKnob.RATE_LIMIT_IP, 100L,
                SettingKnob.RATE_LIMIT_DID, 50L, SettingKnob.BATCH_SIZE_MAX, 100L)), new EnumMap<>(service.values()));
    }

    private static void assertInvalid(LiveSettingsService service, String field, UpdateSettingsCommand command) {
        UpdateResult.Invalid invalid = assertInstanceOf(UpdateResult.Invalid.class, service.update(command));
        assertEquals(field, invalid.field());
    }
}
