package network.sovereign.pouw.adapters.admin.http;

import java.util.Objects;

/**
 * Who is acting on an admin request: the name of the bearer token it presented (never the token),
 * recorded as the "who" of every admin action and audit event.
 *
 * @param name the token's name, e.g. {@code admin} or {@code alice}
 */
public record AdminActor(String name) {

    /** Checks that the name is present. */
    public AdminActor {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an admin actor has a name");
        }
    }
}
