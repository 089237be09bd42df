package network.sovereign.pouw.adapters.web.metrics;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.metrics.api.BuiltInMeterNameFormat;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MeterRegistryFormatter;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.api.MetricsFactory;
import io.helidon.metrics.api.SystemTagsManager;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.metrics.spi.MeterRegistryFormatterProvider;
import io.helidon.service.registry.Services;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import network.sovereign.pouw.application.port.out.ProtocolMetrics;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;

/**
 * The node's metrics on a Helidon meter registry, rendered as Prometheus text by Helidon's
 * Micrometer provider: the whole SPEC §10 catalogue registered at construction (every label value at
 * zero), JVM and process meters, and gauges or counters that bootstrap adds (database pool). Every
 * name is snake_case and no label ever carries a DID, an IP or a nonce.
 *
 * <p>Make one per process. Helidon 4.5 backs every registry it creates with Micrometer's global
 * composite registry, so a second instance shares the counters and histograms of the first (they keep
 * counting), while gauges follow the latest registration of their name and labels, whichever instance
 * made it (a new instance resets {@code pouw_blocked_dids} to 0 until its own source is set).
 */
public final class HelidonProtocolMetrics implements ProtocolMetrics {

    /** The content type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Bucket bounds of {@code pouw_signature_verification_seconds}: 50 µs to 2.5 s, dense where verifies land (0.1–0.4 ms)
     * and reaching well past the 50 ms of the {@code PouwSignatureVerificationSlow} alert: a p99 in {@code +Inf} reads
     * as the largest finite bound, so an alert threshold at or above it could never fire (PackagingTest checks this).
     */
    static final List<Duration> SIGNATURE_BUCKETS = micros(50, 100, 150, 200, 250, 300, 400, 500, 750, 1_000, 2_500,
            5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000);

    /** Bucket bounds of {@code pouw_receipt_processing_seconds}: 0.5 ms to 5 s. */
    static final List<Duration> PROCESSING_BUCKETS = micros(500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000,
            250_000, 500_000, 1_000_000, 2_500_000, 5_000_000);

    /** Bucket bounds of {@code pouw_http_request_duration_seconds}: 1 ms to 10 s. */
    static final List<Duration> HTTP_BUCKETS = micros(1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
            500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000);

    /** The {@code route} label of a request that matched no registered route. */
    public static final String OTHER_ROUTE = "other";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final MeterRegistry registry;
    private final MeterRegistryFormatter formatter;

    private final Counter received;
    private final Counter accepted;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
    private final Counter replayed;
    private final Map<RateLimitScope, Counter> rateLimitDenials = new EnumMap<>(RateLimitScope.class);
    private final Counter challengesIssued;
    private final Map<SigScheme, Timer> signatureVerification = new EnumMap<>(SigScheme.class);
    private final Timer receiptProcessing;
    private final Counter rewardsCredited;
    private final Counter disputesOpened;
    private final Map<DisputeResolutionType, Counter> disputesResolved = new EnumMap<>(DisputeResolutionType.class);
    /** One histogram per route template and status class: bounded by the registered routes times five. */
    private final Map<String, Timer> httpRequests = new ConcurrentHashMap<>();

