package network.sovereign.pouw.adapters.web.problem;

import java.util.Objects;

/**
 * Thrown by a route to answer with a problem: the error handlers installed by
 * {@link ProblemErrorHandling} write it as is. Carries no stack trace; it is control flow, not a bug.
 */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    /** Wraps the problem to answer with. */
    public ProblemException(Problem problem) {
        super(Objects.requireNonNull(problem, "problem").detail(), null, false, false);
        this.problem = problem;
    }

    /** The problem to answer with. */
    public Problem problem() {
        return problem;
    }
}
