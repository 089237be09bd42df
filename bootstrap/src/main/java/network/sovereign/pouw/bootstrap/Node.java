package network.sovereign.pouw.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.UUID;
import java.util.function.UnaryOperator;
import network.sovereign.pouw.adapters.admin.http.AdminBlockingHttpService;
import network.sovereign.pouw.adapters.admin.http.AdminClientsHttpService;
import network.sovereign.pouw.adapters.admin.http.AdminOperationsHttpService;
import network.sovereign.pouw.adapters.admin.http.AdminSettingsHttpService;
import network.sovereign.pouw.application.port.in.SettingKnob;
import network.sovereign.pouw.application.port.out.ProtocolMetrics.RateLimitScope;
import network.sovereign.pouw.application.service.LiveSettingsService;
import network.sovereign.pouw.application.service.ReloadNodeService;
import network.sovereign.pouw.bootstrap.config.ConfigSource;
import network.sovereign.pouw.adapters.admin.http.AdminTokens;
import network.sovereign.pouw.adapters.admin.http.AuthFailureThrottle;
import network.sovereign.pouw.adapters.admin.http.BearerAuthentication;
import network.sovereign.pouw.adapters.admin.http.ClientView;
import network.sovereign.pouw.adapters.admin.http.OperatorDisputesHttpService;
import network.sovereign.pouw.adapters.admin.http.AdminRewardsHttpService;
import network.sovereign.pouw.adapters.admin.http.OperatorReadsHttpService;
import network.sovereign.pouw.application.service.OperatorReadsService;
import network.sovereign.pouw.application.service.PayoutService;
import network.sovereign.pouw.adapters.crypto.BouncyCastleKeyDigests;
import network.sovereign.pouw.adapters.web.api.ClientApiHttpService;
import network.sovereign.pouw.adapters.web.ratelimit.ClientAddressResolver;
import network.sovereign.pouw.adapters.web.ratelimit.TrustedProxies;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.BlockList;
import network.sovereign.pouw.application.service.BlockDidService;
import network.sovereign.pouw.application.service.DisputeService;
import network.sovereign.pouw.application.service.EnrolClientService;
import network.sovereign.pouw.application.service.ListAuditService;
import network.sovereign.pouw.application.service.IssueChallengeService;
import network.sovereign.pouw.application.service.NodeInfoService;
import network.sovereign.pouw.application.service.ProtocolSettings;
import network.sovereign.pouw.application.service.SubmitReceiptsService;
import network.sovereign.pouw.domain.EpochSchedule;
import network.sovereign.pouw.domain.RewardSchedule;
import network.sovereign.pouw.adapters.admin.MaintenanceScheduler;
import network.sovereign.pouw.adapters.crypto.BouncyCastleNodeKey;
import network.sovereign.pouw.adapters.crypto.BouncyCastleSignatureVerifier;
import network.sovereign.pouw.adapters.crypto.NodeKeyFileException;
import network.sovereign.pouw.adapters.crypto.NodeKeyFiles;
import network.sovereign.pouw.adapters.crypto.NodeKeyHealthIndicator;
import network.sovereign.pouw.adapters.persistence.Persistence;
import network.sovereign.pouw.adapters.persistence.PersistenceSettings;
import network.sovereign.pouw.adapters.persistence.PersistenceStartupException;
import network.sovereign.pouw.adapters.persistence.PoolStatistics;
import network.sovereign.pouw.adapters.web.ConnectionLimits;
import network.sovereign.pouw.adapters.web.HttpAdapter;
import network.sovereign.pouw.adapters.web.PemTls;
import network.sovereign.pouw.adapters.web.WebSettings;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import network.sovereign.pouw.adapters.web.ratelimit.RateLimitSettings;
import network.sovereign.pouw.adapters.web.ratelimit.RateLimiterHealthIndicator;
import network.sovereign.pouw.adapters.web.ratelimit.RateLimits;
import network.sovereign.pouw.adapters.web.ratelimit.SubmitLimits;
import network.sovereign.pouw.application.service.HealthService;
import network.sovereign.pouw.application.service.MaintenanceService;
import network.sovereign.pouw.application.service.NodeLifecycle;
import network.sovereign.pouw.application.service.RetentionSettings;
import network.sovereign.pouw.bootstrap.config.ConfigException;
import network.sovereign.pouw.bootstrap.config.NodeConfig;