    /**
     * Creates the registry and registers every meter of the catalogue.
     *
     * @param version the node version, the {@code version} label of {@code pouw_build_info}
     */
    public HelidonProtocolMetrics(String version) {
        Objects.requireNonNull(version, "version");
        MetricsConfig config = metricsConfig();
        this.registry = newRegistry(config);
        this.formatter = prometheusFormatter(config, registry);

        received = counter("pouw_receipts_received_total",
                "Receipts that reached the node (an unparseable body counts as one)", Map.of());
        accepted = counter("pouw_receipts_accepted_total", "Receipts accepted and credited", Map.of());
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.put(reason, counter("pouw_receipts_rejected_total", "Receipts rejected, by reason",
                    Map.of("reason", reason.wireName())));
        }
        replayed = counter("pouw_receipts_replayed_total",
                "Receipts identical to an accepted one, answered as replays", Map.of());
        for (RateLimitScope scope : RateLimitScope.values()) {
            rateLimitDenials.put(scope, counter("pouw_rate_limit_denials_total",
                    "Requests denied by a rate limiter, by scope", Map.of("scope", scope.label())));
        }
        challengesIssued = counter("pouw_challenges_issued_total", "Challenges issued", Map.of());
        for (SigScheme scheme : SigScheme.values()) {
            signatureVerification.put(scheme, histogram("pouw_signature_verification_seconds",
                    "Time to verify one receipt signature, by scheme", Map.of("scheme", scheme.wireName()),
                    SIGNATURE_BUCKETS));
        }
        receiptProcessing = histogram("pouw_receipt_processing_seconds",
                "Time to process one receipt, from parse to answer", Map.of(), PROCESSING_BUCKETS);
        rewardsCredited = counter("pouw_rewards_credited_atoms_total", "Reward atoms credited to client ledgers",
                Map.of());
        disputesOpened = counter("pouw_disputes_opened_total", "Disputes filed", Map.of());
        for (DisputeResolutionType resolution : DisputeResolutionType.values()) {
            disputesResolved.put(resolution, counter("pouw_disputes_resolved_total",
                    "Disputes resolved, by resolution type", Map.of("resolution_type", resolution.wireName())));
        }
        blockedDidsGauge(() -> 0L);
        gauge("pouw_build_info", "Build information; the value is always 1", Map.of("version", version), () -> 1);

