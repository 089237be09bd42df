package network.sovereign.pouw.adapters.admin.http;

import io.helidon.http.ForbiddenException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.http.UnauthorizedException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Helidon handler in front of every admin (and operator) route, SPEC §8: no
 * {@code Authorization: Bearer} credentials → 401 with {@code WWW-Authenticate: Bearer}; a token that
 * is not one of {@link AdminTokens} → 403; otherwise the token's name is stored in the request
 * context as the {@link AdminActor} and the request goes on to the next route.
 */
public final class BearerAuthentication implements Handler {

    private static final System.Logger LOG = System.getLogger(BearerAuthentication.class.getName());

    /** Only this class can register or find the actor, so nothing else in the server can plant one. */
    private static final Object ACTOR_KEY = new Object();

    private static final String SCHEME = "Bearer";

    private final AdminTokens tokens;
    private final AuthFailureThrottle throttle;

    /** Authenticates against these tokens, allowing 20 wrong tokens per address a minute. */
    public BearerAuthentication(AdminTokens tokens) {
        this(tokens, new AuthFailureThrottle(20, java.time.Duration.ofMinutes(1)));
    }

    /** Authenticates against these tokens; wrong tokens are counted per address by the throttle. */
    public BearerAuthentication(AdminTokens tokens, AuthFailureThrottle throttle) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    /**
     * The actor this handler authenticated for the request.
     *
     * @throws UnauthorizedException (401) when the request did not pass through this handler, so a
     *                               route wired without authentication fails closed
     */
    public static AdminActor actor(ServerRequest request) {
        return request.context().get(ACTOR_KEY, AdminActor.class).orElseThrow(() -> unauthorized());
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (req.context().get(ACTOR_KEY, AdminActor.class).isPresent()) {
            // Several admin services share the /api/v1/admin prefix, each guarding its own routes:
            // the first one that saw this request has checked the token already.
            res.next();
            return;
        }
        String token = bearerToken(req).orElseThrow(BearerAuthentication::unauthorized);
        String address = req.remotePeer().host();
        OptionalLong retryAfter = throttle.throttled(address);
        if (retryAfter.isPresent()) {
            // Not even looked at: an address that has sent too many wrong tokens waits out its window.
            throw new HttpException("too many invalid admin tokens from this address; retry in " + retryAfter.getAsLong() + " s",
                    Status.TOO_MANY_REQUESTS_429, true)
                    .header(HeaderValues.create(HeaderNames.RETRY_AFTER, Long.toString(retryAfter.getAsLong())));
        }
        Optional<String> name = tokens.nameOf(token);
        if (name.isEmpty()) {
            String where = req.prologue().method().text() + " " + LogText.safe(req.path().absolute().rawPath());
            switch (throttle.failed(address)) {
                case LOG_FIRST -> {
                    long suppressed = throttle.takeSuppressed();
                    LOG.log(Level.WARNING, "admin API: rejected an invalid bearer token from {0} on {1}; further ones from this"
                            + " address are counted, not logged, and {2} wrong tokens throttle it for the window{3}",
                            address, where, throttle.maxFailures(), suppressed == 0 ? "" : " (" + suppressed
                                    + " other addresses with invalid tokens were not logged in the previous window)");
                }
                case LOG_THROTTLED -> LOG.log(Level.WARNING, "admin API: {0} invalid bearer tokens from {1}; its admin requests get 429"
                        + " until its window ends", throttle.maxFailures(), address);
                case QUIET -> LOG.log(Level.DEBUG, "admin API: rejected an invalid bearer token from {0} on {1}", address, where);
            }
            throw new ForbiddenException("the bearer token is not valid");
        }
        req.context().register(ACTOR_KEY, new AdminActor(name.get()));
        res.next();
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive, RFC 9110 §11.1). */
    static Optional<String> bearerToken(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        int space = value.indexOf(' ');
        if (space != SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static HttpException unauthorized() {
        return new UnauthorizedException("this endpoint needs Authorization: Bearer <admin token>")
                .header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, SCHEME));
    }
}
