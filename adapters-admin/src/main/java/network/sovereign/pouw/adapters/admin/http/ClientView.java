package network.sovereign.pouw.adapters.admin.http;

import java.util.Objects;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.domain.Bytes;

/**
 * What {@code GET /api/v1/admin/clients/{did}} shows of an enrolled client: its current key and
 * whether it is blocked.
 *
 * @param did       the client's DID
 * @param sigScheme the key's {@code sig_scheme} string, e.g. {@code ed25519}
 * @param publicKey the raw public key, rendered as lowercase hex
 * @param blocked   true while the DID is blocked (a blocked DID stays enrolled, SPEC §5)
 */
public record ClientView(String did, String sigScheme, Bytes publicKey, boolean blocked) {

    /** Checks that nothing is null. */
    public ClientView {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(sigScheme, "sigScheme");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** The view of a client directory entry. */
    public static ClientView from(ClientKey key, boolean blocked) {
        return new ClientView(key.did(), key.scheme().wireName(), key.publicKey(), blocked);
    }
}
