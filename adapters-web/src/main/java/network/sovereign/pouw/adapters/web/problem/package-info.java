/**
 * RFC 9457 problem responses: the {@link network.sovereign.pouw.adapters.web.problem.Problem} value,
 * the one {@link network.sovereign.pouw.adapters.web.problem.ProblemWriter}, the exception routes throw to
 * answer with a problem, and the error handling that turns every failure into one.
 */
package network.sovereign.pouw.adapters.web.problem;