        JvmMeters.register(this);
    }

    @Override
    public void receiptReceived() {
        received.increment();
    }

    @Override
    public void receiptAccepted() {
        accepted.increment();
    }

    @Override
    public void receiptRejected(RejectionReason reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void receiptReplayed() {
        replayed.increment();
    }

    @Override
    public void rateLimitDenied(RateLimitScope scope) {
        rateLimitDenials.get(scope).increment();
    }

    @Override
    public void challengeIssued() {
        challengesIssued.increment();
    }

    @Override
    public void signatureVerified(SigScheme scheme, Duration elapsed) {
        signatureVerification.get(scheme).record(elapsed);
    }

    @Override
    public void receiptProcessed(Duration elapsed) {
        receiptProcessing.record(elapsed);
    }

    @Override
    public void rewardsCredited(long atoms) {
        if (atoms > 0) {
            rewardsCredited.increment(atoms);
        }
    }

    @Override
    public void disputeOpened() {
        disputesOpened.increment();
    }

    @Override
    public void disputeResolved(DisputeResolutionType resolution) {
        disputesResolved.get(resolution).increment();
    }

    /**
     * Records one answered API request in {@code pouw_http_request_duration_seconds{route,status}}.
     *
     * @param route   the registered route template ({@code "POST /api/v1/pouw/receipts"}), never a raw
     *                path, or {@link #OTHER_ROUTE}: the label's values must stay few
     * @param status  the HTTP status code; the label is its class ({@code 2xx})
     * @param elapsed from the request reaching routing to the response being sent
     */
    public void httpRequestServed(String route, int status, Duration elapsed) {
        String statusClass = status >= 100 && status <= 599 ? (status / 100) + "xx" : "other";
        httpRequests.computeIfAbsent(route + ' ' + statusClass, key -> histogram("pouw_http_request_duration_seconds",
                "Time to answer one API request, by route template and status class",
                Map.of("route", route, "status", statusClass), HTTP_BUCKETS)).record(elapsed);
    }

    @Override
    public void blockedDidsGauge(LongSupplier currentlyBlocked) {
        Objects.requireNonNull(currentlyBlocked, "currentlyBlocked");
        gauge("pouw_blocked_dids", "DIDs currently blocked", Map.of(), currentlyBlocked::getAsLong);
    }

    /**
     * Adds a gauge (e.g. {@code pouw_db_pool_active_connections}), read at every scrape.
     *
     * @param name  snake_case, not ending in {@code _total}
     * @param help  the {@code # HELP} text
     * @param value the current value; if it throws, the scrape shows NaN
     */
    public void registerGauge(String name, String help, LongSupplier value) {
        Objects.requireNonNull(value, "value");
        registerGauge(name, help, Map.of(), () -> (double) value.getAsLong());
    }

    /**
     * Adds a labelled gauge with a fractional value (e.g. a pool usage ratio), read at every scrape.
     *
     * @param name   snake_case, not ending in {@code _total}
     * @param help   the {@code # HELP} text
     * @param labels fixed labels; every gauge of one name must use the same label names
     * @param value  the current value; if it throws, the scrape shows NaN
     */
    public void registerGauge(String name, String help, Map<String, String> labels, DoubleSupplier value) {
        checkName(name);
        if (name.endsWith("_total")) {
            throw new IllegalArgumentException("a gauge name must not end in _total: " + name);
        }
        Objects.requireNonNull(value, "value");
        gauge(name, help, labels, value::getAsDouble);
    }

    /**
     * Adds a counter whose running total another component keeps (e.g. {@code pouw_db_pool_timeouts_total}).
     *
     * @param name       snake_case, ending in {@code _total}
     * @param help       the {@code # HELP} text
     * @param cumulative the total so far; must never decrease
     */
    public void registerCounter(String name, String help, LongSupplier cumulative) {
        checkName(name);
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter name must end in _total: " + name);
        }
        Objects.requireNonNull(cumulative, "cumulative");
        functionalCounter(name, help, Map.of(), cumulative);
    }

    /** Every meter in Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        String helidon = formatter.format().map(Object::toString).orElse("");
        StringBuilder text = new StringBuilder(helidon);
        if (!helidon.isEmpty() && !helidon.endsWith("\n")) {
            text.append('\n');
        }
        FractionalCounters.render(text);
        return text.toString();
    }

    // ---- registration helpers, also used by JvmMeters ----

    Counter counter(String name, String help, Map<String, String> labels) {
        return registry.getOrCreate(Counter.builder(name).description(help).tags(tags(labels)));
    }

    Timer histogram(String name, String help, Map<String, String> labels, List<Duration> buckets) {
        return registry.getOrCreate(Timer.builder(name)
                .description(help)
                .tags(tags(labels))
                .buckets(buckets.toArray(Duration[]::new))
                // Only the fixed buckets: no client-side quantiles (Prometheus computes them from buckets).
                .percentiles(new double[0])
                .publishPercentileHistogram(false));
    }

    void gauge(String name, String help, Map<String, String> labels, Supplier<Number> value) {
        Supplier<Double> safe = () -> {
            try {
                return value.get().doubleValue();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        };
        List<Tag> tags = tags(labels);
        Source<Supplier<Double>> source = Source.of(name, labels, safe);
        Supplier<Double> reader = () -> source.current().get();
        if (source.claimRegistration(reader)) {
            try {
                registry.getOrCreate(Gauge.builder(name, reader).description(help).tags(tags));
            } catch (RuntimeException e) {
                source.releaseRegistration();
                throw e;
            }
        }
    }

    void functionalCounter(String name, String help, Map<String, String> labels, LongSupplier cumulative) {
        List<Tag> tags = tags(labels);
        Source<LongSupplier> source = Source.of(name, labels, cumulative);
        LongSupplier reader = () -> source.current().getAsLong();
        if (source.claimRegistration(reader)) {
            try {
                registry.getOrCreate(FunctionalCounter.builder(name, reader, LongSupplier::getAsLong)
                        .description(help)
                        .tags(tags));
            } catch (RuntimeException e) {
                source.releaseRegistration();
                throw e;
            }
        }
    }

    /**
     * Adds a counter whose running total is fractional (seconds of CPU or GC time): Helidon's counters
     * only hold whole numbers, so these are rendered after Helidon's text by {@link #scrape()}, as
     * {@code # TYPE name counter}. Process-wide like every other meter here; the latest source wins.
     */
    void fractionalCounter(String name, String help, Map<String, String> labels, DoubleSupplier cumulative) {
        checkName(name);
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter name must end in _total: " + name);
        }
        tags(labels);
        FractionalCounters.register(name, help, labels, cumulative);
    }

    /** The families of {@link #fractionalCounter}, by name, each series by its sorted labels. */
    private static final class FractionalCounters {

        private record Family(String help, Map<String, DoubleSupplier> series) {
        }

        private static final Map<String, Family> FAMILIES = new ConcurrentSkipListMap<>();

        static void register(String name, String help, Map<String, String> labels, DoubleSupplier cumulative) {
            Objects.requireNonNull(cumulative, "cumulative");
            FAMILIES.computeIfAbsent(name, key -> new Family(help, new ConcurrentSkipListMap<>()))
                    .series().put(labelText(labels), cumulative);
        }

        static void render(StringBuilder text) {
            FAMILIES.forEach((name, family) -> {
                text.append("# HELP ").append(name).append(' ')
                        .append(family.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
                text.append("# TYPE ").append(name).append(" counter\n");
                family.series().forEach((labels, value) -> {
                    double v;
                    try {
                        v = value.getAsDouble();
                    } catch (RuntimeException e) {
                        v = Double.NaN;
                    }
                    text.append(name).append(labels).append(' ').append(format(v)).append('\n');
                });
            });
        }

        private static String labelText(Map<String, String> labels) {
            if (labels.isEmpty()) {
                return "";
            }
            StringBuilder out = new StringBuilder("{");
            new TreeMap<>(labels).forEach((key, value) -> {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(key).append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", "\\n")).append('"');
            });
            return out.append('}').toString();
        }

        private static String format(double value) {
            if (Double.isNaN(value)) {
                return "NaN";
            }
            if (Double.isInfinite(value)) {
                return value > 0 ? "+Inf" : "-Inf";
            }
            return Double.toString(value);
        }
    }

    /**
     * Where a gauge or functional counter reads its value. Helidon's registry is process-wide and keeps
     * the first meter of a name and labels, so the meter reads through this holder and a later
     * registration only swaps the source: the latest source wins. Held statically, hence strongly
     * (Micrometer keeps gauge state only weakly); there is one per metric series, a bounded number.
     */
    private static final class Source<T> {

        private static final Map<String, Source<?>> ALL = new ConcurrentHashMap<>();

        private final AtomicReference<T> current = new AtomicReference<>();
        private final AtomicReference<Object> reader = new AtomicReference<>();

        @SuppressWarnings("unchecked")
        static <T> Source<T> of(String name, Map<String, String> labels, T value) {
            Source<T> source = (Source<T>) ALL.computeIfAbsent(name + new TreeMap<>(labels), key -> new Source<>());
            source.current.set(value);
            return source;
        }

        T current() {
            return current.get();
        }

        /** True for the first caller, who registers the meter with its reader; the reader stays referenced here. */
        boolean claimRegistration(Object firstReader) {
            return reader.compareAndSet(null, firstReader);
        }

        /** Undoes a claim whose registration failed, so that a later one may try again. */
        void releaseRegistration() {
            reader.set(null);
        }
    }

    private static List<Tag> tags(Map<String, String> labels) {
        List<Tag> tags = new ArrayList<>(labels.size());
        labels.forEach((key, value) -> {
            if (!LABEL_NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("label names are snake_case: " + key);
            }
            tags.add(Tag.create(key, value));
        });
        return tags;
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric names are snake_case ([a-z_][a-z0-9_]*): " + name);
        }
    }

    private static MetricsConfig metricsConfig() {
        return MetricsConfig.builder()
                // No scope tag: Helidon would add scope="application" to every series.
                .scoping(scoping -> scoping.clearTagName().clearDefaultValue())
                // Should Helidon's own system meters ever be on the path, they come out snake_case too.
                .builtInMeterNameFormat(BuiltInMeterNameFormat.SNAKE)
                // Tests start many nodes in one JVM; each owns a registry on purpose.
                .warnOnMultipleRegistries(false)
                .build();
    }

    private static MeterRegistry newRegistry(MetricsConfig config) {
        MetricsFactory factory = Services.get(MetricsFactory.class);
        // The scope tag name lives in a process-wide manager that the factory set from the global
        // config when it was created; reset it from ours before registering anything.
        SystemTagsManager.instance(config);
        return factory.createMeterRegistry(config);
    }

    private static MeterRegistryFormatter prometheusFormatter(MetricsConfig config, MeterRegistry registry) {
        for (MeterRegistryFormatterProvider provider : ServiceLoader.load(MeterRegistryFormatterProvider.class)) {
            Optional<MeterRegistryFormatter> formatter = provider.formatter(MediaTypes.TEXT_PLAIN, config,
                    registry, Optional.empty(), List.of(), List.of());
            if (formatter.isPresent()) {
                return formatter.get();
            }
        }
        throw new IllegalStateException("no Prometheus formatter for Helidon metrics: "
                + "helidon-metrics-providers-micrometer must be on the module path");
    }

    private static List<Duration> micros(long... values) {
        List<Duration> durations = new ArrayList<>(values.length);
        for (long value : values) {
            durations.add(Duration.ofNanos(value * 1_000));
        }
        return List.copyOf(durations);
    }
}
