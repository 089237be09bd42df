package network.sovereign.pouw.adapters.web.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemException;

/**
 * {@code GET /metrics} on the metrics socket: the Prometheus text of {@link HelidonProtocolMetrics},
 * behind {@code Authorization: Bearer <token>} when a metrics token is configured (compared in
 * constant time; 401 problem without it or with a wrong one).
 */
public final class MetricsHttpService implements HttpService {

    private static final String BEARER = "bearer ";

    private final HelidonProtocolMetrics metrics;
    private final Optional<byte[]> tokenDigest;

    /**
     * Serves the metrics.
     *
     * @param metrics the registry to render
     * @param token   the bearer token scrapers must send, if any
     */
    public MetricsHttpService(HelidonProtocolMetrics metrics, Optional<String> token) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.tokenDigest = token.map(MetricsHttpService::sha256);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::scrape)
                .any("/metrics", (req, res) -> {
                    throw new ProblemException(Problem.methodNotAllowed("GET"));
                });
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        tokenDigest.ifPresent(expected -> authorize(req, expected));
        res.header(HeaderNames.CONTENT_TYPE, HelidonProtocolMetrics.CONTENT_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static void authorize(ServerRequest req, byte[] expected) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() || !header.get().toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            throw new ProblemException(Problem.unauthorized("a bearer token is required for /metrics"));
        }
        String presented = header.get().substring(BEARER.length()).trim();
        // Digests first, so the comparison takes the same time whatever the presented token's length.
        if (!MessageDigest.isEqual(expected, sha256(presented))) {
            throw new ProblemException(Problem.unauthorized("the bearer token is not valid for /metrics"));
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
