package network.sovereign.pouw.bootstrap.config;

/**
 * A configuration value that cannot be used; the message is the one line start-up prints, and it
 * always names the setting.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    /** A bad value of {@code setting}, with a reason that says what is expected. */
    public ConfigException(String setting, String reason) {
        super(setting + ": " + reason);
        this.setting = setting;
    }

    /** The name of the setting at fault (e.g. {@code POUW_HTTP_PORT}). */
    public String setting() {
        return setting;
    }
}
