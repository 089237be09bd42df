package network.sovereign.pouw.adapters.admin.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.OperatorReadsUseCase;
import network.sovereign.pouw.application.port.in.OperatorReadsUseCase.ClientHistory;
import network.sovereign.pouw.application.port.in.OperatorReadsUseCase.EpochPayable;
import network.sovereign.pouw.application.port.in.OperatorReadsUseCase.HistoryResult;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.BlockEvent;
import network.sovereign.pouw.application.port.out.DisputeSummary;
import network.sovereign.pouw.application.port.out.HistoryCursor;
import network.sovereign.pouw.application.port.out.ReceiptHistoryItem;
import network.sovereign.pouw.application.port.out.ReceiptRecord;
import network.sovereign.pouw.domain.Bytes;

/**
 * The operator's read routes, registered under {@code /api/v1/pouw} beside the client API:
 * {@code GET /receipts/{receipt_id}} and {@code GET /clients/{client_did}/history[?format=csv]}.
 * The bearer check is attached to exactly these method+path routes, never to the shared prefix, so
 * the client routes there ({@code POST /receipts}, {@code POST /clients}, ...) stay open.
 *
 * <p>The JSON history pages its receipts ({@code limit}, {@code cursor}) and lists at most
 * {@value #LIST_LIMIT} of the newest rewards, disputes and block events; the CSV export holds the
 * whole receipt history (read in pages of {@value #LIST_LIMIT}, written as it is read) and up to
 * {@value #CSV_LIST_LIMIT} of the others.
 */
public final class OperatorReadsHttpService implements HttpService {

    /** How many rewards, disputes and block events the JSON history lists. */
    static final int LIST_LIMIT = Page.MAX_LIMIT;
    /** How many rewards, disputes and block events the CSV export holds. */
    static final int CSV_LIST_LIMIT = 100_000;

    /** The CSV export's columns; each row fills those that apply to its kind. */
    static final List<String> CSV_COLUMNS = List.of("kind", "id", "at", "outcome", "reason", "proof_type", "bytes_verified", "epoch",
            "amount_atoms", "receipt_atoms", "capped_receipt_atoms", "compensation_atoms", "status", "dispute_type", "resolved_at",
            "action", "actor");

    private static final String RECEIPT_ID = "receipt_id";
    private static final String CLIENT_DID = "client_did";
    private static final String ACCEPTED = "accepted";
    private static final String REJECTED = "rejected";

    private final BearerAuthentication authentication;
    private final OperatorReadsUseCase reads;

    /**
     * Creates the service.
     *
     * @param authentication the admin bearer check, attached to each operator route
     * @param reads          the receipt and history reads
     */
    public OperatorReadsHttpService(BearerAuthentication authentication, OperatorReadsUseCase reads) {
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.reads = Objects.requireNonNull(reads, "reads");
    }

    @Override
    public void routing(HttpRules rules) {
        // Authentication on these routes only: the client API shares the prefix.
        rules.get("/receipts/{receipt_id}", authentication, this::receipt)
                .get("/clients/{client_did}/history", authentication, this::history);
    }

    private void receipt(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        String id = req.path().pathParameters().get(RECEIPT_ID);
        ReceiptRecord found = reads.receipt(id).orElseThrow(() -> new NotFoundException("no receipt or rejection has this id"));
        ObjectNode json = JsonBodies.object().put(RECEIPT_ID, found.receiptId());
        switch (found) {
            case ReceiptRecord.Accepted a -> json.put("outcome", ACCEPTED)
                    .put(CLIENT_DID, a.clientDid())
                    .put("challenge_nonce", a.challengeNonce().hex())
                    .put("receipt_nonce", a.receiptNonce().hex())
                    .put("task_id", a.taskId().hex())
                    .put("content_id", a.contentId().hex())
                    .put("proof_type", a.proofType())
                    .put("bytes_verified", unsigned(a.bytesVerified()))
                    .put("result_ok", a.resultOk())
                    .put("started_at", unsigned(a.startedAt()))
                    .put("finished_at", unsigned(a.finishedAt()))
                    .put("sig_scheme", a.sigScheme())
                    .put("signature", Base64.getEncoder().encodeToString(a.signature().toArray()))
                    .put("reward_atoms", a.rewardAtoms().toString())
                    .put("epoch", a.epoch())
                    .put("submitted_at", a.submittedAt().toString())
                    .put("validated_at", a.validatedAt().toString())
                    .put("node_id", a.nodeId().hex())
                    .put("archived", a.archived());
            case ReceiptRecord.Rejected r -> {
                json.put("outcome", REJECTED).put("reason", r.reason().wireName()).put("detail", r.detail());
                r.clientDid().ifPresent(did -> json.put(CLIENT_DID, did));
                r.receiptNonce().map(Bytes::hex).ifPresent(nonce -> json.put("receipt_nonce", nonce));
                r.sigScheme().ifPresent(scheme -> json.put("sig_scheme", scheme));
                json.put("authenticated", r.authenticated());
                json.put("submitted_at", r.submittedAt().toString());
            }
        }
        JsonBodies.send(res, Status.OK_200, json);
    }

