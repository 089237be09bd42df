/**
 * The operator side of the node: scheduled maintenance now; the admin and dispute-resolution API,
 * settings overrides and the audit trail as they are built.
 */
module network.sovereign.pouw.adapters.admin {
    requires network.sovereign.pouw.application;
    requires java.logging;

    // Only the composition root constructs the admin adapters.
    exports network.sovereign.pouw.adapters.admin to network.sovereign.pouw.bootstrap;
}