/**
 * The one composition root: builds every adapter and service from the configuration, starts them in
 * order (schema before sockets), and stops them in reverse (readiness first).
 */
final class Node {

    private static final Logger LOG = Logger.getLogger(Node.class.getName());
    private static final Path PROC_LIMITS = Path.of("/proc/self/limits");

    /** Receipts moved to the archive per transaction. */
    private static final int ARCHIVE_BATCH_SIZE = 1_000;

    /**
     * An epoch is paid out only this long (plus POUW_CLOCK_SKEW_SECS) after its end: longer than a credit's
     * transaction can wait for a connection, so no credit dated in the epoch commits after its payouts exist.
     */
    private static final Duration PAYOUT_SETTLE_MARGIN = Duration.ofSeconds(10);

    /** Delay before the first retention run, so a restarting cluster does not stampede. */
    private static final Duration FIRST_RETENTION_RUN = Duration.ofMinutes(10);

    private final NodeLifecycle lifecycle;
    private final Persistence persistence;
    private final MaintenanceScheduler scheduler;
    private final HttpAdapter http;
    /** Re-reads the live settings overrides every {@link LiveSettingsService#REFRESH_INTERVAL}; set once start() has built the node. */
    private volatile ScheduledExecutorService settingsRefresh;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile SystemdNotifier systemd = SystemdNotifier.fromEnvironment(Map.of());
    /** How long readiness is 503 while the API still serves, before the listener closes. */
    private volatile Duration shutdownDrain = Duration.ZERO;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Feeds systemd's watchdog while the API answers; set by {@link #startWatchdog}. */
    private volatile ApiWatchdog watchdog;
    /** Where the API listens, for the watchdog's probe. */
    private volatile String apiHost = "127.0.0.1";
    private volatile boolean apiTls;

    private Node(NodeLifecycle lifecycle, Persistence persistence, MaintenanceScheduler scheduler, HttpAdapter http) {
        this.lifecycle = lifecycle;
        this.persistence = persistence;
        this.scheduler = scheduler;
        this.http = http;
    }

    /** Applies the schema and returns the number of change sets applied. */
    static int migrate(NodeConfig config) {
        PersistenceSettings settings = persistenceSettings(config);
        return waitForDatabase(config, settings, () -> Persistence.migrate(settings));
    }