    private void history(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        String did = req.path().pathParameters().get(CLIENT_DID);
        String format = QueryParams.optional(req, "format").orElse("json");
        switch (format) {
            case "json" -> historyJson(req, res, did);
            case "csv" -> historyCsv(res, did);
            default -> throw new BadRequestException("format must be json or csv");
        }
    }

    private void historyJson(ServerRequest req, ServerResponse res, String did) {
        int limit = QueryParams.limit(req);
        Optional<HistoryCursor> after = QueryParams.cursor(req).map(OperatorReadsHttpService::historyCursor);
        ClientHistory history = found(reads.history(did, after, limit, LIST_LIMIT));
        ObjectNode json = JsonBodies.object()
                .put(CLIENT_DID, history.did())
                .put("enrolled", history.enrolled())
                .put("blocked", history.blocked());
        ArrayNode receipts = json.putArray("receipts");
        for (ReceiptHistoryItem item : history.receipts().items()) {
            ObjectNode row = receipts.addObject().put(RECEIPT_ID, item.receiptId()).put("outcome", item.accepted() ? ACCEPTED : REJECTED);
            item.reason().ifPresent(reason -> row.put("reason", reason));
            if (!item.accepted()) {
                // false: the signature did not verify with the DID's key, so anyone could have sent it.
                row.put("authenticated", item.authenticated());
            }
            item.proofType().ifPresent(type -> row.put("proof_type", type));
            item.bytesVerified().ifPresent(bytes -> row.put("bytes_verified", unsigned(bytes)));
            item.rewardAtoms().ifPresent(atoms -> row.put("reward_atoms", atoms.toString()));
            item.epoch().ifPresent(epoch -> row.put("epoch", epoch));
            row.put("submitted_at", item.submittedAt().toString());
        }
        List<ReceiptHistoryItem> items = history.receipts().items();
        json.put("next_cursor", history.receipts().more() ? QueryParams.encodeCursor(items.getLast().submittedAt() + "|"
                + items.getLast().receiptId()) : null);
        ArrayNode rewards = json.putArray("rewards");
        for (EpochPayable reward : history.rewards()) {
            rewards.addObject()
                    .put("epoch", reward.totals().epoch())
                    .put("receipt_atoms", reward.totals().receiptAtoms().toString())
                    .put("capped_receipt_atoms", reward.cappedReceiptAtoms().toString())
                    .put("compensation_atoms", reward.totals().compensationAtoms().toString())
                    .put("payable_atoms", reward.payableAtoms().toString())
                    .put("payout_status", reward.totals().payoutStatus().map(s -> s.wireName()).orElse(null));
        }
        ArrayNode disputes = json.putArray("disputes");
        for (DisputeSummary dispute : history.disputes()) {
            disputes.addObject()
                    .put("dispute_id", dispute.disputeId())
                    .put("dispute_type", dispute.disputeType())
                    .put("status", dispute.status())
                    .put("created_at", dispute.createdAt().toString())
                    .put("resolved_at", dispute.resolvedAt().map(Instant::toString).orElse(null));
        }
        ArrayNode blockEvents = json.putArray("block_events");
        for (BlockEvent event : history.blockEvents()) {
            blockEvents.addObject()
                    .put("action", event.action())
                    .put("reason", event.reason().orElse(null))
                    .put("actor", event.actor())
                    .put("at", event.at().toString());
        }
        JsonBodies.send(res, Status.OK_200, json);
    }

