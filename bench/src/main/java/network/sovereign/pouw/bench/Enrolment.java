package network.sovereign.pouw.bench;

import java.util.Objects;

/**
 * The node's answer to an admin enrolment ({@code POST /api/v1/admin/clients}).
 *
 * @param did       the enrolled DID
 * @param sigScheme the scheme of the key now bound to it
 * @param created   true for a new client (201), false when an enrolled client's key was rotated (200)
 */
public record Enrolment(String did, String sigScheme, boolean created) {

    /** Checks that nothing is null. */
    public Enrolment {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(sigScheme, "sigScheme");
    }
}
