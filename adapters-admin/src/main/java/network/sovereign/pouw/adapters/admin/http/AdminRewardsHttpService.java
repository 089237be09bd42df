package network.sovereign.pouw.adapters.admin.http;

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
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.in.PayoutsUseCase;
import network.sovereign.pouw.application.port.in.PayoutsUseCase.ListResult;
import network.sovereign.pouw.application.port.in.PayoutsUseCase.TransitionCommand;
import network.sovereign.pouw.application.port.in.PayoutsUseCase.TransitionResult;
import network.sovereign.pouw.application.port.out.Payout;
import network.sovereign.pouw.domain.PayoutStatus;

/**
 * The payout routes (SPEC §6), registered under {@code /api/v1/admin}: {@code GET /rewards?epoch=&status=}
 * lists payouts of closed epochs (making the missing rows first), and {@code POST /rewards/{reward_id}/processing},
 * {@code /paid {tx_hash}} and {@code /failed {error?}} settle them; {@code GET /epochs} tells the current and
 * the last closed epoch. Every route needs an admin bearer token.
 */
public final class AdminRewardsHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(AdminRewardsHttpService.class.getName());

    private static final String REWARD_ID = "reward_id";
    private static final int SOV_DECIMALS = 18;

    private final BearerAuthentication authentication;
    private final PayoutsUseCase payouts;

    /**
     * Creates the service.
     *
     * @param authentication the admin bearer check, run before every route of this service
     * @param payouts        lists and settles payouts
     */
    public AdminRewardsHttpService(BearerAuthentication authentication, PayoutsUseCase payouts) {
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.payouts = Objects.requireNonNull(payouts, "payouts");
    }

    @Override
    public void routing(HttpRules rules) {
        // Authentication first, for every path of this service: it cannot be forgotten in the wiring.
        rules.any(authentication)
                .get("/rewards", this::list)
                .get("/epochs", this::epochs)
                .post("/rewards/{reward_id}/processing", (req, res) -> step(req, res, PayoutStatus.PROCESSING))
                .post("/rewards/{reward_id}/paid", (req, res) -> step(req, res, PayoutStatus.PAID))
                .post("/rewards/{reward_id}/failed", (req, res) -> step(req, res, PayoutStatus.FAILED));
    }

    private void epochs(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        PayoutsUseCase.Epochs epochs = payouts.epochs();
        ObjectNode answer = JsonBodies.object()
                .put("current_epoch", epochs.current())
                .put("current_epoch_started_at", epochs.currentStartedAt().toString())
                .put("current_epoch_ends_at", epochs.currentEndsAt().toString())
                .put("epoch_secs", epochs.epochSeconds());
        if (epochs.lastClosed().isPresent()) {
            answer.put("last_closed_epoch", epochs.lastClosed().getAsLong());
        } else {
            answer.putNull("last_closed_epoch");
        }
        JsonBodies.send(res, Status.OK_200, answer);
    }

    private void list(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        int limit = QueryParams.limit(req);
        var epoch = QueryParams.optionalLong(req, "epoch");
        Optional<String> status = QueryParams.optional(req, "status");
        Optional<String> after = QueryParams.cursor(req);
        switch (payouts.list(epoch, status, after, limit)) {
            case ListResult.Listed listed -> {
                Page<Payout> page = listed.page();
                ObjectNode answer = JsonBodies.object();
                ArrayNode items = answer.putArray("items");
                page.items().forEach(payout -> items.add(json(payout)));
                answer.put("next_cursor", page.more() ? QueryParams.encodeCursor(page.items().getLast().rewardId()) : null);
                JsonBodies.send(res, Status.OK_200, answer);
            }
            case ListResult.Invalid invalid -> throw new BadRequestException(invalid.detail());
        }
    }

    private void step(ServerRequest req, ServerResponse res, PayoutStatus target) {
        AdminActor actor = BearerAuthentication.actor(req);
        String rewardId = req.path().pathParameters().get(REWARD_ID);
        Optional<String> txHash = Optional.empty();
        Optional<String> note = Optional.empty();
        if (target == PayoutStatus.PAID) {
            txHash = Optional.of(JsonBodies.requiredString(JsonBodies.readObjectLeniently(req), "tx_hash"));
        } else if (req.content().hasEntity()) {
            ObjectNode body = JsonBodies.readObjectLeniently(req);
            note = JsonBodies.optionalString(body, target == PayoutStatus.FAILED ? "error" : "note");
        }
        TransitionResult result = payouts.transition(new TransitionCommand(rewardId, target, txHash, note, actor.name()));
        switch (result) {
            case TransitionResult.Changed changed -> {
                LOG.log(Level.INFO, "admin {0} by {1} target {2}", "payout_" + target.wireName(), actor.name(), LogText.safe(rewardId));
                JsonBodies.send(res, Status.OK_200, json(changed.payout()));
            }
            case TransitionResult.Unchanged unchanged -> JsonBodies.send(res, Status.OK_200, json(unchanged.payout()));
            case TransitionResult.Invalid invalid -> throw new BadRequestException(invalid.detail());
            case TransitionResult.NotFound notFound -> throw new NotFoundException("no payout has this reward_id");
            case TransitionResult.Conflict conflict -> throw new HttpException(conflict.detail(), Status.CONFLICT_409);
        }
    }

    private static ObjectNode json(Payout payout) {
        return JsonBodies.object()
                .put(REWARD_ID, payout.rewardId())
                .put("client_did", payout.clientDid())
                .put("epoch", payout.epoch())
                .put("amount_atoms", payout.amountAtoms().toString())
                .put("amount_sov", sov(payout.amountAtoms()))
                .put("status", payout.status().wireName())
                .put("tx_hash", payout.txHash().orElse(null))
                .put("created_at", payout.createdAt().toString())
                .put("updated_at", payout.updatedAt().toString());
    }

    /** Atoms as SOV, a plain decimal string without trailing zeros (1 SOV = 10^18 atoms). */
    static String sov(BigInteger atoms) {
        BigDecimal sov = new BigDecimal(atoms, SOV_DECIMALS).stripTrailingZeros();
        return sov.signum() == 0 ? "0" : sov.toPlainString();
    }
}
