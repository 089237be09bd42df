package network.sovereign.pouw.adapters.web.problem;

import io.helidon.common.media.type.MediaType;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Checks a route makes before reading a body, answered with a problem when they fail (415). */
public final class RequestChecks {

    private RequestChecks() {
    }

    /**
     * Throws a 415 problem unless the request's {@code Content-Type} is one of {@code accepted}
     * (parameters such as {@code charset} are ignored); call it before reading the body.
     */
    public static void requireContentType(ServerRequest request, MediaType... accepted) {
        Optional<HttpMediaType> contentType;
        try {
            contentType = request.headers().contentType();
        } catch (RuntimeException malformed) {
            contentType = Optional.empty();
        }
        if (contentType.isPresent()) {
            MediaType actual = contentType.get().mediaType();
            for (MediaType candidate : accepted) {
                if (same(actual.type(), candidate.type()) && same(actual.subtype(), candidate.subtype())) {
                    return;
                }
            }
        }
        String supported = Arrays.stream(accepted).map(MediaType::text).collect(Collectors.joining(", "));
        Problem problem = Problem.unsupportedMediaType(supported);
        // RFC 9110 §15.5.16: a 415 names what the method takes (Accept-Post, RFC 7694's Accept-Patch).
        Method method = request.prologue().method();
        if (Method.POST.equals(method)) {
            problem = problem.withHeader("Accept-Post", supported);
        } else if (Method.PATCH.equals(method)) {
            problem = problem.withHeader("Accept-Patch", supported);
        }
        throw new ProblemException(problem);
    }

    /**
     * Throws a 406 problem when the request's {@code Accept} names none of {@code produced} (nor a
     * wildcard covering it); no {@code Accept}, or one that cannot be parsed, accepts anything.
     * Call it before any work: the answer would be one the client said it cannot read.
     */
    public static void requireAccepted(ServerRequest request, MediaType... produced) {
        boolean accepted;
        try {
            accepted = request.headers().acceptedTypes().isEmpty() || request.headers().isAccepted(produced);
        } catch (RuntimeException malformed) {
            accepted = true;
        }
        if (!accepted) {
            String types = Arrays.stream(produced).map(MediaType::text).collect(Collectors.joining(", "));
            throw new ProblemException(Problem.of(406, "this endpoint answers only " + types
                    + "; the Accept header allows none of them"));
        }
    }

    private static boolean same(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}
