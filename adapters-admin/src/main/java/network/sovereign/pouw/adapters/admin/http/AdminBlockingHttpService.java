package network.sovereign.pouw.adapters.admin.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.BadRequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.BlockDidUseCase;
import network.sovereign.pouw.application.port.in.BlockDidUseCase.BlockDidCommand;
import network.sovereign.pouw.application.port.in.BlockDidUseCase.BlockResult;
import network.sovereign.pouw.application.port.in.BlockDidUseCase.UnblockResult;
import network.sovereign.pouw.application.port.in.ListAuditUseCase;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.AuditEvent;
import network.sovereign.pouw.application.port.out.BlockedDid;

/**
 * The admin routes for blocking and the audit trail, registered under {@code /api/v1/admin}:
 * {@code POST /block-did}, {@code POST /unblock-did}, {@code GET /blocked-dids} and {@code GET /audit}.
 * Every route needs an admin bearer token, whose name is the actor; POST bodies are JSON, also when sent
 * without a content type or as curl's default form type (the runbook's {@code curl -d}).
 */
public final class AdminBlockingHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(AdminBlockingHttpService.class.getName());

    private static final String DID = "did";
    private static final String REASON = "reason";

    private final BearerAuthentication authentication;
    private final BlockDidUseCase blocking;
    private final ListAuditUseCase audit;

    /**
     * Creates the service.
     *
     * @param authentication the admin bearer check, run before every route of this service
     * @param blocking       blocks, unblocks and lists blocked DIDs
     * @param audit          reads the audit trail
     */
    public AdminBlockingHttpService(BearerAuthentication authentication, BlockDidUseCase blocking, ListAuditUseCase audit) {
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public void routing(HttpRules rules) {
        // Authentication first, for every path of this service: it cannot be forgotten in the wiring.
        rules.any(authentication)
                .post("/block-did", this::block)
                .post("/unblock-did", this::unblock)
                .get("/blocked-dids", this::blocked)
                .get("/audit", this::audit);
    }

    private void block(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        ObjectNode body = JsonBodies.readObjectLeniently(req);
        BlockDidCommand command = new BlockDidCommand(JsonBodies.requiredString(body, DID),
                JsonBodies.optionalString(body, REASON), actor.name());
        switch (blocking.block(command)) {
            case BlockResult.Blocked blocked -> {
                LOG.log(Level.INFO, "admin block_did by {0} target {1}{2}", actor.name(), LogText.safe(blocked.did()),
                        blocked.alreadyBlocked() ? " (already blocked)" : "");
                JsonBodies.send(res, Status.OK_200, JsonBodies.object()
                        .put(DID, blocked.did())
                        .put("blocked", true)
                        .put("already_blocked", blocked.alreadyBlocked()));
            }
            case BlockResult.Invalid invalid -> throw new BadRequestException(invalid.detail());
        }
    }

    private void unblock(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        ObjectNode body = JsonBodies.readObjectLeniently(req);
        BlockDidCommand command = new BlockDidCommand(JsonBodies.requiredString(body, DID),
                JsonBodies.optionalString(body, REASON), actor.name());
        switch (blocking.unblock(command)) {
            case UnblockResult.Unblocked unblocked -> {
                LOG.log(Level.INFO, "admin unblock_did by {0} target {1}{2}", actor.name(), LogText.safe(unblocked.did()),
                        unblocked.wasBlocked() ? "" : " (was not blocked)");
                JsonBodies.send(res, Status.OK_200, JsonBodies.object()
                        .put(DID, unblocked.did())
                        .put("blocked", false)
                        .put("was_blocked", unblocked.wasBlocked()));
            }
            case UnblockResult.Invalid invalid -> throw new BadRequestException(invalid.detail());
        }
    }

    private void blocked(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        int limit = QueryParams.limit(req);
        Optional<String> after = QueryParams.cursor(req);
        Page<BlockedDid> page = blocking.blocked(after, limit);
        ObjectNode answer = JsonBodies.object();
        ArrayNode items = answer.putArray("items");
        for (BlockedDid blocked : page.items()) {
            items.addObject()
                    .put(DID, blocked.did())
                    .put(REASON, blocked.reason().orElse(null))
                    .put("blocked_by", blocked.blockedBy())
                    .put("blocked_at", blocked.blockedAt().toString());
        }
        answer.put("next_cursor", page.more() ? QueryParams.encodeCursor(page.items().getLast().did()) : null);
        JsonBodies.send(res, Status.OK_200, answer);
    }

    private void audit(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        int limit = QueryParams.limit(req);
        OptionalLong before = QueryParams.cursor(req).map(AdminBlockingHttpService::auditId)
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        Page<AuditEvent> page = audit.list(before, limit);
        ObjectNode answer = JsonBodies.object();
        ArrayNode items = answer.putArray("items");
        for (AuditEvent event : page.items()) {
            items.addObject()
                    .put("actor", event.entry().actor())
                    .put("action", event.entry().action())
                    .put("target", event.entry().target().orElse(null))
                    .put(REASON, event.entry().reason().orElse(null))
                    .put("details", event.entry().details().orElse(null))
                    .put("at", event.entry().at().toString());
        }
        answer.put("next_cursor", page.more() ? QueryParams.encodeCursor(Long.toString(page.items().getLast().id())) : null);
        JsonBodies.send(res, Status.OK_200, answer);
    }

    private static long auditId(String key) {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw QueryParams.badCursor();
        }
    }
}
