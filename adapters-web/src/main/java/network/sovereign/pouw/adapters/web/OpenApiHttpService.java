package network.sovereign.pouw.adapters.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemException;
import network.sovereign.pouw.adapters.web.problem.RequestChecks;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code GET /openapi}: the OpenAPI 3.1 document of the whole HTTP API, as shipped in the jar: YAML by
 * default, JSON when the client's {@code Accept} prefers {@code application/json}; 406 when it allows
 * neither.
 */
final class OpenApiHttpService implements HttpService {

    /** The document, next to this class in the jar; {@code ./dev lint-openapi} lints the same file. */
    static final String RESOURCE = "openapi.yaml";

    static final MediaType YAML = MediaTypes.create("application/yaml");

    private final byte[] document;
    private final byte[] json;

    OpenApiHttpService() {
        try (InputStream in = OpenApiHttpService.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json = toJson(new String(document, StandardCharsets.UTF_8));
    }

    /**
     * The same document as JSON. Read with SnakeYAML's safe constructor (plain maps, lists and scalars,
     * no types instantiated), except that a date-like scalar stays the string it is written as: JSON
     * has no dates, and OpenAPI tools read the YAML the same way.
     */
    static byte[] toJson(String yaml) {
        SafeConstructor constructor = new SafeConstructor(new LoaderOptions()) {
            {
                yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            }
        };
        Object tree = new Yaml(constructor).load(yaml);
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document cannot be written as JSON", e);
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
        RequestChecks.requireAccepted(req, YAML, MediaTypes.APPLICATION_JSON);
        boolean asJson = prefersJson(req);
        res.status(Status.OK_200);
        res.header(HeaderNames.VARY, "Accept");
        if (asJson) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(json);
        } else {
            res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=UTF-8");
            res.send(document);
        }
    }

    /** JSON only when asked for above YAML; no {@code Accept}, a wildcard or a tie keeps the YAML. */
    private static boolean prefersJson(ServerRequest req) {
        try {
            if (req.headers().acceptedTypes().isEmpty()) {
                return false;
            }
            return req.headers().bestAccepted(YAML, MediaTypes.APPLICATION_JSON)
                    .map(MediaTypes.APPLICATION_JSON::equals).orElse(false);
        } catch (RuntimeException malformed) {
            return false;
        }
    }
}
