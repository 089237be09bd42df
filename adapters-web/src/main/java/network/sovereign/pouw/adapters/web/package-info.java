/**
 * The HTTP edge's entry point for bootstrap: {@link network.sovereign.pouw.adapters.web.HttpAdapter}
 * starts the API and metrics sockets from {@link network.sovereign.pouw.adapters.web.WebSettings}.
 */
package network.sovereign.pouw.adapters.web;
