package network.sovereign.pouw.adapters.admin.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.BadRequestException;
import io.helidon.http.ForbiddenException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase.EnrolClientCommand;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase.EnrolmentResult;
import network.sovereign.pouw.domain.Bytes;

/**
 * The admin routes for clients, registered under {@code /api/v1/admin}: {@code POST /clients}
 * enrols a DID or rotates its key (201 when new, 200 when rotated), {@code GET /clients/{did}} shows
 * an enrolled client (404 when unknown). Every route needs an admin bearer token.
 */
public final class AdminClientsHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(AdminClientsHttpService.class.getName());

    private static final String DID = "did";
    private static final String SIG_SCHEME = "sig_scheme";
    private static final String PUBLIC_KEY = "public_key";

    private final BearerAuthentication authentication;
    private final EnrolClientUseCase enrolment;
    private final ClientLookup clients;

    /**
     * Creates the service.
     *
     * @param authentication the admin bearer check, run before every route of this service
     * @param enrolment      enrols or rotates ({@link EnrolClientUseCase#enrolByAdmin})
     * @param clients        reads an enrolled client
     */
    public AdminClientsHttpService(BearerAuthentication authentication, EnrolClientUseCase enrolment, ClientLookup clients) {
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.enrolment = Objects.requireNonNull(enrolment, "enrolment");
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public void routing(HttpRules rules) {
        // Authentication first, for every path of this service: it cannot be forgotten in the wiring.
        rules.any(authentication)
                .post("/clients", this::enrol)
                .get("/clients/{did}", this::show);
    }

    private void enrol(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        ObjectNode body = JsonBodies.readObject(req);
        String did = JsonBodies.requiredString(body, DID);
        String sigScheme = JsonBodies.requiredString(body, SIG_SCHEME);
        Bytes publicKey = hex(JsonBodies.requiredString(body, PUBLIC_KEY), PUBLIC_KEY);

        EnrolmentResult result = enrolment.enrolByAdmin(new EnrolClientCommand(did, sigScheme, publicKey, Optional.empty()), actor.name());
        switch (result) {
            case EnrolmentResult.Enrolled enrolled -> {
                String action = enrolled.created() ? "enrol_client" : "rotate_client_key";
                // The audit trail has it (enrol_client, written with the enrolment); this INFO line too. No key, no token.
                LOG.log(Level.INFO, "admin {0} by {1} target {2}", action, actor.name(), LogText.safe(enrolled.did()));
                ObjectNode answer = JsonBodies.object()
                        .put(DID, enrolled.did())
                        .put(SIG_SCHEME, sigScheme)
                        .put(PUBLIC_KEY, publicKey.hex())
                        .put("created", enrolled.created());
                if (enrolled.created()) {
                    res.header(HeaderValues.create(HeaderNames.LOCATION,
                            req.path().absolute().rawPath() + "/" + pathSegment(enrolled.did())));
                }
                JsonBodies.send(res, enrolled.created() ? Status.CREATED_201 : Status.OK_200, answer);
            }
            case EnrolmentResult.Refused refused -> throw switch (refused.refusal()) {
                case INVALID_REQUEST, INVALID_PROOF -> new BadRequestException(refused.detail());
                // Not expected for an admin enrolment; answered as what it says.
                case ENROLMENT_CLOSED -> new ForbiddenException(refused.detail());
                // Self-enrolment only: an admin enrolment rotates keys and has no admission gate.
                case KEY_CONFLICT, RATE_LIMITED -> new IllegalStateException("an admin enrolment was refused as " + refused.refusal());
            };
        }
    }

    private void show(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        String did = req.path().pathParameters().get(DID);
        ClientView client = clients.find(did).orElseThrow(() -> new NotFoundException("no client is enrolled under this DID"));
        ObjectNode answer = JsonBodies.object()
                .put(DID, client.did())
                .put(SIG_SCHEME, client.sigScheme())
                .put(PUBLIC_KEY, client.publicKey().hex())
                .put("blocked", client.blocked());
        JsonBodies.send(res, Status.OK_200, answer);
    }

    private static Bytes hex(String text, String field) {
        try {
            return Bytes.fromHex(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("\"" + field + "\" must be hex: an even number of 0-9 a-f A-F digits");
        }
    }

    /** Percent-encodes a DID for a path segment, keeping RFC 3986 pchar characters (so {@code did:x:y} stays readable). */
    static String pathSegment(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:@!$&'()*+,;=".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }
}
