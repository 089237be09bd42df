package network.sovereign.pouw.adapters.admin.http;

import java.util.Optional;

/**
 * Finds an enrolled client for the admin API; bootstrap implements it over the client directory,
 * e.g. {@code did -> directory.findKey(did).map(key -> ClientView.from(key, directory.isBlocked(did)))}.
 */
@FunctionalInterface
public interface ClientLookup {

    /** The client enrolled under this DID, if any. */
    Optional<ClientView> find(String did);
}
