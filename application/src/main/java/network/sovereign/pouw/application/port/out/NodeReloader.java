package network.sovereign.pouw.application.port.out;

/**
 * Re-reads the node's configuration file and TLS material and applies what can change at runtime
 * (what SIGHUP and {@code systemctl reload} do). The composition root implements it.
 */
@FunctionalInterface
public interface NodeReloader {

    /**
     * Reloads; returns once the new material is in use.
     *
     * @throws RuntimeException with a message naming the setting when the new configuration or TLS
     *                          material cannot be used; the running one is then kept
     */
    void reload();
}
