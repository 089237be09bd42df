/**
 * The persistence adapter: the node's driven storage ports on PostgreSQL or embedded H2, written
 * with jOOQ, the schema migrated by Liquibase, connections pooled by HikariCP. Only
 * {@code network.sovereign.pouw.adapters.persistence} is visible, and only to the composition root.
 */
module network.sovereign.pouw.adapters.persistence {
    // Our public API hands out application ports (ClientDirectory, ChallengeStore, ReceiptLedger, RetentionStore, BlockList, AdminAudit,
    // DisputeStore, ClientHistoryStore, PayoutStore, SettingsStore, HealthIndicator).
    requires transitive network.sovereign.pouw.application;

    requires java.sql;
    requires org.jooq;
    requires com.zaxxer.hikari;
    // Automatic module (Automatic-Module-Name in liquibase-core's manifest).
    requires liquibase.core;
    // The JDBC drivers are automatic modules that no code of ours names; requiring them makes sure they
    // are resolved, so DriverManager finds them through their META-INF/services entries.
    requires org.postgresql.jdbc;
    requires com.h2database;

    // Only the composition root opens the database and wires the ports.
    exports network.sovereign.pouw.adapters.persistence to network.sovereign.pouw.bootstrap;

    // jOOQ creates the generated records reflectively for typed fetches (selectFrom, fetchInto, ...).
    // The generated package itself is never exported.
    opens network.sovereign.pouw.adapters.persistence.jooq.tables.records to org.jooq;
}
