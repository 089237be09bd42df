package network.sovereign.pouw.adapters.web.problem;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import network.sovereign.pouw.adapters.web.json.JsonWriter;

/** The one writer of {@code application/problem+json} responses (RFC 9457) for every error of the HTTP edge. */
public final class ProblemWriter {

    /** The media type of every error response. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemWriter() {
    }

    /** Sends the problem as the response: status, headers, {@code no-store}, JSON body (none for HEAD). */
    public static void write(ServerRequest request, ServerResponse response, Problem problem) {
        response.status(Status.create(problem.status()));
        response.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        response.header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"));
        problem.headers().forEach((name, value) -> response.header(HeaderNames.create(name), value));
        sendBody(request, response, body(problem));
    }

    /**
     * Sends a body, or for a HEAD request only its length: Helidon 4.5 would otherwise write the body
     * after a HEAD response, which breaks the connection for the client.
     */
    public static void sendBody(ServerRequest request, ServerResponse response, byte[] body) {
        if (Method.HEAD.equals(request.prologue().method())) {
            response.headers().contentLength(body.length);
            response.send();
        } else {
            response.send(body);
        }
    }

    /** The same problem as a connection-level response, for Helidon's direct handlers. */
    static DirectHandler.TransportResponse transportResponse(Problem problem, io.helidon.http.ServerResponseHeaders headers) {
        DirectHandler.TransportResponse.Builder builder = DirectHandler.TransportResponse.builder()
                .status(Status.create(problem.status()))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE)
                .header(HeaderNames.CACHE_CONTROL, "no-store");
        problem.headers().forEach((name, value) -> builder.header(HeaderNames.create(name), value));
        return builder.entity(body(problem)).build();
    }

    /** The JSON body of a problem, UTF-8. */
    public static byte[] body(Problem problem) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", problem.type().toString());
        json.put("title", problem.title());
        json.put("status", problem.status());
        json.put("detail", problem.detail());
        problem.reason().ifPresent(reason -> json.put("reason", reason));
        return JsonWriter.write(json).getBytes(StandardCharsets.UTF_8);
    }
}
