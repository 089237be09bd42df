package network.sovereign.pouw.adapters.web.problem;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import network.sovereign.pouw.application.port.out.StoreUnavailableException;

/**
 * Maps every failure of a request to a problem response: the error handlers of a routing (route
 * exceptions, unknown paths) and the direct handlers of the server (malformed requests, oversize
 * bodies). Unexpected exceptions are logged once, at error level, under an incident id that the
 * 500 response names; clients never see an exception message or a stack trace.
 */
public final class ProblemErrorHandling {

    /** What a 503 for an unavailable store asks the client to wait. */
    public static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(ProblemErrorHandling.class.getName());

    private final long maxBodyBytes;

    /**
     * Creates the mapping.
     *
     * @param maxBodyBytes the request body cap, named in 413 responses
     */
    public ProblemErrorHandling(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Registers the error handlers on a routing; routes added later may still register more specific ones. */
    public void install(HttpRouting.Builder routing) {
        routing.error(ProblemException.class, (req, res, e) -> send(req, res, e.problem()))
                .error(StoreUnavailableException.class, this::storeUnavailable)
                .error(HttpException.class, this::httpException)
                .error(Exception.class, this::unexpected);
    }

    /** The server-level handlers for requests that never reach a route (parse errors, oversize bodies). */
    public DirectHandlers directHandlers() {
        DirectHandler handler = new ProblemDirectHandler();
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    /** The problem for an HTTP status that Helidon or a route raised without more to say. */
    Problem forStatus(int code) {
        return switch (code) {
            case 400 -> Problem.badRequest("the request is malformed");
            case 401 -> Problem.unauthorized("missing or invalid credentials");
            case 403 -> Problem.of(403, "not allowed");
            case 404 -> Problem.notFound();
            case 405 -> Problem.of(405, "method not allowed here");
            case 413 -> Problem.payloadTooLarge(maxBodyBytes);
            case 415 -> Problem.of(415, "unsupported Content-Type");
            default -> code >= 400 && code <= 599
                    ? Problem.of(code, Status.create(code).reasonPhrase().toLowerCase(java.util.Locale.ROOT))
                    : Problem.badRequest("the request is malformed");
        };
    }

    private void storeUnavailable(ServerRequest req, ServerResponse res, StoreUnavailableException e) {
        // Expected while the database is down: readiness says so, and the persistence adapter logs one ERROR
        // when the outage starts and one INFO when it ends. Per request only at DEBUG, and no stack trace.
        LOG.log(Level.DEBUG, "store unavailable on {0} {1}: {2}", req.prologue().method().text(),
                req.path().rawPath(), e.getMessage());
        send(req, res, Problem.serviceUnavailable(STORE_RETRY_AFTER));
    }

    private void httpException(ServerRequest req, ServerResponse res, HttpException e) {
        int code = e.status().code();
        if (code >= 500) {
            unexpected(req, res, e);
            return;
        }
        Problem problem = clientSafe(e.getMessage()) && code != 413 ? Problem.of(code, e.getMessage()) : forStatus(code);
        if (code == 408) {
            // The rest of the body may still be on its way: the connection cannot carry another request.
            problem = problem.withHeader("Connection", "close");
        }
        // Headers the raiser attached (e.g. Allow, WWW-Authenticate) belong to the answer.
        for (var header : e.headers()) {
            problem = problem.withHeader(header.name(), header.get());
        }
        send(req, res, problem);
    }

    /**
     * Whether a 4xx exception's message may be shown as the detail: our routes (the admin adapter
     * throws Helidon's exceptions) write them for clients; anything that smells of internals does not.
     */
    static boolean clientSafe(String message) {
        return message != null && !message.isBlank() && message.length() <= 300 && message.indexOf('\n') < 0
                && !message.contains("Exception") && !message.contains("class ") && !message.contains("\tat ");
    }

    private void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        HttpException timeout = requestTimeout(e);
        if (timeout != null) {
            httpException(req, res, timeout);
            return;
        }
        if (clientWentAway(e)) {
            // Anyone can do this at will (send half a body, hang up): never an error line, never a stack trace.
            LOG.log(Level.DEBUG, "client went away during {0} {1}: {2}", req.prologue().method().text(), req.path().rawPath(),
                    String.valueOf(e));
            send(req, res, Problem.badRequest("the request ended before its body was complete").withHeader("Connection", "close"));
            return;
        }
        String incident = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        LOG.log(Level.ERROR, "unexpected error, incident " + incident + ", on "
                + req.prologue().method().text() + " " + req.path().rawPath(), e);
        send(req, res, Problem.internalError(incident));
    }

    /** A 408 (the body deadline) somewhere in the chain, however the entity stream wrapped it. */
    private static HttpException requestTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.status().code() == 408) {
                return http;
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return new HttpException("the request body stalled", io.helidon.http.Status.REQUEST_TIMEOUT_408, t, false);
            }
        }
        return null;
    }

    /**
     * Whether the failure is the client's connection ending (closed, reset, end of stream mid-body) rather
     * than a fault of the node: Helidon's end-of-data and connection exceptions, or socket errors beneath.
     */
    static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.helidon.common.buffers.DataReader.InsufficientDataAvailableException
                    || t instanceof io.helidon.webserver.CloseConnectionException
                    || t instanceof io.helidon.common.socket.SocketWriterException
                    || t instanceof java.net.SocketException
                    || t instanceof java.io.EOFException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void send(ServerRequest req, ServerResponse res, Problem problem) {
        if (res.isSent()) {
            // Too late to change the answer; the failure itself was logged where it was unexpected.
            LOG.log(Level.DEBUG, "response already sent on {0}, dropping problem {1}", req.path().rawPath(), problem.status());
            return;
        }
        ProblemWriter.write(req, res, problem);
    }

    /** Answers connection-level failures with the same problem bodies as the routes do. */
    private final class ProblemDirectHandler implements DirectHandler {

        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                        ServerResponseHeaders headers, Throwable thrown) {
            return handle(request, eventType, status, headers, thrown, LOG);
        }

        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                        ServerResponseHeaders headers, Throwable thrown, System.Logger logger) {
            if (status.code() >= 500 && thrown != null && clientWentAway(thrown)) {
                LOG.log(Level.DEBUG, "client went away during {0} {1}: {2}", request.method(), request.path(), String.valueOf(thrown));
                return ProblemWriter.transportResponse(Problem.badRequest("the request ended before its body was complete"), headers);
            }
            if (status.code() >= 500) {
                String incident = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
                LOG.log(Level.ERROR, "unexpected error, incident " + incident + ", on " + request.method() + " "
                        + request.path(), thrown);
                return ProblemWriter.transportResponse(Problem.internalError(incident), headers);
            }
            return handle(request, eventType, status, headers, (String) null);
        }

        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                        ServerResponseHeaders headers, String message) {
            // Helidon's message may describe parser internals; the problem says only what the client needs.
            if (status.code() >= 500) {
                String incident = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
                LOG.log(Level.ERROR, "server error {0} before routing, incident {1}, on {2} {3}", status.code(), incident,
                        request.method(), request.path());
                return ProblemWriter.transportResponse(Problem.internalError(incident), headers);
            }
            headers.remove(HeaderNames.CONTENT_TYPE);
            return ProblemWriter.transportResponse(forStatus(status.code()), headers);
        }
    }
}