    /** Starts the node: data dir, keys, schema, pool, services, sockets; then marks it ready. */
    static Node start(NodeConfig config, String version) {
        Instant startedAt = Instant.now();
        Clock clock = Clock.systemUTC();
        // A taken port is said at once, naming its setting, not after the migrations and the pool.
        requireFreePort(config.http().host(), config.http().port(), "POUW_HTTP_PORT");
        requireFreePort(config.http().host(), config.http().metricsPort(), "POUW_METRICS_PORT");
        createDataDir(config);
        SecureRandom random = new SecureRandom();

        BouncyCastleNodeKey nodeKey = loadNodeKey(config);
        Map<String, String> adminTokens = loadAdminTokens(config, random);
        LOG.info(() -> "admin API tokens: " + adminTokens.keySet());

        PersistenceSettings persistenceSettings = persistenceSettings(config);
        int applied = waitForDatabase(config, persistenceSettings, () -> Persistence.migrate(persistenceSettings));
        LOG.info(() -> "schema up to date on " + persistenceSettings.redactedUrl() + " (" + applied + " change sets applied)");
        Persistence persistence = waitForDatabase(config, persistenceSettings, () -> Persistence.start(persistenceSettings));

        NodeLifecycle lifecycle = new NodeLifecycle();
        MaintenanceScheduler scheduler = null;
        try {
            HelidonProtocolMetrics metrics = new HelidonProtocolMetrics(version);
            registerPoolMeters(metrics, persistence.poolStatistics());
            // The soft limit the connection cap is derived from (OpenFileLimit), beside process_open_fds; absent when unlimited.
            OpenFileLimit.soft(PROC_LIMITS).ifPresent(max -> metrics.registerGauge("process_max_fds",
                    "Maximum open file descriptors (soft limit)", () -> max));

            RateLimits rateLimits = new RateLimits(new RateLimitSettings(config.rateLimits().perIp(),
                    config.rateLimits().perDid(), config.rateLimits().window()));
            MaintenanceService maintenance = new MaintenanceService(persistence.retentionStore(),
                    new RetentionSettings(config.retention().challengeRetention(), config.retention().nonceRetention(),
                            config.retention().receiptArchiveAge(), ARCHIVE_BATCH_SIZE, config.retention().interval(),
                            config.retention().rejectionRetention()),
                    clock, nodeName(), persistence.adminAudit());
            LiveSettingsService liveSettings = new LiveSettingsService(persistence.settingsStore(), protocolSettings(config),
                    config.rateLimits().perIp(), config.rateLimits().perDid(),
                    config.retention().nonceRetention().minus(config.protocol().clockSkew()), clock,
                    values -> {
                        rateLimits.changeLimit(RateLimitScope.IP, Math.toIntExact(values.get(SettingKnob.RATE_LIMIT_IP)));
                        rateLimits.changeLimit(RateLimitScope.DID, Math.toIntExact(values.get(SettingKnob.RATE_LIMIT_DID)));
                    });
            liveSettings.refresh();
            HealthService health = new HealthService(List.of(
                    persistence.databaseHealth(),
                    new NodeKeyHealthIndicator(nodeKey, new BouncyCastleSignatureVerifier()),
                    new RateLimiterHealthIndicator(rateLimits),
                    maintenance, liveSettings), lifecycle, clock, startedAt, version);

            scheduler = new MaintenanceScheduler(maintenance, config.retention().interval(),
                    FIRST_RETENTION_RUN.compareTo(config.retention().interval()) < 0 ? FIRST_RETENTION_RUN : config.retention().interval());

            // Read per request: configuration plus the live overrides of PATCH /api/v1/admin/settings.
            Supplier<ProtocolSettings> protocol = liveSettings::protocol;
            RewardSchedule rewards = new RewardSchedule(config.rewards().weights(), config.rewards().baseAtoms(),
                    config.rewards().epochCapAtoms(), new EpochSchedule(config.rewards().epochGenesis(), config.rewards().epochSecs()));
            ClientDirectory clients = persistence.clientDirectory();
            BouncyCastleSignatureVerifier verifier = new BouncyCastleSignatureVerifier();
            EnrolClientService enrolment = new EnrolClientService(clients, verifier, new BouncyCastleKeyDigests(), nodeKey, protocol, clock);
            DisputeService disputes = new DisputeService(persistence.disputeStore(), clients, verifier, rewards.epochs(), clock, metrics,
                    () -> UUID.randomUUID().toString(), () -> protocol.get().clockSkew());
            ClientApiHttpService clientApi = new ClientApiHttpService(new ClientApiHttpService.Dependencies(
                    new NodeInfoService(nodeKey, protocol, version, clock),
                    new IssueChallengeService(clients, persistence.challengeStore(), nodeKey, protocol, clock, random, metrics),
                    new SubmitReceiptsService(clients, persistence.challengeStore(), persistence.receiptLedger(), verifier, nodeKey,
                            protocol, rewards, clock, metrics, () -> UUID.randomUUID().toString(),
                            new SubmitLimits(rateLimits, config.rateLimits().rejections(), config.rateLimits().window())),
                    enrolment, rateLimits, new ClientAddressResolver(TrustedProxies.of(config.security().trustedProxies())),
                    metrics, clock, disputes));
            BearerAuthentication adminAuthentication = new BearerAuthentication(adminTokens(adminTokens), new AuthFailureThrottle(
                    config.security().adminAuthThrottle().failuresMax(), config.security().adminAuthThrottle().window()));
            AdminClientsHttpService adminClients = new AdminClientsHttpService(adminAuthentication,
                    enrolment, did -> clients.findKey(did).map(key -> ClientView.from(key, clients.isBlocked(did))));
            BlockList blockList = persistence.blockList();
            AdminBlockingHttpService adminBlocking = new AdminBlockingHttpService(adminAuthentication,
                    new BlockDidService(blockList, clock), new ListAuditService(persistence.adminAudit()));
            metrics.blockedDidsGauge(blockList::count);
            OperatorReadsHttpService operatorReads = new OperatorReadsHttpService(adminAuthentication,
                    new OperatorReadsService(persistence.clientHistory(), rewards));
            AdminRewardsHttpService adminRewards = new AdminRewardsHttpService(adminAuthentication,
                    new PayoutService(persistence.payouts(), rewards, clock, config.protocol().clockSkew().plus(PAYOUT_SETTLE_MARGIN)));
            AtomicReference<Node> started = new AtomicReference<>();
            AdminSettingsHttpService adminSettings = new AdminSettingsHttpService(adminAuthentication, liveSettings);
            AdminOperationsHttpService adminOperations = new AdminOperationsHttpService(adminAuthentication, maintenance,
                    new ReloadNodeService(() -> Optional.ofNullable(started.get())
                            .orElseThrow(() -> new IllegalStateException("the node is still starting; try again"))
                            .reload(config.configFile(), "admin API"), persistence.adminAudit(), clock), clock);

            HttpAdapter http = startHttp(config, health, metrics, version, builder -> builder
                    .register("/api/v1/pouw", clientApi)
                    .register("/api/v1/pouw", new OperatorDisputesHttpService(adminAuthentication, disputes))
                    .register("/api/v1/admin", adminClients)
                    .register("/api/v1/admin", adminBlocking)
                    .register("/api/v1/pouw", operatorReads)
                    .register("/api/v1/admin", adminRewards)
                    .register("/api/v1/admin", adminSettings)
                    .register("/api/v1/admin", adminOperations));
            LOG.fine(() -> "routes: " + String.join(", ", http.routes()));
            Node node = new Node(lifecycle, persistence, scheduler, http);
            try {
                scheduler.start();
                node.shutdownDrain = config.http().shutdownDrain();
                node.apiHost = config.http().host();
                node.apiTls = config.tls().isPresent();
                node.settingsRefresh = startSettingsRefresh(liveSettings);
                lifecycle.markServing();
                started.set(node);
            } catch (RuntimeException e) {
                // The sockets are open already: close them too, the catch below closes the rest.
                http.stop();
                throw e;
            }
            String scheme = config.tls().isPresent() ? "https" : "http";
            LOG.info(() -> "pouw-node " + version + " ready: API " + scheme + "://" + config.http().host() + ":" + http.port()
                    + ", metrics http://" + config.http().host() + ":" + http.metricsPort() + "/metrics, node_id "
                    + nodeKey.nodeIdHex() + " (" + nodeKey.scheme().wireName() + "), database " + persistence.databaseProduct()
                    + ", started in " + Duration.between(startedAt, Instant.now()).toMillis() + " ms");
            return node;
        } catch (RuntimeException e) {
            if (scheduler != null) {
                scheduler.close();
            }
            persistence.close();
            throw e;
        }
    }

