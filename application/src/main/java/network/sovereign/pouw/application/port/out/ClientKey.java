package network.sovereign.pouw.application.port.out;

import java.util.Objects;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.SigScheme;

/**
 * The public key a client DID is enrolled with; the key fixes the signature scheme.
 *
 * @param did       the client's DID
 * @param scheme    the key's scheme
 * @param publicKey the raw public key
 */
public record ClientKey(String did, SigScheme scheme, Bytes publicKey) {

    /** Checks that nothing is null. */
    public ClientKey {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
