package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Optional;

/**
 * Enrolled clients and blocks, shared by every node through the database. Implementations throw
 * {@link StoreUnavailableException} when they cannot answer.
 */
public interface ClientDirectory {

    /** The client's current key, if the DID is enrolled. */
    Optional<ClientKey> findKey(String did);

    /** True when the DID is blocked now. */
    boolean isBlocked(String did);

    /**
     * Enrols the DID with this key, or rotates its key (the old one is kept in the key history).
     *
     * @return true when the DID was new, false when its key was rotated or re-enrolled unchanged
     */
    boolean enrol(ClientKey key, Instant at);
}
