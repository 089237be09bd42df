/**
 * The operator side of the node: the admin API (bearer authentication, client enrolment), scheduled
 * maintenance; dispute resolution, settings overrides and the audit trail as they are built.
 */
// "module not found": bootstrap, the target of every qualified export, is built after this module.
@SuppressWarnings("module")
module network.sovereign.pouw.adapters.admin {
    // Public constructors take use cases (EnrolClientUseCase, BlockDidUseCase, ListAuditUseCase, RunMaintenanceUseCase, ManageSettingsUseCase, ReloadNodeUseCase) and ClientKey.
    requires transitive network.sovereign.pouw.application;
    // The admin services are HttpServices and BearerAuthentication is a Handler, registered by bootstrap.
    requires transitive io.helidon.webserver;
    // HttpException and its subclasses, header names and values, status codes.
    requires io.helidon.http;
    // Request bodies and responses through Jackson's tree model (no data binding, so nothing is opened).
    requires com.fasterxml.jackson.databind;
    // MaintenanceScheduler logs through JUL, like bootstrap's logging set-up.
    requires java.logging;

    // Only the composition root constructs the admin adapters.
    exports network.sovereign.pouw.adapters.admin to network.sovereign.pouw.bootstrap;
    exports network.sovereign.pouw.adapters.admin.http to network.sovereign.pouw.bootstrap;
}
