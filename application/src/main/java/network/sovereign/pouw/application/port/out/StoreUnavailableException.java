package network.sovereign.pouw.application.port.out;

/**
 * The one failure a driven store reports when it cannot answer (database down, pool exhausted,
 * timeout). Callers answer "try again later" and never treat it as a negative answer.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Wraps the adapter's failure. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