    /** Streams the whole history as CSV: receipts page by page as they are read, then rewards, disputes and block events. */
    private void historyCsv(ServerResponse res, String did) {
        ClientHistory first = found(reads.history(did, Optional.empty(), Page.MAX_LIMIT, CSV_LIST_LIMIT));
        res.status(Status.OK_200)
                .header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8; header=present"))
                .header(HeaderValues.create(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName(did) + "\""))
                .header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"));
        try (OutputStream out = res.outputStream();
             Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            row(writer, CSV_COLUMNS);
            Page<ReceiptHistoryItem> page = first.receipts();
            while (true) {
                for (ReceiptHistoryItem item : page.items()) {
                    row(writer, "receipt", item.receiptId(), item.submittedAt().toString(), item.accepted() ? ACCEPTED : REJECTED,
                            item.reason().orElse(""), item.proofType().orElse(""),
                            item.bytesVerified().isPresent() ? unsigned(item.bytesVerified().getAsLong()).toString() : "",
                            item.epoch().isPresent() ? Long.toString(item.epoch().getAsLong()) : "",
                            item.rewardAtoms().map(BigInteger::toString).orElse(""), "", "", "", "", "", "", "", "");
                }
                if (!page.more()) {
                    break;
                }
                ReceiptHistoryItem last = page.items().getLast();
                page = found(reads.history(did, Optional.of(new HistoryCursor(last.submittedAt(), last.receiptId())), Page.MAX_LIMIT, 1))
                        .receipts();
            }
            for (EpochPayable reward : first.rewards()) {
                row(writer, "reward", "", "", "", "", "", "", Long.toString(reward.totals().epoch()), reward.payableAtoms().toString(),
                        reward.totals().receiptAtoms().toString(), reward.cappedReceiptAtoms().toString(),
                        reward.totals().compensationAtoms().toString(),
                        reward.totals().payoutStatus().map(s -> s.wireName()).orElse(""), "", "", "", "");
            }
            for (DisputeSummary dispute : first.disputes()) {
                row(writer, "dispute", dispute.disputeId(), dispute.createdAt().toString(), "", "", "", "", "", "", "", "", "",
                        dispute.status(), dispute.disputeType(), dispute.resolvedAt().map(Instant::toString).orElse(""), "", "");
            }
            for (BlockEvent event : first.blockEvents()) {
                row(writer, "block_event", "", event.at().toString(), "", event.reason().orElse(""), "", "", "", "", "", "", "", "", "", "",
                        event.action(), event.actor());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the CSV export failed", e);
        }
    }

    private static ClientHistory found(HistoryResult result) {
        return switch (result) {
            case HistoryResult.Found found -> found.history();
            case HistoryResult.InvalidDid invalid -> throw new BadRequestException(invalid.detail());
            case HistoryResult.Unknown unknown -> throw new NotFoundException("the node knows nothing about this DID");
        };
    }

    private static void row(Writer writer, String... cells) throws IOException {
        row(writer, List.of(cells));
    }

    private static void row(Writer writer, List<String> cells) throws IOException {
        List<String> quoted = new ArrayList<>(cells.size());
        for (String cell : cells) {
            quoted.add(csvCell(cell));
        }
        writer.write(String.join(",", quoted));
        writer.write("\r\n");
    }

    /** RFC 4180: a cell with a comma, quote, CR or LF is quoted, quotes doubled. */
    static String csvCell(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\r') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** A file name safe in a header: the DID with everything but letters, digits, dot, dash and underscore replaced. */
    static String fileName(String did) {
        return "history-" + did.replaceAll("[^A-Za-z0-9._-]", "_") + ".csv";
    }

    private static HistoryCursor historyCursor(String key) {
        int bar = key.indexOf('|');
        if (bar > 0 && bar < key.length() - 1) {
            return new HistoryCursor(QueryParams.cursorInstant(key.substring(0, bar)), key.substring(bar + 1));
        }
        throw QueryParams.badCursor();
    }

    /** A uint64 bit pattern as the unsigned number it is. */
    private static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }
}
