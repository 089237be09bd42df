package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} scraped over a real socket: the SPEC §10 catalogue, exact labels, snake_case, promtool. */
class MetricsEndpointTest {

    private static final String TOKEN = "s3cret-metrics-token";
    private static final String VERSION = "1.2.3-test";
    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z_][a-z0-9_]*");

    private static HttpAdapter adapter;
    private static HelidonProtocolMetrics metrics;

    @BeforeAll
    static void start() {
        metrics = new HelidonProtocolMetrics(VERSION);
        metrics.registerGauge("pouw_db_pool_active_connections", "Connections in use", () -> 3);
        metrics.registerGauge("pouw_db_pool_idle_connections", "Idle connections", () -> 7);
        metrics.registerCounter("pouw_db_pool_timeouts_total", "Connection requests that timed out", () -> 2);
        metrics.blockedDidsGauge(() -> 4);
        WebSettings settings = new WebSettings("127.0.0.1", 0, 0, Optional.of(TOKEN), 4096, Duration.ofSeconds(2));
        adapter = HttpAdapter.builder(settings, new FakeHealth(), metrics, VERSION).start();
    }

    @AfterAll
    static void stop() {
        adapter.stop();
    }

    @Test
    void every_family_of_the_catalogue_is_present_from_start_with_its_exact_labels() {
        // Gauges follow the latest registration in the JVM (other tests make instances too).
        metrics.blockedDidsGauge(() -> 4);
        metrics.registerGauge("pouw_db_pool_active_connections", "Connections in use", () -> 3);
        PrometheusText text = PrometheusText.parse(scrape());

        for (String name : List.of("pouw_receipts_received_total", "pouw_receipts_accepted_total",
                "pouw_receipts_replayed_total", "pouw_challenges_issued_total", "pouw_rewards_credited_atoms_total",
                "pouw_disputes_opened_total")) {
            assertEquals(List.of(Map.of()), text.labelSets(name), name);
            assertEquals("counter", text.types().get(name), name);
        }
        assertEquals(labelSet("reason", Arrays.stream(RejectionReason.values()).map(RejectionReason::wireName).toList()),
                Set.copyOf(text.labelSets("pouw_receipts_rejected_total")));
        assertEquals(8, text.labelSets("pouw_receipts_rejected_total").size());
        assertEquals(labelSet("scope", List.of("ip", "did")), Set.copyOf(text.labelSets("pouw_rate_limit_denials_total")));
        assertEquals(labelSet("resolution_type",
                        List.of("ClaimantCorrect", "PartialResolution", "NodeCorrect", "Inconclusive")),
                Set.copyOf(text.labelSets("pouw_disputes_resolved_total")));
        for (String name : List.of("pouw_receipts_rejected_total", "pouw_rate_limit_denials_total",
                "pouw_disputes_resolved_total")) {
            assertEquals("counter", text.types().get(name), name);
        }
        // Nothing in this JVM ever counts these: present at zero means registered up front.
        assertEquals(0.0, text.value("pouw_receipts_rejected_total", Map.of("reason", "blocked_did")));
        assertEquals(0.0, text.value("pouw_rate_limit_denials_total", Map.of("scope", "ip")));
        assertEquals(0.0, text.value("pouw_disputes_resolved_total", Map.of("resolution_type", "Inconclusive")));

        List<String> schemes = Arrays.stream(SigScheme.values()).map(SigScheme::wireName).toList();
        assertEquals(List.of("ml-dsa-44", "ml-dsa-65", "ml-dsa-87", "dilithium5", "ed25519"), schemes);
        assertHistogram(text, "pouw_signature_verification_seconds", "scheme", schemes,
                List.of(0.00005, 0.0001, 0.00015, 0.0002, 0.00025, 0.0003, 0.0004, 0.0005, 0.00075, 0.001, 0.0025,
                        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5));
        assertHistogram(text, "pouw_receipt_processing_seconds", null, List.of(),
                List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0));

        assertEquals("gauge", text.types().get("pouw_blocked_dids"));
        assertEquals(4.0, text.value("pouw_blocked_dids", Map.of()));
        assertEquals("gauge", text.types().get("pouw_build_info"));
        assertEquals(List.of(Map.of("version", VERSION)), text.labelSets("pouw_build_info"));
        assertEquals(1.0, text.value("pouw_build_info", Map.of("version", VERSION)));

        assertEquals(3.0, text.value("pouw_db_pool_active_connections", Map.of()));
        assertEquals(7.0, text.value("pouw_db_pool_idle_connections", Map.of()));
        assertEquals("counter", text.types().get("pouw_db_pool_timeouts_total"));
        assertEquals(2.0, text.value("pouw_db_pool_timeouts_total", Map.of()));
    }

    @Test
    void jvm_and_process_meters_are_present() {
        PrometheusText text = PrometheusText.parse(scrape());
        for (String area : List.of("heap", "nonheap")) {
            assertTrue(text.value("jvm_memory_used_bytes", Map.of("area", area)) > 0, area);
            text.value("jvm_memory_committed_bytes", Map.of("area", area));
            text.value("jvm_memory_max_bytes", Map.of("area", area));
        }
        assertTrue(text.value("jvm_threads_live", Map.of()) > 0);
        text.value("jvm_threads_daemon", Map.of());
        text.value("jvm_threads_peak", Map.of());
        assertTrue(text.value("jvm_classes_loaded", Map.of()) > 0);
        assertFalse(text.named("jvm_gc_collections_total").isEmpty(), "GC counters");
        assertEquals(Set.copyOf(text.labelSets("jvm_gc_collections_total")),
                Set.copyOf(text.labelSets("jvm_gc_collection_seconds_total")));
        assertEquals("counter", text.types().get("jvm_gc_collections_total"));
        assertEquals("counter", text.types().get("jvm_gc_collection_seconds_total"));
        assertTrue(text.value("process_uptime_seconds", Map.of()) > 0);
        assertTrue(text.value("process_start_time_seconds", Map.of()) > 1.6e9);
        assertEquals("counter", text.types().get("process_cpu_seconds_total"));
        assertTrue(text.value("process_cpu_seconds_total", Map.of()) > 0);
        for (String old : List.of("process_cpu_time_seconds", "jvm_gc_collection_time_seconds")) {
            assertFalse(text.types().containsKey(old), "renamed: " + old);
            assertTrue(text.named(old).isEmpty(), "renamed: " + old);
        }
        assertTrue(text.value("jvm_available_processors", Map.of()) >= 1);
        text.value("system_load_average_1m", Map.of());
        assertEquals(1, text.named("jvm_info").size());
    }

    @Test
    void api_requests_are_timed_by_route_template_and_status_class_never_by_raw_path() {
        WebSettings open = new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 4096, Duration.ofSeconds(1));
        HelidonProtocolMetrics own = new HelidonProtocolMetrics(VERSION);
        String get = "GET /api/v1/metrics-test/things/{id}";
        String post = "POST /api/v1/metrics-test/things";
        try (HttpAdapter other = HttpAdapter.builder(open, new FakeHealth(), own, VERSION)
                .register("/api/v1/metrics-test", rules -> rules
                        .get("/things/{id}", (req, res) -> res.send("thing"))
                        .post("/things", (req, res) -> {
                            throw new network.sovereign.pouw.adapters.web.problem.ProblemException(
                                    network.sovereign.pouw.adapters.web.problem.Problem.badRequest("no"));
                        }))
                .start()) {
            PrometheusText before = PrometheusText.parse(own.scrape());
            int port = other.port();
            assertEquals(200, Http.get(port, "/api/v1/metrics-test/things/abc").statusCode());
            assertEquals(200, Http.get(port, "/api/v1/metrics-test/things/def").statusCode());
            assertEquals(400, Http.post(port, "/api/v1/metrics-test/things", new byte[0]).statusCode());
            assertEquals(404, Http.get(port, "/api/v1/metrics-test/nowhere/12345").statusCode());
            assertEquals(405, Http.method(port, "DELETE", "/api/v1/metrics-test/things").statusCode());
            assertEquals(200, Http.get(port, "/health/live").statusCode());
            PrometheusText after = awaitCount(own, Map.of("route", "GET /health/live", "status", "2xx"),
                    before.valueOrZero("pouw_http_request_duration_seconds_count",
                            Map.of("route", "GET /health/live", "status", "2xx")) + 1);

            assertEquals("histogram", after.types().get("pouw_http_request_duration_seconds"), own.scrape());
            Delta delta = (name, labels) -> after.valueOrZero(name, labels) - before.valueOrZero(name, labels);
            String count = "pouw_http_request_duration_seconds_count";
            assertEquals(2.0, delta.of(count, Map.of("route", get, "status", "2xx")));
            assertEquals(1.0, delta.of(count, Map.of("route", post, "status", "4xx")));
            assertTrue(delta.of(count, Map.of("route", "other", "status", "4xx")) >= 2.0, "404 and 405 are route=other");
            assertEquals(1.0, delta.of(count, Map.of("route", "GET /health/live", "status", "2xx")));
            assertTrue(delta.of("pouw_http_request_duration_seconds_sum", Map.of("route", get, "status", "2xx")) > 0);
            assertEquals(2.0, delta.of("pouw_http_request_duration_seconds_bucket",
                    Map.of("route", get, "status", "2xx", "le", "+Inf")));
            for (Map<String, String> labels : after.labelSets(count)) {
                assertEquals(Set.of("route", "status"), labels.keySet(), labels.toString());
                assertTrue(labels.get("status").matches("[1-5]xx|other"), labels.toString());
                assertFalse(labels.get("route").contains("abc") || labels.get("route").contains("12345"),
                        "raw path in a label: " + labels);
            }
        }
    }

    /** Waits for the response-sent callback of the last request (it may run just after the client has the answer). */
    private static PrometheusText awaitCount(HelidonProtocolMetrics own, Map<String, String> labels, double expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            PrometheusText text = PrometheusText.parse(own.scrape());
            if (text.valueOrZero("pouw_http_request_duration_seconds_count", labels) >= expected
                    || System.nanoTime() > deadline) {
                return text;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return text;
            }
        }
    }

    @Test
    void process_cpu_and_gc_time_are_counters_that_never_go_down() {
        PrometheusText first = PrometheusText.parse(scrape());
        long sink = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sink += Integer.toString(i).hashCode();
        }
        System.gc();
        PrometheusText second = PrometheusText.parse(scrape());
        assertTrue(sink != 1);
        assertTrue(second.value("process_cpu_seconds_total", Map.of()) >= first.value("process_cpu_seconds_total", Map.of()));
        for (Map<String, String> gc : first.labelSets("jvm_gc_collection_seconds_total")) {
            assertTrue(second.value("jvm_gc_collection_seconds_total", gc) >= first.value("jvm_gc_collection_seconds_total", gc), gc.toString());
        }
        // A fraction survives: the total is in seconds, not whole milliseconds or seconds.
        double cpu = second.value("process_cpu_seconds_total", Map.of());
        assertTrue(cpu > 0 && cpu < 1e6, "cpu seconds: " + cpu);
    }

    @Test
    void resident_memory_and_file_descriptors_are_gauges_on_linux() {
        Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/fd")), "no /proc (not Linux)");
        PrometheusText text = PrometheusText.parse(scrape());
        // (process_max_fds is registered by the composition root from OpenFileLimit: NodeJarIT checks it on the jar.)
        for (String name : List.of("process_resident_memory_bytes", "process_open_fds")) {
            assertEquals("gauge", text.types().get(name), name);
            assertEquals(List.of(Map.of()), text.labelSets(name), name);
        }
        double rss = text.value("process_resident_memory_bytes", Map.of());
        assertTrue(rss > 16 * 1024 * 1024 && rss < 64L * 1024 * 1024 * 1024, "rss: " + rss);
        double open = text.value("process_open_fds", Map.of());
        assertTrue(open >= 3, "open fds: " + open);
    }

    @Test
    void no_name_or_label_is_camel_case_and_no_suffix_is_doubled() {
        String body = scrape();
        PrometheusText text = PrometheusText.parse(body);
        Set<String> names = new TreeSet<>(text.metaNames());
        text.samples().forEach(sample -> names.add(sample.name()));
        for (String name : names) {
            assertTrue(SNAKE_CASE.matcher(name).matches(), "not snake_case: " + name);
            assertFalse(name.contains("_total_total"), name);
            assertFalse(name.contains("_seconds_seconds"), name);
        }
        for (PrometheusText.Sample sample : text.samples()) {
            for (String label : sample.labels().keySet()) {
                assertTrue(SNAKE_CASE.matcher(label).matches(), "label not snake_case: " + label + " in " + sample);
            }
            // Helidon's scope tag (application/vendor/base) must not appear; our own scope label is ip|did.
            assertFalse(sample.labels().containsKey("scope") && !sample.name().equals("pouw_rate_limit_denials_total"),
                    "Helidon's scope label leaked: " + sample);
        }
        for (String line : body.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String name = line.split("[{ ]", 2)[0];
                assertFalse(name.chars().anyMatch(Character::isUpperCase), "camelCase metric: " + line);
            }
        }
    }

    @Test
    void recorded_events_show_in_the_scrape() {
        // Helidon's registries share one process-wide Micrometer registry: compare before and after.
        HelidonProtocolMetrics own = new HelidonProtocolMetrics(VERSION);
        PrometheusText before = PrometheusText.parse(own.scrape());
        own.receiptReceived();
        own.receiptReceived();
        own.receiptAccepted();
        own.receiptRejected(RejectionReason.INVALID_SIGNATURE);
        own.receiptRejected(RejectionReason.INVALID_SIGNATURE);
        own.receiptRejected(RejectionReason.DUPLICATE_NONCE);
        own.receiptReplayed();
        own.rateLimitDenied(RateLimitScope.DID);
        own.challengeIssued();
        own.signatureVerified(SigScheme.DILITHIUM5, Duration.ofNanos(120_000));
        own.signatureVerified(SigScheme.DILITHIUM5, Duration.ofMillis(3));
        own.receiptProcessed(Duration.ofMillis(7));
        own.rewardsCredited(3_000_000_000_000L);
        own.rewardsCredited(0);
        own.rewardsCredited(-5);
        own.disputeOpened();
        own.disputeResolved(DisputeResolutionType.NODE_CORRECT);
        PrometheusText after = PrometheusText.parse(own.scrape());

        Delta delta = (name, labels) -> after.value(name, labels) - before.value(name, labels);
        assertEquals(2.0, delta.of("pouw_receipts_received_total", Map.of()));
        assertEquals(1.0, delta.of("pouw_receipts_accepted_total", Map.of()));
        assertEquals(2.0, delta.of("pouw_receipts_rejected_total", Map.of("reason", "invalid_signature")));
        assertEquals(1.0, delta.of("pouw_receipts_rejected_total", Map.of("reason", "duplicate_nonce")));
        assertEquals(0.0, delta.of("pouw_receipts_rejected_total", Map.of("reason", "blocked_did")));
        assertEquals(1.0, delta.of("pouw_receipts_replayed_total", Map.of()));
        assertEquals(1.0, delta.of("pouw_rate_limit_denials_total", Map.of("scope", "did")));
        assertEquals(0.0, delta.of("pouw_rate_limit_denials_total", Map.of("scope", "ip")));
        assertEquals(1.0, delta.of("pouw_challenges_issued_total", Map.of()));
        assertEquals(2.0, delta.of("pouw_signature_verification_seconds_count", Map.of("scheme", "dilithium5")));
        assertEquals(0.00312, delta.of("pouw_signature_verification_seconds_sum", Map.of("scheme", "dilithium5")), 1e-9);
        assertEquals(0.0, delta.of("pouw_signature_verification_seconds_bucket", Map.of("scheme", "dilithium5", "le", "1.0E-4")));
        assertEquals(1.0, delta.of("pouw_signature_verification_seconds_bucket", Map.of("scheme", "dilithium5", "le", "1.5E-4")));
        assertEquals(2.0, delta.of("pouw_signature_verification_seconds_bucket", Map.of("scheme", "dilithium5", "le", "0.005")));
        assertEquals(0.0, delta.of("pouw_signature_verification_seconds_count", Map.of("scheme", "ml-dsa-87")));
        assertEquals(1.0, delta.of("pouw_receipt_processing_seconds_count", Map.of()));
        assertEquals(3e12, delta.of("pouw_rewards_credited_atoms_total", Map.of()));
        assertEquals(1.0, delta.of("pouw_disputes_opened_total", Map.of()));
        assertEquals(1.0, delta.of("pouw_disputes_resolved_total", Map.of("resolution_type", "NodeCorrect")));
        assertEquals(0.0, delta.of("pouw_disputes_resolved_total", Map.of("resolution_type", "ClaimantCorrect")));
    }

    /** The change of one series between two scrapes. */
    private interface Delta {
        double of(String name, Map<String, String> labels);
    }

    @Test
    void the_latest_source_of_a_gauge_wins() {
        HelidonProtocolMetrics first = new HelidonProtocolMetrics(VERSION);
        first.registerGauge("pouw_test_latest", "A gauge registered twice", () -> 1);
        HelidonProtocolMetrics second = new HelidonProtocolMetrics(VERSION);
        second.registerGauge("pouw_test_latest", "A gauge registered twice", () -> 2);
        second.blockedDidsGauge(() -> 9);
        PrometheusText text = PrometheusText.parse(first.scrape());
        assertEquals(2.0, text.value("pouw_test_latest", Map.of()));
        assertEquals(9.0, text.value("pouw_blocked_dids", Map.of()));
        assertEquals(1, text.named("pouw_build_info").size());
        first.blockedDidsGauge(() -> 5);
        assertEquals(5.0, PrometheusText.parse(second.scrape()).value("pouw_blocked_dids", Map.of()));
    }

    @Test
    void names_are_checked_when_bootstrap_registers_meters() {
        HelidonProtocolMetrics own = new HelidonProtocolMetrics(VERSION);
        for (String bad : List.of("poolActive", "pouw-db-pool", "9lives", "pouw_db_pool_checkouts_total", "")) {
            assertThrows(IllegalArgumentException.class, () -> own.registerGauge(bad, "bad", () -> 1), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> own.registerCounter("pouw_db_pool_checkouts", "bad", () -> 1));
        assertThrows(IllegalArgumentException.class,
                () -> own.registerGauge("pouw_db_pool_usage", "bad", Map.of("poolName", "main"), () -> 0.5));
    }

    @Test
    void the_scrape_passes_promtool_check_metrics() throws Exception {
        // Kept for humans and CI artifacts: what a scraper sees.
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-scrape.prom"), scrape());
        Optional<File> promtool = onPath("promtool");
        if (promtool.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("promtool is not on PATH but CI=true: install it (apt-get install -y prometheus)");
            }
            Assumptions.abort("promtool is not on PATH; install prometheus to run this check");
        }
        HelidonProtocolMetrics own = new HelidonProtocolMetrics(VERSION);
        own.signatureVerified(SigScheme.ML_DSA_65, Duration.ofNanos(232_000));
        own.receiptProcessed(Duration.ofMillis(2));
        own.receiptRejected(RejectionReason.POLICY_VIOLATION);
        for (String body : List.of(scrape(), own.scrape())) {
            Process process = new ProcessBuilder(promtool.get().getPath(), "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(body.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
            assertEquals(0, process.exitValue(), "promtool check metrics:\n" + output + "\n--- input ---\n" + body);
            assertEquals("", output.trim(), "promtool had remarks:\n" + output);
        }
    }

    @Test
    void the_scrape_has_the_prometheus_content_type_and_is_not_cached() {
        HttpResponse<String> response = Http.get(adapter.metricsPort(), "/metrics", "Bearer " + TOKEN);
        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("text/plain; version=0.0.4; charset=utf-8"), response.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("no-store"), response.headers().firstValue("Cache-Control"));
    }

    @Test
    void the_token_is_required_when_set() {
        int port = adapter.metricsPort();
        for (HttpResponse<String> response : List.of(Http.get(port, "/metrics"),
                Http.get(port, "/metrics", "Bearer wrong-token"),
                Http.get(port, "/metrics", "Bearer " + TOKEN + "x"),
                Http.get(port, "/metrics", "Basic " + TOKEN),
                Http.get(port, "/metrics", TOKEN))) {
            HttpAdapterTest.assertProblem(response, 401, "Unauthorized");
            assertEquals(Optional.of("Bearer"), response.headers().firstValue("WWW-Authenticate"));
            assertFalse(response.body().contains(TOKEN), response.body());
        }
        assertEquals(200, Http.get(port, "/metrics", "bearer " + TOKEN).statusCode());
    }

    @Test
    void without_a_token_metrics_are_open() {
        WebSettings open = new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 4096, Duration.ofSeconds(1));
        try (HttpAdapter other = HttpAdapter.builder(open, new FakeHealth(), new HelidonProtocolMetrics(VERSION), VERSION)
                .start()) {
            HttpResponse<String> response = Http.get(other.metricsPort(), "/metrics");
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("pouw_build_info{version=\"" + VERSION + "\""), response.body());
        }
    }

    @Test
    void gauges_survive_garbage_collection() {
        HelidonProtocolMetrics own = new HelidonProtocolMetrics(VERSION);
        own.registerGauge("pouw_test_gauge", "A gauge whose supplier only the registry holds", () -> 42);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        assertEquals(42.0, PrometheusText.parse(own.scrape()).value("pouw_test_gauge", Map.of()));
    }

    private static String scrape() {
        HttpResponse<String> response = Http.get(adapter.metricsPort(), "/metrics", "Bearer " + TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static void assertHistogram(PrometheusText text, String name, String label, List<String> labelValues,
                                        List<Double> bounds) {
        assertEquals("histogram", text.types().get(name), name);
        List<Map<String, String>> series = new ArrayList<>();
        if (label == null) {
            series.add(Map.of());
        } else {
            labelValues.forEach(value -> series.add(Map.of(label, value)));
        }
        assertEquals(Set.copyOf(series), Set.copyOf(text.labelSets(name + "_count")), name + "_count");
        assertEquals(Set.copyOf(series), Set.copyOf(text.labelSets(name + "_sum")), name + "_sum");
        assertEquals(series.size(), text.named(name + "_count").size());
        for (Map<String, String> labels : series) {
            Set<Double> les = text.named(name + "_bucket").stream()
                    .filter(s -> withoutLe(s.labels()).equals(labels))
                    .map(s -> Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity")))
                    .collect(Collectors.toCollection(HashSet::new));
            Set<Double> expected = new HashSet<>(bounds);
            expected.add(Double.POSITIVE_INFINITY);
            assertEquals(new TreeSet<>(expected), new TreeSet<>(les), name + labels);
        }
        assertTrue(text.named(name).isEmpty(), "no bare samples (quantiles) in a histogram: " + name);
    }

    private static Map<String, String> withoutLe(Map<String, String> labels) {
        return labels.entrySet().stream().filter(e -> !e.getKey().equals("le"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Set<Map<String, String>> labelSet(String label, List<String> values) {
        return values.stream().map(value -> Map.of(label, value)).collect(Collectors.toSet());
    }

    private static Optional<File> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> new File(dir, command))
                .filter(file -> file.isFile() && file.canExecute())
                .findFirst();
    }
}
