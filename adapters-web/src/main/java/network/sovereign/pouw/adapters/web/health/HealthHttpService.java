package network.sovereign.pouw.adapters.web.health;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import network.sovereign.pouw.adapters.web.json.JsonWriter;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemException;
import network.sovereign.pouw.adapters.web.problem.ProblemWriter;

/**
 * {@code GET /health/live}, {@code GET /health/ready} and {@code GET /health} (no authentication):
 * runs the helidon-health checks and renders our JSON, 200 when UP and 503 otherwise, never cached.
 */
public final class HealthHttpService implements HttpService {

    private final HealthCheck liveness;
    private final HealthCheck readiness;
    private final HealthCheck components;

    /** Serves the given checks. */
    public HealthHttpService(NodeHealthChecks checks) {
        Objects.requireNonNull(checks, "checks");
        this.liveness = checks.liveness();
        this.readiness = checks.readiness();
        this.components = checks.components();
    }

    @Override
    public void routing(HttpRules rules) {
        // HEAD too: load balancers and curl -I probe with it.
        rules.get("/health/live", (req, res) -> sendChecks(req, res, liveness))
                .head("/health/live", (req, res) -> sendChecks(req, res, liveness))
                .get("/health/ready", (req, res) -> sendChecks(req, res, readiness))
                .head("/health/ready", (req, res) -> sendChecks(req, res, readiness))
                .get("/health", this::sendReport)
                .head("/health", this::sendReport)
                .any("/health/live", HealthHttpService::methodNotAllowed)
                .any("/health/ready", HealthHttpService::methodNotAllowed)
                .any("/health", HealthHttpService::methodNotAllowed);
    }

    private static void methodNotAllowed(ServerRequest req, ServerResponse res) {
        throw new ProblemException(Problem.methodNotAllowed("GET, HEAD"));
    }

    /** Liveness and readiness: {@code {"status":"UP|DOWN","checks":[{"name":..,"status":..}]}}. */
    private static void sendChecks(ServerRequest req, ServerResponse res, HealthCheck check) {
        HealthCheckResponse response = check.call();
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("name", check.name());
        one.put("status", response.status().name());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", response.status().name());
        body.put("checks", List.of(one));
        send(req, res, response.status(), body);
    }

    /** The component report: the check's details, in the order of SPEC §4. */
    private void sendReport(ServerRequest req, ServerResponse res) {
        HealthCheckResponse response = components.call();
        Map<String, Object> body = new LinkedHashMap<>();
        for (String key : NodeHealthChecks.REPORT_KEYS) {
            body.put(key, response.details().get(key));
        }
        send(req, res, response.status(), body);
    }

    private static void send(ServerRequest req, ServerResponse res, HealthCheckResponse.Status status,
                             Map<String, ?> body) {
        res.status(status == HealthCheckResponse.Status.UP ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ProblemWriter.sendBody(req, res, JsonWriter.write(body).getBytes(StandardCharsets.UTF_8));
    }
}