    private static HttpAdapter startHttp(NodeConfig config, HealthService health, HelidonProtocolMetrics metrics, String version,
                                         UnaryOperator<HttpAdapter.Builder> routes) {
        WebSettings web = new WebSettings(config.http().host(), config.http().port(), config.http().metricsPort(),
                config.security().metricsToken(), config.http().maxBodyBytes(), config.http().shutdownGrace());
        int maxConnections = OpenFileLimit.apiConnections(config.http().maxConnections(),
                OpenFileLimit.soft(PROC_LIMITS), config.database().poolSize());
        LOG.info(() -> "API socket: at most " + maxConnections + " connections (POUW_HTTP_MAX_CONNECTIONS), "
                + config.http().maxConnectionsPerIp() + " per client address, request bodies within "
                + config.http().bodyTimeout().toSeconds() + " s");
        TrustedProxies proxies = TrustedProxies.of(config.security().trustedProxies());
        HttpAdapter.Builder builder = routes.apply(HttpAdapter.builder(web, health, metrics, version))
                .limits(new ConnectionLimits(maxConnections, Math.min(maxConnections, config.http().maxConnectionsPerIp()),
                        config.http().bodyTimeout()))
                .uncountedAddresses(proxies::contains)
                .accessLog(config.logging().accessLog(), new ClientAddressResolver(proxies));
        config.tls().ifPresent(tls -> builder.tls(loadTls(tls)));
        try {
            return builder.start();
        } catch (RuntimeException e) {
            throw new StartupException("cannot listen on " + config.http().host() + ":" + config.http().port() + " (POUW_HTTP_PORT) / :"
                    + config.http().metricsPort() + " (POUW_METRICS_PORT): " + rootMessage(e), Main.EXIT_CONFIG, e);
        }
    }

