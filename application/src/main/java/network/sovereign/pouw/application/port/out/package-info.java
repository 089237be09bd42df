/** Driven ports: what the application needs from the outside world (storage, keys, telemetry). */
package network.sovereign.pouw.application.port.out;
