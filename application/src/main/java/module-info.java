/**
 * Use cases of the node: the driving ports ({@code port.in}), the driven ports ({@code port.out})
 * and the services that implement the use cases. Depends on the domain only.
 */
module network.sovereign.pouw.application {
    // Port signatures expose domain types, so every user of the ports needs the domain too.
    requires transitive network.sovereign.pouw.domain;

    exports network.sovereign.pouw.application.port.in;
    exports network.sovereign.pouw.application.port.out;
    exports network.sovereign.pouw.application.service;
}
