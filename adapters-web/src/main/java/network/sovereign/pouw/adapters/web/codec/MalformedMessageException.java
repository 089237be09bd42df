package network.sovereign.pouw.adapters.web.codec;

/**
 * Thrown when a request body is not a parseable pouw.v1 message; its message is one line fit for a
 * problem response's {@code detail} and it carries neither a cause nor a stack trace.
 */
public final class MalformedMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure with a one-line detail. */
    public MalformedMessageException(String detail) {
        super(detail, null, false, false);
    }
}
