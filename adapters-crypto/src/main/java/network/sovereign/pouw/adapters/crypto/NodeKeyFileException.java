package network.sovereign.pouw.adapters.crypto;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The node key file cannot be used: unreadable, corrupt, too widely readable, or holding another scheme
 * than the one configured. The message is one line that names the file and never contains the secret.
 */
public final class NodeKeyFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    NodeKeyFileException(Path file, String problem) {
        this(file, problem, null);
    }

    NodeKeyFileException(Path file, String problem, Throwable cause) {
        super("node key file " + Objects.requireNonNull(file, "file") + " " + problem, cause);
        this.file = file;
    }

    /** The key file concerned. */
    public Path file() {
        return file;
    }
}
