package network.sovereign.pouw.application.port.in;

/** Reloads the configuration and TLS material on demand ({@code POST /api/v1/admin/reload}). */
public interface ReloadNodeUseCase {

    /** The outcome of a reload. */
    sealed interface ReloadResult {
        /** The new configuration and TLS material are in use. */
        record Reloaded() implements ReloadResult {
        }

        /** The new material was refused; the running configuration is kept. */
        record Failed(String detail) implements ReloadResult {
        }
    }

    /**
     * Reloads now and records it in the audit trail as {@code reload}.
     *
     * @param actor the admin token's name
     */
    ReloadResult reload(String actor);
}
