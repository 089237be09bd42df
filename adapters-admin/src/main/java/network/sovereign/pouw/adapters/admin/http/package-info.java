/**
 * The admin API ({@code /api/v1/admin}, SPEC §4 and §8): bearer-token authentication that names the
 * acting token, and the HTTP services bootstrap registers on the node's web server. Errors are raised
 * as Helidon {@code HttpException}s, which the web server's problem handlers render as RFC 9457.
 */
package network.sovereign.pouw.adapters.admin.http;
