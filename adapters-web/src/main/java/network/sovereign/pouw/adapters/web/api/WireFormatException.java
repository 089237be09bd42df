package network.sovereign.pouw.adapters.web.api;

/** A request body that cannot be read as the message it should be; the message is safe to show the client. */
final class WireFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    WireFormatException(String message) {
        super(message);
    }
}
