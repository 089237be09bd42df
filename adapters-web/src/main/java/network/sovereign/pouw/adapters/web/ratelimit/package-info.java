/**
 * Per-key rate limiting for the client API (SPEC §9): one resilience4j limiter per IP or DID in a
 * bounded, expiring store, the client-IP resolution behind it (SPEC §8, trusted proxies), and the
 * {@code rate_limiter} health component. Free of Helidon types, so the HTTP filter only adapts.
 */
package network.sovereign.pouw.adapters.web.ratelimit;
