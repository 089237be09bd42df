/**
 * Entry point of the persistence adapter for the composition root: {@link
 * network.sovereign.pouw.adapters.persistence.Persistence#migrate migrate} the schema, {@link
 * network.sovereign.pouw.adapters.persistence.Persistence#start start} the pool, then take the port
 * implementations, the database health indicator and the pool statistics from the started {@link
 * network.sovereign.pouw.adapters.persistence.Persistence}.
 */
package network.sovereign.pouw.adapters.persistence;
