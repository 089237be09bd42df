package network.sovereign.pouw.adapters.web;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import network.sovereign.pouw.adapters.web.health.HealthHttpService;
import network.sovereign.pouw.adapters.web.health.NodeHealthChecks;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import network.sovereign.pouw.adapters.web.metrics.MetricsHttpService;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemErrorHandling;
import network.sovereign.pouw.adapters.web.problem.ProblemException;
import network.sovereign.pouw.adapters.web.ratelimit.ClientAddressResolver;
import network.sovereign.pouw.adapters.web.ratelimit.TrustedProxies;
import network.sovereign.pouw.application.port.in.CheckHealthUseCase;

/**
 * The node's one Helidon web server: the default socket serves health and every API route bootstrap
 * adds, the {@value #METRICS_SOCKET} socket serves only {@code GET /metrics}; every error on either
 * is an RFC 9457 problem. Start it with {@link #builder}, read the bound ports, {@link #stop()} it.
 */
public final class HttpAdapter implements AutoCloseable {

    /** The name of the second socket. */
    public static final String METRICS_SOCKET = "metrics";

    /** Slowloris guard: the headers of a request must be complete this long after its request line. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(20);
    /** A connection waiting this long for (the rest of) a request line is closed; also bounds idle keep-alive. */
    static final Duration IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    /** No single socket read waits longer than this (a client that stops sending mid-request). */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final WebServer server;
    private final HeaderDeadline headerDeadline;
    private final ScheduledExecutorService bodyTimer;
    private final RouteCatalog catalog;
    private final RouteCatalog metricsCatalog;
    private final AccessLog accessLog;

    private HttpAdapter(WebServer server, HeaderDeadline headerDeadline, ScheduledExecutorService bodyTimer, RouteCatalog catalog,
                        RouteCatalog metricsCatalog, AccessLog accessLog) {
        this.server = server;
        this.accessLog = accessLog;
        this.headerDeadline = headerDeadline;
        this.bodyTimer = bodyTimer;
        this.catalog = catalog;
        this.metricsCatalog = metricsCatalog;
    }

    /**
     * Starts describing a server.
     *
     * @param settings sockets, body cap, metrics token, shutdown grace
     * @param health   the health use case behind {@code /health}, {@code /health/live}, {@code /health/ready}
     * @param metrics  the registry {@code /metrics} renders
     * @param version  the node version, shown by {@code /health}
     */
    public static Builder builder(WebSettings settings, CheckHealthUseCase health, HelidonProtocolMetrics metrics,
                                  String version) {
        return new Builder(settings, health, metrics, version);
    }

    /** The bound port of the API socket (the real one when configured as 0). */
    public int port() {
        return server.port();
    }

    /** The bound port of the metrics socket. */
    public int metricsPort() {
        return server.port(METRICS_SOCKET);
    }

