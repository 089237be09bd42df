package network.sovereign.pouw.application.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase;
import network.sovereign.pouw.application.port.in.SettingKnob;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.HealthIndicator;
import network.sovereign.pouw.application.port.out.SettingChange;
import network.sovereign.pouw.application.port.out.SettingOverride;
import network.sovereign.pouw.application.port.out.SettingsStore;

/**
 * The node's live settings: the configured protocol knobs with the runtime overrides of the
 * {@code settings} table on top, as the {@code settings} health component.
 *
 * <p>The overrides are cached; {@link #refresh()} re-reads them (the composition root calls it every
 * {@link #REFRESH_INTERVAL} and this service after each local change), so an override set on one node
 * applies on every node within the interval. An override's expiry is honoured to the request, also
 * between refreshes. When the database cannot answer, the last known overrides stay in force and the
 * health component says so. The services that use the knobs read {@link #protocol()} on every request;
 * rate-limit changes are pushed to the {@code onChange} listener.
 */
public final class LiveSettingsService implements ManageSettingsUseCase, HealthIndicator {

    /** How often the composition root should call {@link #refresh()}. */
    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);
    /** The audit action of a change. */
    public static final String AUDIT_ACTION = "update_settings";
    /** The health component's name. */
    public static final String COMPONENT_NAME = "settings";

    private final SettingsStore store;
    private final ProtocolSettings config;
    private final Map<SettingKnob, Long> configValues;
    private final Map<SettingKnob, Long> maxima;
    private final Clock clock;
    private final Consumer<Map<SettingKnob, Long>> onChange;
    private final Object lock = new Object();
    private volatile Loaded loaded = new Loaded(Map.of(), Optional.empty());
    private volatile Failure failure;
    private volatile Effective effective;

    private record Loaded(Map<SettingKnob, SettingOverride> overrides, Optional<Instant> at) {
    }

    private record Failure(Instant since, String message) {
    }

    private record Effective(Map<SettingKnob, Long> values, Map<SettingKnob, SettingOverride> active, ProtocolSettings protocol,
                             Instant validUntil) {
    }

    /**
     * Creates the service; until the first {@link #refresh()} the configured values apply.
     *
     * @param store           where the overrides live
     * @param config          the configured protocol settings
     * @param rateLimitIp     the configured per-IP limit
     * @param rateLimitDid    the configured per-DID limit
     * @param maxChallengeTtl the longest TTL an override may set (used nonces must outlive every challenge)
     * @param clock           the clock expiries are checked with
     * @param onChange        told the new values whenever any value in force changes (e.g. to retune the rate limiters)
     */
    public LiveSettingsService(SettingsStore store, ProtocolSettings config, int rateLimitIp, int rateLimitDid,
                               Duration maxChallengeTtl, Clock clock, Consumer<Map<SettingKnob, Long>> onChange) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        EnumMap<SettingKnob, Long> values = new EnumMap<>(SettingKnob.class);
        values.put(SettingKnob.CHALLENGE_TTL_SECS, config.challengeTtl().toSeconds());
        values.put(SettingKnob.RATE_LIMIT_IP, (long) rateLimitIp);
        values.put(SettingKnob.RATE_LIMIT_DID, (long) rateLimitDid);
        values.put(SettingKnob.BATCH_SIZE_MAX, (long) config.batchSizeMax());
        this.configValues = java.util.Collections.unmodifiableMap(values);
        EnumMap<SettingKnob, Long> max = new EnumMap<>(SettingKnob.class);
        for (SettingKnob knob : SettingKnob.values()) {
            max.put(knob, knob.max());
        }
        long ttlCap = Math.min(SettingKnob.CHALLENGE_TTL_SECS.max(), maxChallengeTtl.toSeconds());
        max.put(SettingKnob.CHALLENGE_TTL_SECS, Math.max(ttlCap, config.challengeTtl().toSeconds()));
        this.maxima = java.util.Collections.unmodifiableMap(max);
        this.effective = compute(loaded, clock.instant());
    }

    /** The protocol settings in force now (configuration plus live overrides); cheap, call it per request. */
    public ProtocolSettings protocol() {
        return current().protocol();
    }

    /** The knob values in force now. */
    public Map<SettingKnob, Long> values() {
        return current().values();
    }

    /** The largest value an override of the knob may have on this node. */
    public long maximum(SettingKnob knob) {
        return maxima.get(knob);
    }

    /**
     * Re-reads the overrides from the store. When the store cannot answer, keeps the last known ones and
     * reports it through {@link #check()}; never throws.
     */
    public void refresh() {
        Instant now = clock.instant();
        try {
            List<SettingOverride> rows = store.activeOverrides(now);
            EnumMap<SettingKnob, SettingOverride> overrides = new EnumMap<>(SettingKnob.class);
            for (SettingOverride row : rows) {
                SettingKnob.fromWireName(row.key()).filter(knob -> parse(knob, row.value()).isPresent())
                        .ifPresent(knob -> overrides.put(knob, row));
            }
            synchronized (lock) {
                loaded = new Loaded(Map.copyOf(overrides), Optional.of(now));
                failure = null;
            }
        } catch (RuntimeException e) {
            synchronized (lock) {
                Failure previous = failure;
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                failure = new Failure(previous == null ? now : previous.since(), message);
            }
        }
        recompute(clock.instant());
    }

    @Override
    public SettingsView view() {
        Effective now = current();
        List<KnobState> knobs = new ArrayList<>();
        for (SettingKnob knob : SettingKnob.values()) {
            Optional<SettingOverride> override = Optional.ofNullable(now.active().get(knob));
            knobs.add(new KnobState(knob, now.values().get(knob), configValues.get(knob), override.isPresent(),
                    override.flatMap(SettingOverride::expiresAt), override.map(SettingOverride::updatedBy)));
        }
        return new SettingsView(knobs, Optional.ofNullable(failure).map(this::describeFailure));
    }

    @Override
    public UpdateResult update(UpdateSettingsCommand command) {
        Objects.requireNonNull(command, "command");
        if (command.changes().isEmpty()) {
            return new UpdateResult.Invalid("body", "name at least one of "
                    + java.util.Arrays.stream(SettingKnob.values()).map(SettingKnob::wireName).toList()
                    + " (a value sets an override, null removes it)");
        }
        for (SettingKnob knob : SettingKnob.values()) {
            OptionalLong value = command.changes().get(knob);
            if (value != null && value.isPresent() && (value.getAsLong() < knob.min() || value.getAsLong() > maxima.get(knob))) {
                return new UpdateResult.Invalid(knob.wireName(), knob.wireName() + " must be an integer from " + knob.min()
                        + " to " + maxima.get(knob) + (knob == SettingKnob.CHALLENGE_TTL_SECS && maxima.get(knob) < knob.max()
                        ? " (POUW_NONCE_RETENTION_HOURS minus POUW_CLOCK_SKEW_SECS: used nonces must outlive every challenge)" : ""));
            }
        }
        OptionalLong expiresIn = command.expiresInSecs();
        if (expiresIn.isPresent() && (expiresIn.getAsLong() < 1 || expiresIn.getAsLong() > MAX_EXPIRES_IN_SECS)) {
            return new UpdateResult.Invalid("expires_in_secs", "expires_in_secs must be an integer from 1 to " + MAX_EXPIRES_IN_SECS
                    + " (30 days)");
        }
        Instant at = clock.instant();
        Optional<Instant> expiresAt = expiresIn.isPresent() ? Optional.of(at.plusSeconds(expiresIn.getAsLong())) : Optional.empty();
        List<SettingChange> changes = new ArrayList<>();
        StringBuilder details = new StringBuilder("{");
        for (SettingKnob knob : SettingKnob.values()) {
            OptionalLong value = command.changes().get(knob);
            if (value == null) {
                continue;
            }
            changes.add(new SettingChange(knob.wireName(),
                    value.isPresent() ? Optional.of(Long.toString(value.getAsLong())) : Optional.empty(),
                    value.isPresent() ? expiresAt : Optional.empty()));
            details.append(details.length() > 1 ? "," : "").append('"').append(knob.wireName()).append("\":")
                    .append(value.isPresent() ? Long.toString(value.getAsLong()) : "null");
        }
        expiresIn.ifPresent(secs -> details.append(",\"expires_in_secs\":").append(secs));
        expiresAt.ifPresent(when -> details.append(",\"expires_at\":\"").append(when).append('"'));
        details.append('}');
        AuditEntry audit = new AuditEntry(command.actor(), AUDIT_ACTION, Optional.empty(), Optional.empty(),
                Optional.of(details.toString()), at);
        store.apply(changes, command.actor(), at, audit);
        refresh();
        return new UpdateResult.Updated(view());
    }

    @Override
    public String componentName() {
        return COMPONENT_NAME;
    }

    @Override
    public ComponentHealth check() {
        Failure failed = failure;
        if (failed != null) {
            return new ComponentHealth(COMPONENT_NAME, ComponentHealth.Status.DEGRADED, describeFailure(failed), 0);
        }
        Effective now = current();
        if (now.active().isEmpty()) {
            return new ComponentHealth(COMPONENT_NAME, ComponentHealth.Status.HEALTHY,
                    "no runtime overrides; re-read every " + REFRESH_INTERVAL.toSeconds() + " s", 0);
        }
        java.util.StringJoiner text = new java.util.StringJoiner(", ", "overrides in force: ",
                "; re-read every " + REFRESH_INTERVAL.toSeconds() + " s");
        now.active().forEach((knob, o) -> text.add(knob.wireName() + "=" + now.values().get(knob)
                + o.expiresAt().map(t -> " until " + t).orElse("")));
        return new ComponentHealth(COMPONENT_NAME, ComponentHealth.Status.HEALTHY, text.toString(), 0);
    }

    private String describeFailure(Failure failed) {
        return "cannot re-read the runtime overrides since " + failed.since() + " (" + failed.message() + "); applying the last known "
                + loaded.at().map(t -> "ones (read at " + t + ")").orElse("configuration values");
    }

    private Effective current() {
        Effective now = effective;
        return clock.instant().isBefore(now.validUntil()) ? now : recompute(clock.instant());
    }

    private Effective recompute(Instant now) {
        synchronized (lock) {
            Effective previous = effective;
            Effective next = compute(loaded, now);
            effective = next;
            if (!previous.values().equals(next.values())) {
                onChange.accept(next.values());
            }
            return next;
        }
    }

    private Effective compute(Loaded from, Instant now) {
        EnumMap<SettingKnob, Long> values = new EnumMap<>(configValues);
        EnumMap<SettingKnob, SettingOverride> active = new EnumMap<>(SettingKnob.class);
        Instant validUntil = Instant.MAX;
        for (Map.Entry<SettingKnob, SettingOverride> entry : from.overrides().entrySet()) {
            SettingOverride override = entry.getValue();
            if (override.appliesAt(now)) {
                values.put(entry.getKey(), parse(entry.getKey(), override.value()).orElseThrow());
                active.put(entry.getKey(), override);
                if (override.expiresAt().isPresent() && override.expiresAt().get().isBefore(validUntil)) {
                    validUntil = override.expiresAt().get();
                }
            }
        }
        ProtocolSettings protocol = new ProtocolSettings(Duration.ofSeconds(values.get(SettingKnob.CHALLENGE_TTL_SECS)),
                config.clockSkew(), Math.toIntExact(values.get(SettingKnob.BATCH_SIZE_MAX)), config.maxReceiptsPerChallenge(),
                config.maxBytesPerChallenge(), config.minBytesPerReceipt(), config.acceptedSigSchemes(), config.openEnrollment());
        return new Effective(java.util.Collections.unmodifiableMap(values), java.util.Collections.unmodifiableMap(active), protocol,
                validUntil);
    }

    /** A stored value this node can apply: an integer within the knob's range here; else empty (ignored). */
    private Optional<Long> parse(SettingKnob knob, String text) {
        try {
            long value = Long.parseLong(text.strip());
            return value >= knob.min() && value <= maxima.get(knob) ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