    /** Binds and releases {@code host:port} (0: any port, nothing to check), or fails naming {@code setting}. */
    static void requireFreePort(String host, int port, String setting) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port), 1);
        } catch (java.io.IOException e) {
            throw new StartupException("cannot listen on " + host + ":" + port + " (" + setting + "): " + rootMessage(e),
                    Main.EXIT_CONFIG, e);
        }
    }

    /** SIGTERM: readiness turns 503 at once, in-flight requests finish within the grace, the pool closes. */
    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        lifecycle.markStopping();
        try {
            if (shutdownDrain.isZero()) {
                LOG.info("stopping: readiness is now 503, letting in-flight requests finish");
            } else {
                // Still serving, but /health/ready says 503: load balancers take the node out before the listener closes.
                LOG.info(() -> "stopping: readiness is now 503; still serving for " + shutdownDrain.toSeconds() + " s (POUW_SHUTDOWN_DRAIN_SECS)");
                sleep(shutdownDrain);
                LOG.info("stopping: listener closed, letting in-flight requests finish");
            }
            // Each step on its own: a failing one must not leave the pool or the threads behind.
            if (watchdog != null) {
                stopStep("systemd watchdog", watchdog::close);
            }
            stopStep("web server", http::stop);
            if (settingsRefresh != null) {
                stopStep("settings refresh", settingsRefresh::shutdownNow);
            }
            stopStep("maintenance scheduler", scheduler::close);
            stopStep("database pool", persistence::close);
            LOG.info("stopped");
        } finally {
            stopped.countDown();
        }
    }

    /**
     * SIGHUP and {@code POST /api/v1/admin/reload}: re-reads the environment-and-file configuration,
     * re-applies the log settings (which also reopens {@code POUW_LOG_FILE}; {@code POUW_ACCESS_LOG} too) and swaps the API socket's
     * certificate for new connections when TLS is configured. The new configuration and TLS material
     * are read and checked before anything is applied, so a refused reload (a {@link ConfigException}
     * naming the setting) leaves the running ones in place. Other settings take effect on restart.
     */
    synchronized void reload(Optional<Path> configFile, String trigger) {
        // Type=notify: systemd hears RELOADING=1 before and READY=1 after, whether SIGHUP or
        // POST /api/v1/admin/reload (what ExecReload's `admin reload` calls) asked for the reload.
        systemd.reloading();
        String status = "serving on port " + port();
        try {
            NodeConfig fresh = NodeConfig.from(ConfigSource.load(System.getenv(), configFile));
            Optional<io.helidon.common.tls.Tls> tls = fresh.tls().map(Node::loadTls);
            Main.configureLogging(fresh);
            http.accessLog(fresh.logging().accessLog());
            tls.ifPresent(material -> {
                http.reloadTls(material);
                LOG.info(() -> "TLS material reloaded from " + fresh.tls().get().certificate());
            });
            // Logged before READY=1 goes out, so whoever waits for systemd's reload to finish finds it.
            LOG.info(() -> "reload (" + trigger + "): configuration re-read, log and TLS settings applied; other settings take effect on restart");
        } catch (RuntimeException e) {
            status += "; last reload refused: " + e.getMessage();
            throw e;
        } finally {
            systemd.ready(status);
        }
    }

    /** Where life-cycle notifications go (systemd's {@code NOTIFY_SOCKET} under Type=notify); none until set. */
    void notifyTo(SystemdNotifier notifier) {
        this.systemd = Objects.requireNonNull(notifier, "notifier");
    }

    /**
     * Feeds systemd's watchdog ({@code WatchdogSec=}, seen as {@code WATCHDOG_USEC}) while the API socket
     * answers its own loopback probe; nothing when systemd did not ask.
     */
    void startWatchdog(SystemdNotifier notifier, Map<String, String> environment) {
        ApiWatchdog.interval(environment, ProcessHandle.current().pid()).ifPresent(interval -> {
            if (notifier.transport() != SystemdNotifier.Transport.NONE && !stopping.get()) {
                watchdog = ApiWatchdog.start(notifier, interval, apiHost, port(), apiTls);
            }
        });
    }

    /** Refreshes the live settings on a virtual (daemon) thread; a failed refresh keeps the last known values. */
    private static ScheduledExecutorService startSettingsRefresh(LiveSettingsService liveSettings) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("pouw-settings-refresh").factory());
        long period = LiveSettingsService.REFRESH_INTERVAL.toMillis();
        executor.scheduleWithFixedDelay(liveSettings::refresh, period, period, TimeUnit.MILLISECONDS);
        return executor;
    }

    private static io.helidon.common.tls.Tls loadTls(NodeConfig.Tls tls) {
        try {
            return PemTls.load(tls.certificate(), tls.key());
        } catch (IllegalArgumentException e) {
            boolean keyAtFault = e.getMessage() != null && e.getMessage().contains(tls.key().toString());
            throw new ConfigException(keyAtFault ? "POUW_TLS_KEY" : "POUW_TLS_CERT", e.getMessage());
        }
    }

    private static void stopStep(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "error while stopping the " + what, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bound API port. */
    int port() {
        return http.port();
    }

    /** The bound metrics port. */
    int metricsPort() {
        return http.metricsPort();
    }

    private static void createDataDir(NodeConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new ConfigException("POUW_DATA_DIR", "cannot create " + config.dataDir() + " (" + e.getClass().getSimpleName() + ")");
        }
        if (!Files.isWritable(config.dataDir())) {
            throw new ConfigException("POUW_DATA_DIR", config.dataDir() + " is not writable");
        }
    }

    private static BouncyCastleNodeKey loadNodeKey(NodeConfig config) {
        NodeConfig.NodeKeySource source = config.nodeKey();
        if (source.secret().isPresent()) {
            try {
                BouncyCastleNodeKey key = BouncyCastleNodeKey.fromSecret(source.scheme(), source.secret().get());
                LOG.info(() -> "node key from POUW_NODE_SECRET_KEY: " + key.scheme().wireName() + ", node_id " + key.nodeIdHex());
                return key;
            } catch (IllegalArgumentException e) {
                throw new ConfigException("POUW_NODE_SECRET_KEY", e.getMessage());
            }
        }
        try {
            NodeKeyFiles.Loaded loaded = NodeKeyFiles.loadOrCreate(source.keyFile(), source.scheme());
            LOG.info(() -> (loaded.created() ? "generated a new node key in " : "node key loaded from ") + loaded.file().toAbsolutePath().normalize()
                    + ": " + loaded.key().scheme().wireName() + ", node_id " + loaded.key().nodeIdHex());
            return loaded.key();
        } catch (NodeKeyFileException e) {
            throw new ConfigException("POUW_NODE_KEY_FILE", e.getMessage());
        }
    }

    private static Map<String, String> loadAdminTokens(NodeConfig config, SecureRandom random) {
        if (config.security().adminTokens().isPresent()) {
            return config.security().adminTokens().get();
        }
        try {
            AdminTokenFile.Loaded loaded = AdminTokenFile.loadOrCreate(config.dataDir(), random);
            LOG.info(() -> (loaded.created() ? "generated an admin token in " : "admin token read from ") + loaded.path().toAbsolutePath().normalize()
                    + " (set POUW_ADMIN_TOKENS to use your own)");
            return Map.of(AdminTokenFile.TOKEN_NAME, loaded.token());
        } catch (IOException e) {
            throw new ConfigException("POUW_DATA_DIR", "admin token: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new ConfigException("POUW_DATA_DIR", "admin token: " + e.getCause().getMessage());
        }
    }

    static ProtocolSettings protocolSettings(NodeConfig config) {
        NodeConfig.Protocol p = config.protocol();
        return new ProtocolSettings(p.challengeTtl(), p.clockSkew(), p.batchSizeMax(), p.maxReceiptsPerChallenge(),
                p.maxBytesPerChallenge(), p.minBytesPerReceipt(), p.acceptedSigSchemes(),
                config.security().enrollment() == NodeConfig.Enrollment.OPEN);
    }

    private static AdminTokens adminTokens(Map<String, String> tokens) {
        try {
            return AdminTokens.of(tokens);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("POUW_ADMIN_TOKENS", e.getMessage());
        }
    }

    static PersistenceSettings persistenceSettings(NodeConfig config) {
        PersistenceSettings base = config.database().url()
                .map(url -> PersistenceSettings.of(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null)))
                .orElseGet(() -> PersistenceSettings.h2(config.dataDir()));
        return base.withPool(config.database().poolSize(), config.database().acquireTimeout())
                .withTimeouts(config.database().statementTimeout(), config.database().socketTimeout());
    }

    /**
     * Runs a database step, retrying while the database does not answer for up to
     * {@code POUW_DB_STARTUP_WAIT_SECS}; then gives up with one line naming the setting. An embedded
     * database locked by another node is said at once: waiting would not free it.
     */
    private static <T> T waitForDatabase(NodeConfig config, PersistenceSettings settings, Supplier<T> step) {
        Instant deadline = Instant.now().plus(config.database().startupWait());
        String setting = config.database().url().isPresent() ? "POUW_DATABASE_URL" : "POUW_DATA_DIR";
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return step.get();
            } catch (PersistenceStartupException e) {
                if (e.databaseInUse()) {
                    throw new StartupException("the data directory " + config.dataDir().toAbsolutePath() + " (POUW_DATA_DIR)"
                            + " is in use: another node holds its database; stop it or give this node its own directory",
                            Main.EXIT_CONFIG, e);
                }
                if (!e.databaseUnavailable() || Instant.now().isAfter(deadline)) {
                    throw new StartupException((e.databaseUnavailable() ? "database unavailable (" : "database refused start-up (")
                            + setting + "): " + e.getMessage(), Main.EXIT_CONFIG, e);
                }
                int n = attempt;
                LOG.warning(() -> "database not ready (attempt " + n + "), retrying: " + e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StartupException("interrupted while waiting for the database", Main.EXIT_FAILURE, interrupted);
                }
            }
        }
    }

    private static void registerPoolMeters(HelidonProtocolMetrics metrics, PoolStatistics pool) {
        metrics.registerGauge("pouw_db_pool_active_connections", "Database connections in use", pool::active);
        metrics.registerGauge("pouw_db_pool_idle_connections", "Database connections idle in the pool", pool::idle);
        metrics.registerGauge("pouw_db_pool_connections", "Database connections open", pool::total);
        metrics.registerGauge("pouw_db_pool_max_connections", "Database pool size limit", pool::max);
        metrics.registerGauge("pouw_db_pool_pending_threads", "Threads waiting for a database connection", pool::pendingThreads);
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
