package network.sovereign.pouw.bench;

import java.util.Optional;

/**
 * A call to the node that did not give the answer asked for: either the node refused it (then
 * {@link #problem()} says how) or it could not be made or understood at all (then the cause says why).
 */
public final class PouwClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiProblem problem;

    /** The node answered with an error. */
    public PouwClientException(String what, ApiProblem problem) {
        super(what + ": " + problem.summary());
        this.problem = problem;
    }

    /** The call failed before any usable answer. */
    public PouwClientException(String message, Throwable cause) {
        super(message, cause);
        this.problem = null;
    }

    /** The node's error answer, if there was one. */
    public Optional<ApiProblem> problem() {
        return Optional.ofNullable(problem);
    }
}
