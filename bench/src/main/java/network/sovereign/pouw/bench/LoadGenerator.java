package network.sovereign.pouw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import network.sovereign.pouw.adapters.crypto.BouncyCastleSignatureVerifier;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * The load generator ({@code bench/run}): against one running node, measures the verification ceiling
 * (pure signature verification of the chosen scheme on every core of this machine, in this JVM), the
 * storage ceiling ({@link StorageCeiling}: plain JDBC multi-row inserts of accepted receipts into a
 * database of its own with the node's schema) and their combined limit {@code 1/(1/verify + 1/store)},
 * and then virtual-thread clients that enrol, take challenges and submit signed receipts, batched
 * (1..100 per batch) or one by one, closed-loop or paced; prints a progress line every two seconds and
 * at the end throughput, p50/p95/p99 per endpoint, errors by status and every headline figure as a
 * ratio to the limit (or to the batched figure of the same run); writes it all as JSON.
 *
 * <p>Receipts are signed and their request bodies encoded before a scenario's clock starts, so the
 * clients' own CPU during the timed phase is HTTP only; the node and the clients still share the
 * machine's cores, which the ratios account for only in that the ceiling runs on the same cores.
 *
 * <p>Nothing is measured before a 60 s warm-up (the node's JIT compiler is busy for the first minute of
 * load), and JFR runs only in short repeats after the measured scenarios, never in one of them.
 */
public final class LoadGenerator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RECEIPTS = "/api/v1/pouw/receipts";
    private static final String CHALLENGES = "/api/v1/pouw/challenges";
    private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([a-z_]+)\"");
    private static final int RECEIPTS_PER_CHALLENGE = 100;
    /** Concurrent clients of the batched scenarios: enough to keep two cores busy, few enough that a round ends soon. */
    private static final int BATCH_CLIENTS = 4;

    static final String USAGE = """
            usage: java -cp pouw-bench.jar network.sovereign.pouw.bench.LoadGenerator --url URL --token-file FILE
                       [--scheme ed25519|ml-dsa-44|ml-dsa-65|ml-dsa-87|dilithium5] [--node-pid PID] [--out DIR]
                       [--scale X] [--max-clients N] [--jfr-dir DIR] [--label TEXT]
                       [--store-url JDBC_URL [--store-user USER]] [--only NAME,...]

              --url URL          the running node's API (http://127.0.0.1:8080)
              --token-file FILE  first line: an admin bearer token of the node (enrols the benchmark's DIDs)
              --scheme S         the clients' signature scheme (ed25519)
              --node-pid PID     the node's process, for RSS and JFR (jcmd)
              --out DIR          where <timestamp>.json and <timestamp>-ratios.txt go (bench/results)
              --scale X          every scenario's duration times X (1.0); the ceilings are not scaled
              --max-clients N    clients of the largest scenarios (1000)
              --jfr-dir DIR      record JFR into DIR, in short repeats of three scenarios after the measured ones
              --label TEXT       a label stored in the JSON
              --store-url URL    a PostgreSQL database with the node's schema and nothing else in it, e.g.
                                 jdbc:postgresql://127.0.0.1:5432/pouw_bench_x_store: measures the storage ceiling
                                 and the limit 1/(1/verify + 1/store); without it only the verification ceiling
              --store-user USER  its user (postgres; the password, if any, from PGPASSWORD)
              --only NAME,...    run only these scenarios (batched-100, batched-50, batched-10, single-10, single-100,
                                 single-N, paced; the warm-up and both ceilings always run): for investigating one
                                 scenario, never for a headline
              --help             print this text and exit""";

    private final URI url;
    private final String token;
    private final SigScheme scheme;
    private final Path outDir;
    private final double scale;
    private final int maxClients;
    private final Optional<Path> jfrDir;
    private final String label;
    private final PrintStream out;
    private final HttpClient http;
    private final PouwClient client;
    private final NodeProbe probe;
    private final SecureRandom random = new SecureRandom();
    private final ClientKeyPair keys;
    private final List<String> dids = new ArrayList<>();
    private final ForkJoinPool signers = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    private final Optional<String> storeUrl;
    private final String storeUser;
    /** Scenarios to run; empty: all of them. */
    private final Set<String> only;
    /** Signed canonical receipts for both ceilings, made at the first one. */
    private List<SignedReceipt> samples;
    private IssuedChallenge sampleChallenge;
    private StorageCeiling storage;

    private LoadGenerator(URI url, String token, SigScheme scheme, Path outDir, double scale, int maxClients,
                          OptionalLong nodePid, Optional<Path> jfrDir, String label, Optional<String> storeUrl, String storeUser,
                          Set<String> only, PrintStream out) {
        this.url = url;
        this.token = token;
        this.scheme = scheme;
        this.outDir = outDir;
        this.scale = scale;
        this.maxClients = maxClients;
        this.jfrDir = jfrDir;
        this.label = label;
        this.storeUrl = storeUrl;
        this.storeUser = storeUser;
        this.only = only;
        this.out = out;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        this.client = new PouwClient(url, http, Duration.ofSeconds(60));
        this.probe = new NodeProbe(nodePid);
        this.keys = ClientKeyPair.generate(scheme, random);
    }

    /** Runs the benchmark; exit status 0 when it completed, 1 when it could not, 64 for a bad command line. */
    public static void main(String[] args) throws Exception {
        URI url = URI.create("http://127.0.0.1:8080");
        String token = null;
        SigScheme scheme = SigScheme.ED25519;
        Path outDir = Path.of("bench", "results");
        double scale = 1.0;
        int maxClients = 1000;
        OptionalLong pid = OptionalLong.empty();
        Optional<Path> jfrDir = Optional.empty();
        String label = "";
        Optional<String> storeUrl = Optional.empty();
        String storeUser = "postgres";
        Set<String> only = Set.of();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null && !args[i].equals("--help")) {
                usage("missing value for " + args[i]);
            }
            switch (args[i]) {
                case "--url" -> url = URI.create(value);
                case "--token-file" -> token = Files.readAllLines(Path.of(value)).getFirst().strip();
                case "--scheme" -> scheme = SigScheme.fromWireName(value).orElseThrow(() -> new IllegalArgumentException("unknown scheme " + value));
                case "--out" -> outDir = Path.of(value);
                case "--scale" -> scale = Double.parseDouble(value);
                case "--max-clients" -> maxClients = Integer.parseInt(value);
                case "--node-pid" -> pid = OptionalLong.of(Long.parseLong(value));
                case "--jfr-dir" -> jfrDir = Optional.of(Path.of(value));
                case "--label" -> label = value;
                case "--store-url" -> storeUrl = Optional.of(value);
                case "--store-user" -> storeUser = value;
                case "--only" -> only = new TreeSet<>(List.of(value.split(",")));
                case "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (token == null) {
            usage("--token-file is required (admin enrolment)");
        }
        // A set that tolerates "single-" + maxClients naming a fixed one (--max-clients 100).
        Set<String> scenarioNames = new TreeSet<>(List.of("batched-100", "batched-50", "batched-10", "single-10", "single-100",
                "single-" + maxClients, "paced"));
        for (String name : only) {
            if (!scenarioNames.contains(name)) {
                usage("--only: unknown scenario " + name + " (one of " + String.join(", ", scenarioNames) + ")");
            }
        }
        LoadGenerator bench = new LoadGenerator(url, token, scheme, outDir, scale, maxClients, pid, jfrDir, label, storeUrl, storeUser,
                only, System.out);
        try {
            bench.run();
            System.exit(0);
        } catch (PouwClientException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(String message) {
        System.err.println("bench: " + message);
        System.err.println(USAGE);
        System.exit(64);
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        NodeInfo node = client.nodeInfo();
        ObjectNode result = MAPPER.createObjectNode();
        result.put("started_at", started.toString());
        result.put("label", label);
        if (!only.isEmpty()) {
            result.put("only", String.join(",", only));
        }
        result.put("scheme", scheme.wireName());
        ObjectNode machine = result.putObject("machine");
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("loadavg_at_start", loadAverage());
        machine.put("cpu", cpuModel());
        machine.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        result.put("node_version", node.version());
        out.printf(Locale.ROOT, "bench: node %s at %s, scheme %s, %d cores, load %s%n", node.version(), url, scheme.wireName(),
                Runtime.getRuntime().availableProcessors(), loadAverage());

        enrol(maxClients);

        ObjectNode ceilingStart = ceiling(Duration.ofSeconds(2), Duration.ofSeconds(5));
        Optional<ObjectNode> storeStart = storageCeiling(Duration.ofSeconds(2), Duration.ofSeconds(5));
        ArrayNode scenarios = result.putArray("scenarios");
        // Warm-up of the node's JIT and pool: reported, never used in a ratio; its rate sizes the later pools. C2 takes
        // 30-45 % of a core for the first minute of load (then under 5 %), so rounds of batches of 100, 10 and single
        // receipts run for 60 s (times --scale) before anything is measured.
        ObjectNode warmup = warmUp(seconds(60));
        scenarios.add(warmup);
        double rate = Math.max(20, warmup.get("receipts_per_s").asDouble());
        ObjectNode batched100 = null;
        if (wanted("batched-100")) {
            batched100 = submitScenario("batched-100", BATCH_CLIENTS, 100, pool(rate, 15, 800), seconds(15), Optional.empty());
            scenarios.add(batched100);
            rate = Math.max(20, batched100.get("receipts_per_s").asDouble());
        }
        for (int batch : new int[] {50, 10}) {
            if (wanted("batched-" + batch)) {
                scenarios.add(submitScenario("batched-" + batch, BATCH_CLIENTS, batch, pool(rate, 10, 400), seconds(10), Optional.empty()));
            }
        }
        List<ObjectNode> singles = new ArrayList<>();
        for (int clients : new int[] {10, 100, maxClients}) {
            if (!wanted("single-" + clients)) {
                continue;
            }
            ObjectNode single = submitScenario("single-" + clients + "-clients", clients, 1, Math.max(2 * clients, pool(rate, 10, 200)),
                    seconds(clients >= 1000 ? 15 : 10), Optional.empty());
            singles.add(single);
            scenarios.add(single);
        }
        ObjectNode paced = null;
        if (wanted("paced")) {
            double singleRate = singles.stream().mapToDouble(s -> s.get("receipts_per_s").asDouble()).max().orElse(rate / 2);
            // All clients connected, each waiting a random think time between requests, offering half the best single-receipt rate.
            paced = pacedScenario("paced-" + maxClients + "-clients", maxClients, Math.max(10, singleRate / 2), seconds(30), Optional.empty());
            scenarios.add(paced);
        }
        // JFR never runs in a measured scenario (starting a recording costs the node a burst of compilation): each
        // profile is a short repeat of its scenario after them, reported with its rate but never in a ratio.
        if (jfrDir.isPresent()) {
            ArrayNode profiles = result.putArray("profiles");
            if (wanted("batched-100")) {
                profiles.add(submitScenario("batched-100-profiled", BATCH_CLIENTS, 100, pool(rate, 6, 800), seconds(6), Optional.of("batched-100")));
            }
            if (wanted("single-100")) {
                profiles.add(submitScenario("single-100-profiled", 100, 1, Math.max(200, pool(rate, 6, 200)), seconds(6), Optional.of("single-100")));
            }
            if (paced != null) {
                profiles.add(pacedScenario("paced-" + maxClients + "-profiled", maxClients, paced.get("offered_requests_per_s").asDouble(), seconds(10),
                        Optional.of("paced-" + maxClients)));
            }
        }
        ObjectNode ceilingEnd = ceiling(Duration.ofSeconds(1), Duration.ofSeconds(5));
        Optional<ObjectNode> storeEnd = storageCeiling(Duration.ofSeconds(1), Duration.ofSeconds(5));

        ObjectNode ceilings = result.putObject("ceiling");
        ceilings.set("start", ceilingStart);
        ceilings.set("end", ceilingEnd);
        double ceiling = (ceilingStart.get("verifications_per_s").asDouble() + ceilingEnd.get("verifications_per_s").asDouble()) / 2;
        ceilings.put("verifications_per_s_mean", Stats.round(ceiling));
        // The limit for the whole job: verification and storage share the machine's cores, so their times per receipt add up.
        double limit = ceiling;
        if (storeStart.isPresent() && storeEnd.isPresent()) {
            ObjectNode store = result.putObject("storage_ceiling");
            store.set("start", storeStart.get());
            store.set("end", storeEnd.get());
            double stored = (storeStart.get().get("receipts_per_s").asDouble() + storeEnd.get().get("receipts_per_s").asDouble()) / 2;
            store.put("receipts_per_s_mean", Stats.round(stored));
            limit = 1 / (1 / ceiling + 1 / stored);
            result.put("limit_receipts_per_s", Stats.round(limit));
        }
        boolean hasLimit = result.has("limit_receipts_per_s");
        machine.put("loadavg_at_end", loadAverage());
        machine.put("node_rss_hwm_mib", probe.highWaterMarkMib());
        machine.put("node_rss_end_mib", probe.currentMib());

        ObjectNode ratios = result.putObject("ratios");
        for (var scenario : scenarios) {
            if (scenario.has("receipts_per_s")) {
                ((ObjectNode) scenario).put("ratio_to_ceiling", ratio(scenario.get("receipts_per_s").asDouble(), ceiling));
                if (hasLimit) {
                    ((ObjectNode) scenario).put("ratio_to_limit", ratio(scenario.get("receipts_per_s").asDouble(), limit));
                }
            }
        }
        if (batched100 != null) {
            double batched = batched100.get("receipts_per_s").asDouble();
            ratios.put("batched_100_to_ceiling", ratio(batched, ceiling));
            if (hasLimit) {
                ratios.put("batched_100_to_limit", ratio(batched, limit));
                ratios.put("target_batched_to_limit", 0.8);
            }
            for (ObjectNode single : singles) {
                ratios.put(single.get("name").asText().replace('-', '_') + "_to_batched_100",
                        ratio(single.get("receipts_per_s").asDouble(), batched));
            }
            ratios.put("target_single_to_batched", 0.5);
        }
        ObjectNode latency = result.putObject("latency_targets");
        latency.put("clients", maxClients);
        if (paced != null) {
            latency.put("challenge_p99_ms", paced.get("endpoints").get(0).get("p99_ms").asDouble());
            latency.put("challenge_p99_target_ms", 50);
            latency.put("submit_p99_ms", paced.get("endpoints").get(1).get("p99_ms").asDouble());
            latency.put("submit_p99_target_ms", 100);
        }
        if (!singles.isEmpty()) {
            latency.put("submit_p99_closed_loop_ms", singles.getLast().get("endpoints").get(0).get("p99_ms").asDouble());
            latency.put("submit_p99_closed_loop_scenario", singles.getLast().get("name").asText());
        }
        latency.put("node_rss_hwm_mib", probe.highWaterMarkMib());
        latency.put("node_rss_target_mib", 512);
        result.put("elapsed_s", Stats.round(Duration.between(started, Instant.now()).toMillis() / 1000.0));

        Files.createDirectories(outDir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(started);
        Path json = outDir.resolve(stamp + ".json");
        Files.writeString(json, result.toPrettyString() + "\n");
        String summary = summary(result);
        Files.writeString(outDir.resolve(stamp + "-ratios.txt"), summary);
        out.print(summary);
        out.println("bench: results in " + json + " and " + outDir.resolve(stamp + "-ratios.txt"));
        probe.close();
        signers.shutdown();
    }

    /**
     * Rounds of the batched and single paths for {@code duration} (three at least); reported as its fastest round
     * (a batched one), whose rate sizes the later scenarios' receipts.
     */
    private ObjectNode warmUp(Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        int[][] shapes = {{BATCH_CLIENTS, 100, 6_000}, {BATCH_CLIENTS, 10, 2_000}, {100, 1, 1_000}};
        ObjectNode best = null;
        int round = 0;
        do {
            int[] shape = shapes[round++ % shapes.length];
            ObjectNode done = submitScenario("warmup", shape[0], shape[1], shape[2], seconds(10), Optional.empty());
            if (best == null || done.get("receipts_per_s").asDouble() > best.get("receipts_per_s").asDouble()) {
                best = done;
            }
        } while (System.nanoTime() < end || round < shapes.length);
        best.put("rounds", round);
        return best;
    }

    private boolean wanted(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    /** How long a scenario runs: {@code base} seconds times {@code --scale}. */
    private Duration seconds(double base) {
        return Duration.ofMillis(Math.round(base * scale * 1000));
    }

    /** Receipts to prepare for a scenario of {@code base} seconds at about {@code rate}/s: twice that, 60,000 at most. */
    private int pool(double rate, double base, int min) {
        return (int) Math.min(60_000, Math.max(min, Math.round(rate * base * scale * 2)));
    }

    private static double ratio(double value, double baseline) {
        return Math.round(value / baseline * 1000) / 1000.0;
    }

    // ---- set-up -------------------------------------------------------------------------------------

    /** Enrols {@code n} DIDs bound to one key (signing is per receipt anyway), 8 at a time. */
    private void enrol(int n) throws Exception {
        long t0 = System.nanoTime();
        String run = ReceiptBuilder.random(4).hex();
        for (int i = 0; i < n; i++) {
            dids.add("did:sov:bench-" + run + "-" + i);
        }
        Semaphore gate = new Semaphore(8);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (String did : dids) {
                done.add(pool.submit(() -> {
                    gate.acquire();
                    try {
                        retrying(() -> client.enrol(token, did, keys));
                    } finally {
                        gate.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        out.printf(Locale.ROOT, "bench: enrolled %d DIDs in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    /** Set-up calls are retried (a few times, one second apart) when the node answers 503 or 429 under load. */
    private static <T> T retrying(java.util.function.Supplier<T> call) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (PouwClientException e) {
                boolean transientFailure = e.problem().map(p -> p.status() == 503 || p.status() == 429).orElse(false);
                if (!transientFailure || attempt == 10) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    /** Challenges for each of the first {@code clients} DIDs, {@code perClient} each, {@code maxReceipts} receipts apiece. */
    private List<List<IssuedChallenge>> challenges(int clients, int perClient, int maxReceipts) throws Exception {
        List<List<IssuedChallenge>> all = new ArrayList<>();
        Semaphore gate = new Semaphore(8);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<IssuedChallenge>>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String did = dids.get(c);
                futures.add(pool.submit(() -> {
                    List<IssuedChallenge> mine = new ArrayList<>();
                    for (int k = 0; k < perClient; k++) {
                        gate.acquire();
                        try {
                            mine.add(retrying(() -> client.challenge(did, List.of(ProofType.HASH), OptionalInt.of(maxReceipts))));
                        } finally {
                            gate.release();
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<IssuedChallenge>> f : futures) {
                all.add(f.get());
            }
        }
        return all;
    }

    /** Request bodies per client: {@code perClient} receipts in batches of {@code batch}, signed on every core. */
    private List<List<byte[]>> bodies(int clients, int perClient, int batch) throws Exception {
        int challengesPerClient = (perClient + RECEIPTS_PER_CHALLENGE - 1) / RECEIPTS_PER_CHALLENGE;
        List<List<IssuedChallenge>> challenges = challenges(clients, challengesPerClient, RECEIPTS_PER_CHALLENGE);
        return signers.submit(() -> IntStream.range(0, clients).parallel().mapToObj(c -> {
            String did = dids.get(c);
            List<byte[]> mine = new ArrayList<>();
            List<SignedReceipt> pending = new ArrayList<>(batch);
            for (int r = 0; r < perClient; r++) {
                IssuedChallenge challenge = challenges.get(c).get(r / RECEIPTS_PER_CHALLENGE);
                pending.add(ReceiptBuilder.answering(challenge, did).proofType(ProofType.HASH).sign(keys));
                if (pending.size() == batch || r == perClient - 1) {
                    mine.add(WireJson.batch(did, ReceiptBuilder.random(16), pending).getBytes(StandardCharsets.UTF_8));
                    pending.clear();
                }
            }
            return mine;
        }).toList()).get();
    }

    // ---- the ceiling --------------------------------------------------------------------------------

    /** 256 receipts answering a challenge the node issued, signed with the run's key, made once for both ceilings. */
    private List<SignedReceipt> samples() throws Exception {
        if (samples == null) {
            sampleChallenge = challenges(1, 1, RECEIPTS_PER_CHALLENGE).getFirst().getFirst();
            List<SignedReceipt> made = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                made.add(ReceiptBuilder.answering(sampleChallenge, dids.getFirst()).proofType(ProofType.HASH).sign(keys));
            }
            samples = List.copyOf(made);
        }
        return samples;
    }

    /** Pure verification of {@code scheme} signatures over canonical receipts on every core, after a warm-up. */
    private ObjectNode ceiling(Duration warmup, Duration measure) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        List<SignedReceipt> signed = samples();
        int n = signed.size();
        byte[][] messages = new byte[n][];
        byte[][] signatures = new byte[n][];
        for (int i = 0; i < n; i++) {
            messages[i] = CanonicalEncoding.encode(signed.get(i).receipt());
            signatures[i] = signed.get(i).signature().toArray();
        }
        byte[] publicKey = keys.publicKey();
        BouncyCastleSignatureVerifier verifier = new BouncyCastleSignatureVerifier();
        String loadBefore = loadAverage();
        long[] counts = new long[2];
        for (int phase = 0; phase < 2; phase++) {
            long end = System.nanoTime() + (phase == 0 ? warmup : measure).toNanos();
            LongAdder verified = new LongAdder();
            AtomicLong failures = new AtomicLong();
            long t0 = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                workers.add(Thread.ofPlatform().name("ceiling-" + t).start(() -> {
                    int i = offset;
                    long mine = 0;
                    while (System.nanoTime() < end) {
                        if (!verifier.verify(scheme, publicKey, messages[i % n], signatures[i % n])) {
                            failures.incrementAndGet();
                        }
                        i++;
                        mine++;
                    }
                    verified.add(mine);
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " signatures failed to verify in the ceiling run");
            }
            counts[phase] = Math.round(verified.sum() / ((System.nanoTime() - t0) / 1e9));
        }
        ObjectNode json = MAPPER.createObjectNode();
        json.put("threads", threads);
        json.put("seconds", measure.toSeconds());
        json.put("verifications_per_s", counts[1]);
        json.put("loadavg_before", loadBefore);
        out.printf(Locale.ROOT, "bench: verify ceiling: %s verification on %d threads: %,d/s%n", scheme.wireName(), threads, counts[1]);
        return json;
    }

    /** The storage ceiling ({@link StorageCeiling}) when {@code --store-url} names its database, else nothing. */
    private Optional<ObjectNode> storageCeiling(Duration warmup, Duration measure) throws Exception {
        if (storeUrl.isEmpty()) {
            return Optional.empty();
        }
        if (storage == null) {
            storage = new StorageCeiling(storeUrl.get(), storeUser, Optional.ofNullable(System.getenv("PGPASSWORD")).orElse(""),
                    samples(), sampleChallenge);
        }
        ObjectNode json = storage.measure(warmup, measure, loadAverage(), probe);
        out.printf(Locale.ROOT, "bench: store ceiling: plain JDBC, %d %s receipts per transaction, %d connections: %,d receipts/s%s%n",
                StorageCeiling.PER_TRANSACTION, scheme.wireName(), StorageCeiling.CONNECTIONS, json.get("receipts_per_s").asLong(),
                json.get("ran_out_of_challenges").asBoolean() ? " (ran out of prepared challenges before the time was up)" : "");
        return Optional.of(json);
    }

    // ---- scenarios ----------------------------------------------------------------------------------

    /**
     * {@code clients} closed-loop clients submitting receipts in batches of {@code batch} for {@code duration}
     * (or until the {@code total} prepared receipts are used up).
     */
    private ObjectNode submitScenario(String name, int clients, int batch, int total, Duration duration, Optional<String> jfr)
            throws Exception {
        int perClient = Math.max(batch, (total / clients + batch - 1) / batch * batch);
        long prep = System.nanoTime();
        List<List<byte[]>> bodies = bodies(clients, perClient, batch);
        out.printf(Locale.ROOT, "bench: %s: %d clients x up to %d receipts in batches of %d for %d s, prepared in %.1f s%n", name, clients,
                perClient, batch, duration.toSeconds(), (System.nanoTime() - prep) / 1e9);
        Stats submit = new Stats("POST " + RECEIPTS);
        long totalRequests = bodies.stream().mapToLong(List::size).sum();
        Optional<Path> recording = startRecording(jfr);
        probe.takeWindowPeakMib();
        String loadBefore = loadAverage();
        CountDownLatch go = new CountDownLatch(1);
        long t0;
        long elapsed;
        NodeProbe.CpuTicks cpuBefore;
        NodeProbe.CpuTicks cpuAfter;
        try (Progress progress = new Progress(name, totalRequests, List.of(submit));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<byte[]> mine : bodies) {
                pool.submit(() -> {
                    try (PlainHttpConnection connection = new PlainHttpConnection(url)) {
                        go.await();
                        long deadline = System.nanoTime() + duration.toNanos();
                        for (byte[] body : mine) {
                            if (System.nanoTime() > deadline) {
                                break;
                            }
                            post(connection, RECEIPTS, body, 200, submit);
                        }
                    }
                    return null;
                });
            }
            cpuBefore = probe.cpu();
            t0 = System.nanoTime();
            go.countDown();
            pool.shutdown();
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.MINUTES);
            elapsed = System.nanoTime() - t0;
            cpuAfter = probe.cpu();
        }
        ObjectNode json = scenarioJson(name, clients, batch, elapsed, loadBefore, List.of(submit));
        json.set("cpu", cpuAfter.since(cpuBefore, elapsed / 1e9, submit.acceptedReceipts(), MAPPER));
        json.put("receipts_prepared", (long) clients * perClient);
        json.put("receipts_accepted", submit.acceptedReceipts());
        json.put("receipts_per_s", Stats.round(submit.acceptedReceipts() / (elapsed / 1e9)));
        json.put("requests_per_s", Stats.round(submit.requests() / (elapsed / 1e9)));
        stopRecording(jfr, recording, json);
        out.printf(Locale.ROOT, "bench: %s: %,.0f receipts/s accepted, submit p50/p95/p99 %.1f/%.1f/%.1f ms, %d errors, %d rejected%n",
                name, json.get("receipts_per_s").asDouble(), submit.percentileMillis(50), submit.percentileMillis(95),
                submit.percentileMillis(99), submit.errors(200), submit.rejectedReceipts());
        return json;
    }

    /**
     * {@code clients} clients that each start at a random moment within one mean think time, then take a challenge and submit one
     * receipt for it right away, and wait a random think time (uniform, mean {@code 2 * clients / rate})
     * before the next round, for {@code duration}: the latency of both endpoints with every client
     * connected, at an offered load of about {@code rate} requests/s.
     */
    private ObjectNode pacedScenario(String name, int clients, double rate, Duration duration, Optional<String> jfr) throws Exception {
        List<byte[]> challengeBodies = dids.subList(0, clients).stream()
                .map(did -> WireJson.challengeRequest(did, List.of(ProofType.HASH), OptionalInt.of(1), OptionalLong.empty())
                        .getBytes(StandardCharsets.UTF_8)).toList();
        double meanThinkMillis = 2 * clients / rate * 1000;
        int rounds = (int) Math.max(1, Math.min(100, Math.ceil(duration.toMillis() / meanThinkMillis * 1.5)));
        long prep = System.nanoTime();
        List<List<byte[]>> bodies = bodies(clients, rounds, 1);
        out.printf(Locale.ROOT, "bench: %s: %d clients, up to %d rounds each (challenge + 1 receipt), think time mean %.0f ms (~%.0f requests/s), prepared in %.1f s%n",
                name, clients, rounds, meanThinkMillis, rate, (System.nanoTime() - prep) / 1e9);
        Stats challenge = new Stats("POST " + CHALLENGES);
        Stats submit = new Stats("POST " + RECEIPTS);
        Optional<Path> recording = startRecording(jfr);
        probe.takeWindowPeakMib();
        String loadBefore = loadAverage();
        CountDownLatch go = new CountDownLatch(1);
        long elapsed;
        NodeProbe.CpuTicks cpuBefore;
        NodeProbe.CpuTicks cpuAfter;
        try (Progress progress = new Progress(name, 2L * clients * rounds, List.of(challenge, submit));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                List<byte[]> mine = bodies.get(c);
                byte[] challengeBody = challengeBodies.get(c);
                pool.submit(() -> {
                    try (PlainHttpConnection connection = new PlainHttpConnection(url)) {
                        go.await();
                        long deadline = System.nanoTime() + duration.toNanos();
                        // Starts spread over one mean think time, so the offered rate holds from the start (clients whose
                        // start falls after the end never send: with a long think time only some of them do in the window).
                        long wait = (long) (ThreadLocalRandom.current().nextDouble() * meanThinkMillis);
                        for (byte[] body : mine) {
                            if (System.nanoTime() + wait * 1_000_000L > deadline) {
                                break; // the next round would start after the end: done (without sleeping past it)
                            }
                            Thread.sleep(wait);
                            post(connection, CHALLENGES, challengeBody, 201, challenge);
                            post(connection, RECEIPTS, body, 200, submit);
                            wait = think(meanThinkMillis);
                        }
                    }
                    return null;
                });
            }
            cpuBefore = probe.cpu();
            long t0 = System.nanoTime();
            go.countDown();
            pool.shutdown();
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.MINUTES);
            elapsed = System.nanoTime() - t0;
            cpuAfter = probe.cpu();
        }
        ObjectNode json = scenarioJson(name, clients, 1, elapsed, loadBefore, List.of(challenge, submit));
        json.set("cpu", cpuAfter.since(cpuBefore, elapsed / 1e9, submit.acceptedReceipts(), MAPPER));
        json.put("offered_requests_per_s", Stats.round(rate));
        json.put("think_time_mean_ms", Stats.round(meanThinkMillis));
        json.put("requests_per_s", Stats.round((challenge.requests() + submit.requests()) / (elapsed / 1e9)));
        json.put("receipts_accepted", submit.acceptedReceipts());
        stopRecording(jfr, recording, json);
        out.printf(Locale.ROOT, "bench: %s: challenge p50/p95/p99 %.1f/%.1f/%.1f ms, submit p50/p95/p99 %.1f/%.1f/%.1f ms, %d errors%n", name,
                challenge.percentileMillis(50), challenge.percentileMillis(95), challenge.percentileMillis(99),
                submit.percentileMillis(50), submit.percentileMillis(95), submit.percentileMillis(99),
                challenge.errors(201) + submit.errors(200));
        return json;
    }

    private static long think(double meanMillis) {
        return (long) (ThreadLocalRandom.current().nextDouble() * 2 * meanMillis);
    }

    private ObjectNode scenarioJson(String name, int clients, int batch, long elapsedNanos, String loadBefore, List<Stats> stats) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("name", name);
        json.put("clients", clients);
        json.put("batch_size", batch);
        json.put("elapsed_s", Stats.round(elapsedNanos / 1e9));
        json.put("loadavg_before", loadBefore);
        json.put("node_rss_peak_mib", probe.takeWindowPeakMib());
        ArrayNode endpoints = json.putArray("endpoints");
        stats.forEach(s -> endpoints.add(s.toJson()));
        return json;
    }

    /**
     * One request on the client's own connection ({@link PlainHttpConnection}); its latency, status
     * and receipt outcomes go to {@code stats}. A transport failure counts as status 0.
     */
    private void post(PlainHttpConnection connection, String path, byte[] body, int expected, Stats stats) {
        long t0 = System.nanoTime();
        PlainHttpConnection.Response response;
        try {
            response = connection.post(path, body);
        } catch (IOException e) {
            stats.record(System.nanoTime() - t0, 0);
            if (stats.errors(expected) <= 3) {
                System.err.println("bench: " + path + ": " + e.getMessage());
            }
            return;
        }
        stats.record(System.nanoTime() - t0, response.status());
        if (response.status() == 200 && path.equals(RECEIPTS)) {
            String text = response.body();
            int accepted = 0;
            for (int i = text.indexOf("\"receipt_id\""); i >= 0; i = text.indexOf("\"receipt_id\"", i + 1)) {
                accepted++;
            }
            stats.accepted(accepted);
            Matcher m = REASON.matcher(text);
            while (m.find()) {
                stats.rejected(m.group(1));
            }
        } else if (response.status() != expected && stats.errors(expected) <= 3) {
            System.err.println("bench: " + path + " answered " + response.status() + ": " + response.body());
        }
    }

    private Optional<Path> startRecording(Optional<String> name) {
        if (name.isEmpty() || jfrDir.isEmpty()) {
            return Optional.empty();
        }
        Path file = jfrDir.get().resolve(name.get() + ".jfr");
        return probe.startRecording(name.get(), file) ? Optional.of(file) : Optional.empty();
    }

    private void stopRecording(Optional<String> name, Optional<Path> file, ObjectNode scenario) {
        if (name.isEmpty() || file.isEmpty() || !probe.stopRecording(name.get())) {
            return;
        }
        try {
            scenario.set("jfr", JfrSummary.summarise(file.get(), 15));
        } catch (IOException | RuntimeException e) {
            System.err.println("bench: could not read " + file.get() + ": " + e.getMessage());
        }
    }

    // ---- reporting ----------------------------------------------------------------------------------

    private String summary(ObjectNode result) {
        StringBuilder s = new StringBuilder();
        boolean hasLimit = result.has("limit_receipts_per_s");
        s.append(String.format(Locale.ROOT, "pouw-node benchmark %s, scheme %s, %d cores, load %s -> %s%n", result.get("started_at").asText(),
                scheme.wireName(), result.get("machine").get("nproc").asInt(), result.get("machine").get("loadavg_at_start").asText(),
                result.get("machine").get("loadavg_at_end").asText()));
        var verify = result.get("ceiling");
        s.append(String.format(Locale.ROOT, "verify ceiling: %,9.0f %s verifications/s on all cores (start %s, end %s)%n",
                verify.get("verifications_per_s_mean").asDouble(), scheme.wireName(),
                verify.get("start").get("verifications_per_s"), verify.get("end").get("verifications_per_s")));
        if (hasLimit) {
            var store = result.get("storage_ceiling");
            s.append(String.format(Locale.ROOT, "store ceiling:  %,9.0f receipts/s, plain JDBC, %d receipts per transaction, %d connections (start %s, end %s)%n",
                    store.get("receipts_per_s_mean").asDouble(), StorageCeiling.PER_TRANSACTION, StorageCeiling.CONNECTIONS,
                    store.get("start").get("receipts_per_s"), store.get("end").get("receipts_per_s")));
            s.append(String.format(Locale.ROOT, "limit = 1/(1/verify + 1/store) = %,.0f receipts/s%n", result.get("limit_receipts_per_s").asDouble()));
        } else {
            s.append("store ceiling:  not measured (no --store-url); no limit, ratios are to the verify ceiling only\n");
        }
        s.append(String.format(Locale.ROOT, "%-22s %7s %6s %11s %8s %8s %9s %9s %9s %7s %8s%n", "scenario", "clients", "batch", "receipts/s",
                "/ limit", "/ verify", "p50 ms", "p95 ms", "p99 ms", "errors", "RSS MiB"));
        for (var sc : result.get("scenarios")) {
            for (var ep : sc.get("endpoints")) {
                long errors = 0;
                var statuses = ep.get("status_counts").properties();
                for (var e : statuses) {
                    if (!e.getKey().equals("200") && !e.getKey().equals("201")) {
                        errors += e.getValue().asLong();
                    }
                }
                boolean receipts = ep.get("endpoint").asText().endsWith("receipts");
                s.append(String.format(Locale.ROOT, "%-22s %7d %6s %11s %8s %8s %9.1f %9.1f %9.1f %7d %8.0f%n",
                        sc.get("name").asText() + (sc.get("endpoints").size() > 1 ? (receipts ? " submit" : " challenge") : ""),
                        sc.get("clients").asInt(), receipts ? sc.get("batch_size").asText() : "-",
                        sc.has("receipts_per_s") && receipts ? String.format(Locale.ROOT, "%,.0f", sc.get("receipts_per_s").asDouble()) : "-",
                        sc.has("ratio_to_limit") && receipts ? String.format(Locale.ROOT, "%.3f", sc.get("ratio_to_limit").asDouble()) : "-",
                        sc.has("ratio_to_ceiling") && receipts ? String.format(Locale.ROOT, "%.3f", sc.get("ratio_to_ceiling").asDouble()) : "-",
                        ep.get("p50_ms").asDouble(), ep.get("p95_ms").asDouble(), ep.get("p99_ms").asDouble(), errors,
                        sc.get("node_rss_peak_mib").asDouble()));
            }
        }
        ObjectNode ratios = (ObjectNode) result.get("ratios");
        if (hasLimit && ratios.has("batched_100_to_limit")) {
            s.append(String.format(Locale.ROOT, "batched (100/batch) / limit             = %.3f   (target >= 0.8)%n",
                    ratios.get("batched_100_to_limit").asDouble()));
        }
        if (ratios.has("batched_100_to_ceiling")) {
            s.append(String.format(Locale.ROOT, "batched (100/batch) / verify ceiling    = %.3f%n", ratios.get("batched_100_to_ceiling").asDouble()));
        }
        ratios.properties().forEach(e -> {
            if (e.getKey().startsWith("single_")) {
                s.append(String.format(Locale.ROOT, "%-40s = %.3f   (target >= 0.5)%n", e.getKey().replace("_to_batched_100", "") + " / batched",
                        e.getValue().asDouble()));
            }
        });
        var latency = result.get("latency_targets");
        if (latency.has("challenge_p99_ms")) {
            s.append(String.format(Locale.ROOT, "at %d clients: challenge p99 %.1f ms (target < 50), submit p99 %.1f ms (target < 100)%n",
                    latency.get("clients").asInt(), latency.get("challenge_p99_ms").asDouble(), latency.get("submit_p99_ms").asDouble()));
        }
        if (latency.has("submit_p99_closed_loop_ms")) {
            s.append(String.format(Locale.ROOT, "closed loop, %s: submit p99 %.1f ms%n", latency.get("submit_p99_closed_loop_scenario").asText(), latency.get("submit_p99_closed_loop_ms").asDouble()));
        }
        s.append(String.format(Locale.ROOT, "node RSS peak %.0f MiB (target < 512)%n", latency.get("node_rss_hwm_mib").asDouble()));
        s.append(String.format(Locale.ROOT, "%-22s %28s   %s%n", "CPU", "cores: node  postgres  bench", "us per receipt: node  postgres  bench  machine"));
        List<JsonNode> measured = new ArrayList<>();
        if (result.has("storage_ceiling")) {
            for (String when : List.of("start", "end")) {
                ObjectNode store = result.get("storage_ceiling").get(when).deepCopy();
                measured.add(store.put("name", "store ceiling " + when));
            }
        }
        result.get("scenarios").forEach(measured::add);
        for (var sc : measured) {
            if (sc.has("cpu")) {
                var cores = sc.get("cpu").get("cores");
                var each = sc.get("cpu").get("us_per_receipt");
                s.append(String.format(Locale.ROOT, "%-22s %11.2f %9.2f %6.2f   %20.0f %9.0f %6.0f %8.0f%n", sc.get("name").asText(),
                        cores.get("node").asDouble(), cores.get("postgres").asDouble(), cores.get("load_generator").asDouble(),
                        each.path("node").asDouble(), each.path("postgres").asDouble(), each.path("load_generator").asDouble(),
                        each.path("machine").asDouble()));
            }
        }
        if (result.has("profiles")) {
            for (var profile : result.get("profiles")) {
                s.append("profile ").append(profile.get("name").asText()).append(" (JFR, not in any ratio)");
                if (profile.has("receipts_per_s")) {
                    s.append(String.format(Locale.ROOT, ": %,.0f receipts/s", profile.get("receipts_per_s").asDouble()));
                }
                if (profile.has("jfr") && profile.get("jfr").has("self_time_by_area")) {
                    s.append(", CPU by area:");
                    int shown = 0;
                    for (var area : profile.get("jfr").get("self_time_by_area")) {
                        if (shown++ == 5) {
                            break;
                        }
                        s.append(String.format(Locale.ROOT, " %s %.0f %%", area.get("name").asText(), area.get("percent").asDouble()));
                    }
                }
                s.append('\n');
            }
        }
        if (result.has("only")) {
            s.append("only ").append(result.get("only").asText()).append(": a partial run, not a headline\n");
        }
        s.append(String.format(Locale.ROOT, "whole run: %.0f s%n", result.get("elapsed_s").asDouble()));
        return s.toString();
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Prints "scenario: done/total requests, rate, errors" every two seconds while a scenario runs. */
    private final class Progress implements AutoCloseable {

        private final Thread thread;

        Progress(String name, long total, List<Stats> stats) {
            long t0 = System.nanoTime();
            thread = Thread.ofPlatform().daemon().name("progress").start(() -> {
                long last = 0;
                long lastT = t0;
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long done = stats.stream().mapToLong(Stats::requests).sum();
                    long now = System.nanoTime();
                    long errors = stats.stream().mapToLong(s -> s.errors(s == stats.getFirst() && stats.size() > 1 ? 201 : 200)).sum();
                    out.printf(Locale.ROOT, "  %s: %d/%d requests, %.0f/s, %d receipts accepted, %d errors, node RSS %.0f MiB, %.0f s%n",
                            name, done, total, (done - last) / ((now - lastT) / 1e9), stats.getLast().acceptedReceipts(), errors,
                            probe.currentMib(), (now - t0) / 1e9);
                    last = done;
                    lastT = now;
                }
            });
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
