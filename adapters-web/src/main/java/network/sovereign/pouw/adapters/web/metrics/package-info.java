/**
 * The node's Prometheus metrics: {@link network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics}
 * implements the application's {@code ProtocolMetrics} port and lets bootstrap add gauges and counters
 * (database pool) to the same registry that the metrics socket serves.
 */
package network.sovereign.pouw.adapters.web.metrics;