    /**
     * Every route this server registered, as {@code "METHOD /path"} lines sorted (path parameters as the
     * services named them; {@code /metrics} is on the metrics socket): what the OpenAPI document must list.
     */
    public List<String> routes() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(catalog.routes());
        all.addAll(metricsCatalog.routes());
        return List.copyOf(all);
    }

    /** True between start and stop. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Stops accepting connections and lets in-flight requests finish, waiting at most the configured
     * shutdown grace; idempotent. Readiness should already answer 503 (the lifecycle's job).
     */
    public synchronized void stop() {
        if (server.isRunning()) {
            server.stop();
        }
        headerDeadline.close();
        bodyTimer.shutdownNow();
    }

    /**
     * Swaps the API socket's certificate and key for new connections (what SIGHUP does); the server
     * must have been started with {@link Builder#tls}.
     */
    public void reloadTls(Tls tls) {
        server.reloadTls(Objects.requireNonNull(tls, "tls"));
    }

    /** Turns the access log ({@code POUW_ACCESS_LOG}) on or off for the requests that follow (what SIGHUP does). */
    public void accessLog(boolean on) {
        accessLog.enabled(on);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Collects the routes of the default socket, then starts the server. */
    public static final class Builder {

        private final WebSettings settings;
        private final CheckHealthUseCase health;
        private final HelidonProtocolMetrics metrics;
        private final String version;
        private final List<Consumer<HttpRouting.Builder>> routes = new ArrayList<>();
        private final RouteCatalog catalog = new RouteCatalog();
        /** The metrics socket's routes: in {@link HttpAdapter#routes()}, never a 405 on the API socket. */
        private final RouteCatalog metricsCatalog = new RouteCatalog();
        private Tls tls;
        private Duration headerTimeout = HEADER_TIMEOUT;
        private ConnectionLimits limits = ConnectionLimits.DEFAULT;
        private Predicate<String> uncountedAddresses = address -> false;
        private boolean accessLog;
        private ClientAddressResolver clientAddresses = new ClientAddressResolver(TrustedProxies.none());

        private Builder(WebSettings settings, CheckHealthUseCase health, HelidonProtocolMetrics metrics, String version) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.health = Objects.requireNonNull(health, "health");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            this.version = Objects.requireNonNull(version, "version");
        }

        /** Registers services under a path on the default socket, e.g. {@code register("/api/v1/admin", admin)}. */
        public Builder register(String path, HttpService... services) {
            Objects.requireNonNull(path, "path");
            HttpService[] recorded = new HttpService[services.length];
            for (int i = 0; i < services.length; i++) {
                recorded[i] = catalog.recording(path, Objects.requireNonNull(services[i], "service"));
            }
            return routes(routing -> routing.register(path, recorded));
        }

        /**
         * Lets the caller add anything to the default socket's routing: services, routes, filters, more
         * specific error handlers. Called in order, after the health routes and the problem error handlers.
         * Routes added here are not in {@link HttpAdapter#routes()}: add API routes with {@link #register}.
         */
        public Builder routes(Consumer<HttpRouting.Builder> customizer) {
            routes.add(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        /**
         * Serves the API socket over TLS ({@code POUW_TLS_CERT}/{@code POUW_TLS_KEY}); the metrics
         * socket stays plain HTTP, for scrapers on the private network.
         */
        public Builder tls(Tls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** The connection caps and the body deadline; {@link ConnectionLimits#DEFAULT} unless set. */
        public Builder limits(ConnectionLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Addresses not counted against the per-address connection cap (the trusted proxies: each carries
         * many clients); the listener's cap still bounds them.
         */
        public Builder uncountedAddresses(Predicate<String> addresses) {
            this.uncountedAddresses = Objects.requireNonNull(addresses, "addresses");
            return this;
        }

        /**
         * Writes one line per API request ({@code POUW_ACCESS_LOG=on}), naming the client as
         * {@code addresses} resolves it (the trusted proxies' {@code X-Forwarded-For}); off by default.
         */
        public Builder accessLog(boolean on, ClientAddressResolver addresses) {
            this.accessLog = on;
            this.clientAddresses = Objects.requireNonNull(addresses, "addresses");
            return this;
        }

        /** Overrides the slow-header deadline (tests use a short one). */
        Builder headerTimeout(Duration timeout) {
            this.headerTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Binds both sockets and starts serving.
         *
         * @throws IllegalStateException if a port cannot be bound
         */
        public HttpAdapter start() {
            ProblemErrorHandling errors = new ProblemErrorHandling(settings.maxBodyBytes());
            HttpService healthService = catalog.recording("", new HealthHttpService(new NodeHealthChecks(health, version)));
            HttpService openApiService = catalog.recording("", new OpenApiHttpService());
            HttpService metricsService = metricsCatalog.recording("", new MetricsHttpService(metrics, settings.metricsToken()));
            List<Consumer<HttpRouting.Builder>> apiRoutes = List.copyOf(routes);
            HeaderDeadline headerDeadline = new HeaderDeadline(headerTimeout);
            ScheduledExecutorService bodyTimer = ConnectionGuard.newTimer();
            AccessLog access = new AccessLog(accessLog, clientAddresses::resolve);
            // One guard per socket (own per-address counts) around Helidon's HTTP/1.1 selector, built from
            // the one HTTP/1.1 configuration; the guard's events come from that configuration's listeners.
            // One listener each way: Helidon 4.5's composite of several listeners forwards none of their events.
            Http1Config http1 = Http1Config.builder()
                    .addReceiveListener(new BothListeners(headerDeadline, ConnectionGuard.RECEIVED))
                    .addSendListener(ConnectionGuard.SENT)
                    .build();
            ConnectionGuard apiGuard = guard(http1, limits.maxConnectionsPerAddress(), bodyTimer);
            ConnectionGuard metricsGuard = guard(http1, ConnectionLimits.METRICS_MAX_CONNECTIONS, bodyTimer);

            WebServerConfig.Builder config = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .maxPayloadSize(settings.maxBodyBytes())
                    .shutdownGracePeriod(settings.shutdownGrace())
                    // Slow clients (slowloris) cannot hold connections: RELIABILITY.md, scenario 6.
                    // Our HTTP/1.1 selector only (the guard around Helidon's): a second one would make Helidon
                    // sniff the protocol and drop a malformed request line without its 400, and the guard must be
                    // the only one so Helidon hands it each connection as soon as it is accepted.
                    .protocolsDiscoverServices(false)
                    .addConnectionSelector(apiGuard)
                    // Accepting stops at the cap (the rest wait in the backlog): connections alone cannot
                    // exhaust the process's file descriptors, which would end Helidon's accept loop for good.
                    .maxTcpConnections(limits.maxConnections())
                    .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
                    .idleConnectionPeriod(Duration.ofSeconds(5))
                    .connectionOptions(o -> o.readTimeout(READ_TIMEOUT).tcpNoDelay(true))
                    // Bootstrap owns SIGTERM: readiness must turn 503 before the sockets close.
                    .shutdownHook(false)
                    // No feature may appear from the module path (ObserveFeature would add /observe/*).
                    .featuresDiscoverServices(false)
                    .directHandlers(errors.directHandlers())
                    .routing(routing -> {
                        errors.install(routing);
                        routing.addFilter(access::filter);
                        // Rate and latency by route template and status class, taken when the answer is sent
                        // (so an error handler's status counts); a path no route takes is route="other".
                        routing.addFilter((chain, req, res) -> {
                            long start = System.nanoTime();
                            // Read before routing: inside a service registered under a prefix the path is relative.
                            String route = catalog.routeOf(req.prologue().method().text(), req.path().path());
                            res.whenSent(() -> metrics.httpRequestServed(route, res.status().code(),
                                    Duration.ofNanos(System.nanoTime() - start)));
                            chain.proceed();
                        });
                        routing.register(healthService);
                        routing.register(openApiService);
                        apiRoutes.forEach(customizer -> customizer.accept(routing));
                        // Last: a request no route took is a 405 with Allow when its path has routes for other
                        // methods (the union over every service registered under it), else it goes on to 404.
                        routing.any((req, res) -> {
                            Optional<String> allowed = catalog.allowedMethods(req.path().path());
                            if (allowed.isEmpty()) {
                                res.next();
                                return;
                            }
                            throw new ProblemException(Problem.methodNotAllowed(allowed.get()));
                        });
                    })
                    .putSocket(METRICS_SOCKET, socket -> socket
                            .host(settings.host())
                            .port(settings.metricsPort())
                            .maxPayloadSize(settings.maxBodyBytes())
                            .shutdownGracePeriod(settings.shutdownGrace())
                            .protocolsDiscoverServices(false)
                            .addConnectionSelector(metricsGuard)
                            .maxTcpConnections(ConnectionLimits.METRICS_MAX_CONNECTIONS)
                            .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
                            .idleConnectionPeriod(Duration.ofSeconds(5))
                            .connectionOptions(o -> o.readTimeout(READ_TIMEOUT).tcpNoDelay(true))
                            .directHandlers(errors.directHandlers())
                            .routing(routing -> {
                                errors.install(routing);
                                routing.register(metricsService);
                            }));
            if (tls != null) {
                config.tls(tls);
            }
            WebServer server = config.build().start();
            if (!server.isRunning()) {
                // Helidon logs a bind failure and returns a stopped server instead of throwing.
                server.stop();
                headerDeadline.close();
                bodyTimer.shutdownNow();
                throw new IllegalStateException("the web server did not start: port " + settings.port() + " or "
                        + settings.metricsPort() + " on " + settings.host() + " cannot be bound (in use?)");
            }
            return new HttpAdapter(server, headerDeadline, bodyTimer, catalog, metricsCatalog, access);
        }

        private ConnectionGuard guard(Http1Config http1, int maxPerAddress, ScheduledExecutorService timer) {
            return new ConnectionGuard(new Http1ConnectionProvider().create("@default", http1, ProtocolConfigs.create(List.of(http1))),
                    maxPerAddress, uncountedAddresses, limits.bodyTimeout(), timer);
        }
    }

    /** Hands every HTTP/1.1 event to two listeners, in order. */
    private record BothListeners(Http1ConnectionListener first, Http1ConnectionListener second) implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            first.prologue(ctx, prologue);
            second.prologue(ctx, prologue);
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            first.headers(ctx, headers);
            second.headers(ctx, headers);
        }

        @Override
        public void status(ConnectionContext ctx, Status status) {
            first.status(ctx, status);
            second.status(ctx, status);
        }
    }
}
