/**
 * Health over HTTP (internal): the helidon-health checks built on the application's health use case
 * and the service that renders {@code /health}, {@code /health/live} and {@code /health/ready}.
 */
package network.sovereign.pouw.adapters.web.health;
