package network.sovereign.pouw.adapters.web.problem;

import io.helidon.common.media.type.MediaType;
import io.helidon.http.HttpMediaType;
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
        throw new ProblemException(Problem.unsupportedMediaType(supported));
    }

    private static boolean same(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}
