package network.sovereign.pouw.bootstrap;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code admin status}: one summary of a running node for an operator, from the node's own routes:
 * health and readiness ({@code /health}, {@code /health/ready}), live overrides
 * ({@code GET /api/v1/admin/settings}), blocked DIDs ({@code GET /api/v1/admin/blocked-dids}, counted
 * page by page), the current and last closed epoch ({@code GET /api/v1/admin/epochs}) and pending
 * payouts ({@code GET /api/v1/admin/rewards?status=pending}, counted and summed). Text by default,
 * {@code --json} for scripts. Exit 0 when the node is ready and every part answered, 1 otherwise.
 */
final class AdminStatus {

    /** Page size for the counted lists (the API's maximum). */
    static final int PAGE = 500;
    /** Counting stops after this many pages and says "at least". */
    static final int MAX_PAGES = 20;

    private static final int SOV_DECIMALS = 18;

    /** One HTTP answer. */
    record Answer(int status, String body) {
    }

    /** GETs a path on the node with the admin token. */
    @FunctionalInterface
    interface Http {
        Answer get(String path) throws IOException, InterruptedException;
    }

    private final Http http;
    private boolean complete = true;

    private AdminStatus(Http http) {
        this.http = http;
    }

    /**
     * Collects the summary and prints it.
     *
     * @throws IOException when the node cannot be reached (the caller says so, exit 69)
     */
    static int run(Http http, String node, boolean json, PrintStream out) throws IOException, InterruptedException {
        AdminStatus status = new AdminStatus(http);
        Map<String, Object> summary = status.collect(node);
        out.println(json ? CliJson.pretty(summary) : text(summary));
        return status.complete && Boolean.TRUE.equals(summary.get("ready")) ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private Map<String, Object> collect(String node) throws IOException, InterruptedException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("node", node);
        Answer health = http.get("/health");
        Object report = parse(health.body());
        if (report instanceof Map<?, ?> map && map.get("status") instanceof String s) {
            summary.put("version", map.get("version"));
            summary.put("uptime_seconds", map.get("uptime_seconds"));
            summary.put("health", s);
            List<Object> components = new ArrayList<>();
            if (map.get("components") instanceof List<?> list) {
                for (Object c : list) {
                    if (c instanceof Map<?, ?> component) {
                        Map<String, Object> shown = new LinkedHashMap<>();
                        shown.put("name", component.get("name"));
                        shown.put("status", component.get("status"));
                        if (component.get("message") != null) {
                            shown.put("message", component.get("message"));
                        }
                        components.add(shown);
                    }
                }
            }
            summary.put("components", components);
        } else {
            summary.put("health", refused(health));
        }
        summary.put("ready", http.get("/health/ready").status() == 200);
        summary.put("overrides", overrides());
        summary.put("blocked_dids", blocked());
        summary.put("epochs", epochs());
        summary.put("pending_payouts", pendingPayouts());
        return summary;
    }

