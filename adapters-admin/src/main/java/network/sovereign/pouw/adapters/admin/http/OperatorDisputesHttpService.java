package network.sovereign.pouw.adapters.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.BadRequestException;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase.ChangeResult;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase.Compensation;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase.DisputeDetail;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase.ResolveCommand;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.DisputeCursor;
import network.sovereign.pouw.application.port.out.DisputeEvent;
import network.sovereign.pouw.application.port.out.DisputeResolution;
import network.sovereign.pouw.domain.Did;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.DisputeStatus;

/**
 * The operator's dispute routes (SPEC §4, the runbook's "Dispute Handling"), registered under
 * {@code /api/v1/pouw} beside the client API: {@code GET /disputes}, {@code GET /disputes/{dispute_id}},
 * {@code POST /disputes/{dispute_id}/investigate}, {@code .../resolve} and {@code .../reject}.
 *
 * <p>The client API shares the prefix (clients file disputes with an unauthenticated
 * {@code POST /disputes}), so the bearer check is attached to each operator route by method and path,
 * never to the whole prefix. POST bodies are JSON, also when sent as curl's default form type.
 */
public final class OperatorDisputesHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(OperatorDisputesHttpService.class.getName());

    private static final String ID = "dispute_id";
    private static final String ITEM = "/disputes/{" + ID + "}";
    private static final int SOV_DECIMALS = 18;
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,40}(\\.[0-9]{1,40})?");

    private final BearerAuthentication authentication;
    private final ManageDisputesUseCase disputes;

    /**
     * Creates the service.
     *
     * @param authentication the admin bearer check, run before every route of this service
     * @param disputes       the operator's dispute use cases
     */
    public OperatorDisputesHttpService(BearerAuthentication authentication, ManageDisputesUseCase disputes) {
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.disputes = Objects.requireNonNull(disputes, "disputes");
    }

    @Override
    public void routing(HttpRules rules) {
        // Authentication on each operator route only: a blanket rules.any(...) would also lock out the
        // clients' POST /disputes, /receipts and /challenges registered under the same prefix.
        rules.get("/disputes", authentication, this::list)
                .get(ITEM, authentication, this::detail)
                .post(ITEM + "/investigate", authentication, this::investigate)
                .post(ITEM + "/resolve", authentication, this::resolve)
                .post(ITEM + "/reject", authentication, this::reject);
    }

    private void list(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        Optional<DisputeStatus> status = query(req, "status").map(text -> DisputeStatus.fromWireName(text).orElseThrow(
                () -> new BadRequestException("status must be one of "
                        + Arrays.stream(DisputeStatus.values()).map(DisputeStatus::wireName).toList())));
        Optional<String> clientDid = query(req, "client_did");
        if (clientDid.isPresent() && !Did.isValid(clientDid.get())) {
            throw new BadRequestException("client_did is not a DID");
        }
        int limit = QueryParams.limit(req);
        Optional<DisputeCursor> after = query(req, "cursor").map(OperatorDisputesHttpService::decodeCursor);
        Page<Dispute> page = disputes.list(status, clientDid, after, limit);
        ObjectNode answer = JsonBodies.object();
        ArrayNode items = answer.putArray("items");
        page.items().forEach(dispute -> items.add(json(dispute)));
        answer.put("next_cursor", page.more() ? encodeCursor(DisputeCursor.after(page.items().getLast())) : null);
        JsonBodies.send(res, Status.OK_200, answer);
    }

    private void detail(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        DisputeDetail detail = disputes.detail(id(req)).orElseThrow(() -> new NotFoundException("no such dispute"));
        ObjectNode answer = json(detail.dispute());
        ArrayNode events = answer.putArray("events");
        for (DisputeEvent event : detail.events()) {
            events.addObject()
                    .put("from_status", event.from().map(DisputeStatus::wireName).orElse(null))
                    .put("to_status", event.to().wireName())
                    .put("actor", event.actor())
                    .put("note", event.note().orElse(null))
                    .put("at", event.at().toString());
        }
        JsonBodies.send(res, Status.OK_200, answer);
    }

    private void investigate(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        Optional<String> note = req.content().hasEntity()
                ? JsonBodies.optionalString(JsonBodies.readObjectLeniently(req), "note") : Optional.empty();
        answer(res, "investigate_dispute", actor, id(req), disputes.investigate(id(req), note, actor.name()));
    }

    private void resolve(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        ObjectNode body = JsonBodies.readObjectLeniently(req);
        ResolveCommand command = new ResolveCommand(id(req), JsonBodies.requiredString(body, "resolution_type"),
                JsonBodies.requiredString(body, "explanation"), compensation(body), actor.name());
        answer(res, "resolve_dispute", actor, command.disputeId(), disputes.resolve(command));
    }

    private void reject(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        ObjectNode body = JsonBodies.readObjectLeniently(req);
        String explanation = JsonBodies.requiredString(body, "explanation");
        answer(res, "reject_dispute", actor, id(req), disputes.reject(id(req), explanation, actor.name()));
    }

    private static void answer(ServerResponse res, String action, AdminActor actor, String disputeId, ChangeResult result) {
        switch (result) {
            case ChangeResult.Changed changed -> {
                LOG.log(Level.INFO, "operator {0} by {1} target {2} status {3}", action, actor.name(), LogText.safe(disputeId),
                        changed.dispute().status().wireName());
                JsonBodies.send(res, Status.OK_200, json(changed.dispute()));
            }
            case ChangeResult.NotFound notFound -> throw new NotFoundException("no such dispute");
            case ChangeResult.Conflict conflict -> throw new HttpException(conflict.detail(), Status.CONFLICT_409);
            case ChangeResult.Invalid invalid -> throw new BadRequestException(invalid.detail());
        }
    }

    /** {@code compensation: {amount, currency}}; amount a JSON number or a decimal string, exactly as written. */
    private static Optional<Compensation> compensation(ObjectNode body) {
        JsonNode node = body.get("compensation");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new BadRequestException("\"compensation\" must be an object {amount, currency}");
        }
        JsonNode amount = node.get("amount");
        BigDecimal value;
        if (amount != null && amount.isIntegralNumber()) {
            value = new BigDecimal(amount.bigIntegerValue());
        } else if (amount != null && amount.isBigDecimal()) {
            value = amount.decimalValue();
        } else if (amount != null && amount.isTextual() && DECIMAL.matcher(amount.textValue()).matches()) {
            value = new BigDecimal(amount.textValue());
        } else {
            throw new BadRequestException("\"compensation.amount\" must be a positive SOV amount: a JSON number or a decimal string");
        }
        return Optional.of(new Compensation(value, JsonBodies.requiredString((ObjectNode) node, "currency")));
    }

    /** The dispute JSON of the API. */
    static ObjectNode json(Dispute dispute) {
        ObjectNode json = JsonBodies.object()
                .put(ID, dispute.disputeId())
                .put("client_did", dispute.clientDid())
                .put("receipt_id", dispute.receiptId().orElse(null))
                .put("dispute_type", dispute.type().wireName())
                .put("description", dispute.description())
                .put("status", dispute.status().wireName())
                .put("created_at", dispute.createdAt().toString());
        if (dispute.resolution().isEmpty()) {
            json.putNull("resolution");
            return json;
        }
        DisputeResolution resolution = dispute.resolution().get();
        ObjectNode r = json.putObject("resolution")
                .put("resolution_type", resolution.type().map(DisputeResolutionType::wireName).orElse(null))
                .put("explanation", resolution.explanation());
        if (resolution.compensationAtoms().isPresent()) {
            BigInteger atoms = resolution.compensationAtoms().get();
            r.putObject("compensation")
                    .put("amount", new BigDecimal(atoms, SOV_DECIMALS).stripTrailingZeros().toPlainString())
                    .put("currency", "SOV")
                    .put("amount_atoms", atoms.toString());
        } else {
            r.putNull("compensation");
        }
        r.put("resolved_by", resolution.resolvedBy()).put("resolved_at", resolution.resolvedAt().toString());
        return json;
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get(ID);
    }

    private static Optional<String> query(ServerRequest req, String name) {
        return req.query().contains(name) ? Optional.of(req.query().get(name)).filter(v -> !v.isEmpty()) : Optional.empty();
    }

    static String encodeCursor(DisputeCursor cursor) {
        return QueryParams.encodeCursor(cursor.createdAt() + "|" + cursor.disputeId());
    }

    static DisputeCursor decodeCursor(String cursor) {
        String key = QueryParams.decodeCursor(cursor);
        int bar = key.indexOf('|');
        if (bar > 0 && bar < key.length() - 1) {
            return new DisputeCursor(QueryParams.cursorInstant(key.substring(0, bar)), key.substring(bar + 1));
        }
        throw QueryParams.badCursor();
    }
}
