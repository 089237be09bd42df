/**
 * The composition root and the executable: configuration, CLI, logging, life cycle, wiring of every
 * adapter and service.
 */
module network.sovereign.pouw.bootstrap {
    requires network.sovereign.pouw.application;
    requires network.sovereign.pouw.adapters.crypto;
    requires network.sovereign.pouw.adapters.persistence;
    requires network.sovereign.pouw.adapters.web;
    requires network.sovereign.pouw.adapters.admin;
    requires java.logging;
    // The admin CLI (`admin ...`) calls the node's admin API.
    requires java.net.http;
    // sun.misc.Signal: survive SIGHUP (the JVM's default is to exit) and reload instead.
    requires jdk.unsupported;
}