    /** The settings whose value is a live override, with value, expiry and author. */
    private Object overrides() throws IOException, InterruptedException {
        Answer answer = http.get("/api/v1/admin/settings");
        if (answer.status() != 200 || !(parse(answer.body()) instanceof Map<?, ?> body && body.get("settings") instanceof Map<?, ?> settings)) {
            return refused(answer);
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : settings.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> knob && "override".equals(knob.get("source"))) {
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("value", knob.get("value"));
                shown.put("config_value", knob.get("config_value"));
                shown.put("expires_at", knob.get("expires_at"));
                shown.put("updated_by", knob.get("updated_by"));
                overrides.put(e.getKey().toString(), shown);
            }
        }
        return overrides;
    }

    private Object blocked() throws IOException, InterruptedException {
        Map<String, Object> counted = count("/api/v1/admin/blocked-dids?limit=" + PAGE, null);
        return counted.containsKey("error") ? counted.get("error") : counted;
    }

    private Object pendingPayouts() throws IOException, InterruptedException {
        Map<String, Object> counted = count("/api/v1/admin/rewards?status=pending&limit=" + PAGE, "amount_atoms");
        return counted.containsKey("error") ? counted.get("error") : counted;
    }

    /** Pages through a list: {count, at_least?, amount_atoms?, amount_sov?} or {error}. */
    private Map<String, Object> count(String firstPage, String amountField) throws IOException, InterruptedException {
        Map<String, Object> result = new LinkedHashMap<>();
        long count = 0;
        BigInteger sum = BigInteger.ZERO;
        String path = firstPage;
        for (int page = 0; page < MAX_PAGES; page++) {
            Answer answer = http.get(path);
            if (answer.status() != 200 || !(parse(answer.body()) instanceof Map<?, ?> body && body.get("items") instanceof List<?> items)) {
                result.put("error", refused(answer));
                return result;
            }
            count += items.size();
            if (amountField != null) {
                for (Object item : items) {
                    if (item instanceof Map<?, ?> row && row.get(amountField) instanceof String atoms && atoms.matches("\\d+")) {
                        sum = sum.add(new BigInteger(atoms));
                    }
                }
            }
            if (!(body.get("next_cursor") instanceof String cursor)) {
                path = null;
                break;
            }
            path = firstPage + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        }
        result.put("count", new CliJson.Number(Long.toString(count)));
        if (path != null) {
            result.put("at_least", Boolean.TRUE); // more pages than it is worth reading for a summary
        }
        if (amountField != null) {
            result.put("amount_atoms", sum.toString());
            result.put("amount_sov", new BigDecimal(sum).movePointLeft(SOV_DECIMALS).stripTrailingZeros().toPlainString());
        }
        return result;
    }

    private Object epochs() throws IOException, InterruptedException {
        Answer answer = http.get("/api/v1/admin/epochs");
        Object body = parse(answer.body());
        return answer.status() == 200 && body instanceof Map<?, ?> ? body : refused(answer);
    }

    /** Marks the summary incomplete and gives the part the node's refusal as one line. */
    private String refused(Answer answer) {
        complete = false;
        return AdminCli.problemLine(answer.status(), answer.body());
    }

    private static Object parse(String body) {
        try {
            return CliJson.parse(body);
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /** The summary as aligned lines, one per part. */
    static String text(Map<String, Object> s) {
        StringBuilder out = new StringBuilder();
        line(out, "node", s.get("node") + Optional.ofNullable(s.get("version")).map(v -> " (version " + plain(v)
                + Optional.ofNullable(s.get("uptime_seconds")).map(u -> ", up " + plain(u) + " s").orElse("") + ")").orElse(""));
        StringBuilder health = new StringBuilder(plain(s.get("health")));
        if (s.get("components") instanceof List<?> components && !components.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Object c : components) {
                Map<?, ?> component = (Map<?, ?>) c;
                parts.add(plain(component.get("name")) + " " + plain(component.get("status"))
                        + (component.get("message") != null ? ": " + plain(component.get("message")) : ""));
            }
            health.append(" (").append(String.join("; ", parts)).append(')');
        }
        line(out, "health", health.toString());
        line(out, "readiness", Boolean.TRUE.equals(s.get("ready")) ? "ready" : "NOT ready (/health/ready is not 200)");
        if (s.get("overrides") instanceof Map<?, ?> overrides) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : overrides.entrySet()) {
                Map<?, ?> o = (Map<?, ?>) e.getValue();
                parts.add(e.getKey() + "=" + plain(o.get("value")) + " (config " + plain(o.get("config_value"))
                        + (o.get("expires_at") != null ? ", until " + plain(o.get("expires_at")) : ", no expiry")
                        + (o.get("updated_by") != null ? ", by " + plain(o.get("updated_by")) : "") + ")");
            }
            line(out, "overrides", parts.isEmpty() ? "none" : String.join("; ", parts));
        } else {
            line(out, "overrides", plain(s.get("overrides")));
        }
        if (s.get("blocked_dids") instanceof Map<?, ?> b) {
            line(out, "blocked DIDs", (Boolean.TRUE.equals(b.get("at_least")) ? "at least " : "") + plain(b.get("count")));
        } else {
            line(out, "blocked DIDs", plain(s.get("blocked_dids")));
        }
        if (s.get("epochs") instanceof Map<?, ?> e) {
            line(out, "epochs", "current " + plain(e.get("current_epoch")) + " (" + plain(e.get("current_epoch_started_at")) + " .. "
                    + plain(e.get("current_epoch_ends_at")) + "), last closed "
                    + (e.get("last_closed_epoch") == null ? "none yet" : plain(e.get("last_closed_epoch"))));
        } else {
            line(out, "epochs", plain(s.get("epochs")));
        }
        if (s.get("pending_payouts") instanceof Map<?, ?> p) {
            line(out, "pending payouts", (Boolean.TRUE.equals(p.get("at_least")) ? "at least " : "") + plain(p.get("count")) + " ("
                    + plain(p.get("amount_sov")) + " SOV)");
        } else {
            line(out, "pending payouts", plain(s.get("pending_payouts")));
        }
        return out.toString().stripTrailing();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-16s %s", label + ":", value)).append('\n');
    }

    private static String plain(Object value) {
        return value instanceof CliJson.Number n ? n.text() : String.valueOf(value);
    }
}
