/**
 * The node's HTTP edge on Helidon SE: one web server with the API socket (health now, client and
 * operator APIs added through bootstrap) and the metrics socket, RFC 9457 problem responses, the
 * Prometheus implementation of the protocol metrics, and per-key rate limiting.
 */
// "module not found": bootstrap, the target of every qualified export, is built after this module.
@SuppressWarnings("module")
module network.sovereign.pouw.adapters.web {
    // HttpAdapter takes CheckHealthUseCase and HelidonProtocolMetrics implements ProtocolMetrics.
    requires transitive network.sovereign.pouw.application;
    // HttpAdapter.Builder#routes hands bootstrap an HttpRouting.Builder; ProblemWriter writes a ServerResponse.
    requires transitive io.helidon.webserver;
    requires io.helidon.health;
    requires io.helidon.metrics.api;
    // Services.get(MetricsFactory.class): the non-deprecated way to reach the metrics factory in 4.5.
    requires io.helidon.service.registry;
    // JVM meters (memory, threads, GC, class loading, uptime) read the platform MXBeans.
    requires java.management;
    // The client API reads JSON bodies with Jackson's tree model (no data binding, so nothing to open).
    requires com.fasterxml.jackson.databind;
    // GET /openapi as JSON: the shipped YAML document is read once with SnakeYAML and written with Jackson.
    requires org.yaml.snakeyaml;
    // The per-key rate limiters of the ratelimit package.
    requires io.github.resilience4j.ratelimiter;
    // The generated pouw.v1 messages (codec.proto) and their runtime: the application/x-protobuf transport.
    requires com.google.protobuf;

    // The Prometheus text comes from the provider's formatter, found through this SPI.
    uses io.helidon.metrics.spi.MeterRegistryFormatterProvider;

    exports network.sovereign.pouw.adapters.web to network.sovereign.pouw.bootstrap;
    exports network.sovereign.pouw.adapters.web.api to network.sovereign.pouw.bootstrap;
    exports network.sovereign.pouw.adapters.web.metrics to network.sovereign.pouw.bootstrap;
    exports network.sovereign.pouw.adapters.web.problem to network.sovereign.pouw.bootstrap;
    exports network.sovereign.pouw.adapters.web.ratelimit to network.sovereign.pouw.bootstrap;
}
