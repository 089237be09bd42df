package network.sovereign.pouw.adapters.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemException;

/** {@code GET /openapi}: the OpenAPI 3.1 document of the whole HTTP API, as shipped in the jar. */
final class OpenApiHttpService implements HttpService {

    /** The document, next to this class in the jar; {@code ./dev lint-openapi} lints the same file. */
    static final String RESOURCE = "openapi.yaml";

    private final byte[] document;

    OpenApiHttpService() {
        try (InputStream in = OpenApiHttpService.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi", this::send)
                .any("/openapi", (req, res) -> {
                    throw new ProblemException(Problem.methodNotAllowed("GET"));
                });
    }

    private void send(ServerRequest req, ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=UTF-8");
        res.send(document);
    }
}
