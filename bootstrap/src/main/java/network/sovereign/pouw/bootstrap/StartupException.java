package network.sovereign.pouw.bootstrap;

/**
 * Start-up cannot go on (database unreachable, key file unusable, port taken); the message is the
 * one line printed, and names the setting to look at.
 */
final class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitStatus;

    StartupException(String message, int exitStatus, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    int exitStatus() {
        return exitStatus;
    }
}
