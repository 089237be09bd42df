package network.sovereign.pouw.bootstrap;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns {@code admin} command lines into HTTP requests on the node's admin and operator API
 * (docs/SPEC.md §4): one command, one request. Parsing only; {@link AdminCli} sends it.
 */
final class AdminCommands {

    private static final String ADMIN = "/api/v1/admin";
    private static final String POUW = "/api/v1/pouw";

    static final String USAGE = """
            Usage: pouw-node [--config FILE] admin [--url URL] [--token TOKEN] COMMAND ...   (or ./dev run admin ...)

            Commands (each is one call of the admin API; the answer is printed as JSON):
              status [--json]                     health, readiness, live overrides, blocked DIDs, current and
                                                  last closed epoch, pending payouts (several calls, one summary)
              block DID [--reason R]              unblock DID [--reason R]
              blocked [--limit N] [--cursor C]    audit [--limit N] [--cursor C]
              clients enrol DID --sig-scheme S --public-key HEX
              clients show DID
              disputes list [--status S] [--client-did D] [--limit N] [--cursor C]
              disputes show ID
              disputes investigate ID [--note N]
              disputes resolve ID --type T --explanation E [--compensation AMOUNT]
              disputes reject ID --explanation E
              receipt ID                          history DID [--csv]
              maintenance [--tasks purge_challenges,purge_nonces,archive_receipts,purge_rejections] [--dry-run]
              settings [get]                      settings set KEY=VALUE... [--expires-in SECS]
              reload                              (returns once the node has reloaded)
              rewards list [--epoch N] [--status S] [--limit N] [--cursor C]
              rewards processing ID               rewards paid ID --tx-hash H
              rewards failed ID [--error E]

            Node URL: --url, else POUW_ADMIN_URL, else http(s)://127.0.0.1:$POUW_HTTP_PORT (https when
            POUW_TLS_CERT is set; that certificate is then trusted). Token: --token, else POUW_ADMIN_TOKEN,
            else the first of POUW_ADMIN_TOKENS, else $POUW_DATA_DIR/admin.token. Settings are read like
            `serve` reads them (environment over --config / POUW_CONFIG).
            Exit: 0 done, 1 the node refused (problem printed on stderr; status: not ready or a part refused),
            64 usage, 69 node unreachable,
            78 no token or bad local configuration.""";

    /** One HTTP call: method, path with query, optional JSON body, and whether the answer is CSV. */
    record Request(String method, String path, Optional<String> body, boolean csv) {
        static Request get(String path) {
            return new Request("GET", path, Optional.empty(), false);
        }

        static Request post(String path, Map<String, Object> body) {
            return new Request("POST", path, Optional.of(CliJson.compact(body)), false);
        }
    }

    /** A wrong command line; the message says what is wrong. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private AdminCommands() {
    }

    /** Parses the words after {@code admin} (without {@code --url}/{@code --token}). */
    static Request parse(List<String> words) throws UsageException {
        Deque<String> args = new ArrayDeque<>(words);
        if (args.isEmpty()) {
            throw new UsageException("admin needs a command");
        }
        String command = args.removeFirst();
        return switch (command) {
            case "block", "unblock" -> {
                Options o = Options.parse(args, Set.of("--reason"), Set.of(), 1, command + " DID [--reason R]");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("did", o.positional(0));
                o.value("--reason").ifPresent(r -> body.put("reason", r));
                yield Request.post(ADMIN + "/" + command + "-did", body);
            }
            case "blocked", "audit" -> {
                Options o = Options.parse(args, Set.of("--limit", "--cursor"), Set.of(), 0, command + " [--limit N] [--cursor C]");
                yield Request.get(ADMIN + ("blocked".equals(command) ? "/blocked-dids" : "/audit") + page(o, new Query()));
            }
            case "clients" -> clients(args);
            case "disputes" -> disputes(args);
            case "receipt" -> {
                Options o = Options.parse(args, Set.of(), Set.of(), 1, "receipt ID");
                yield Request.get(POUW + "/receipts/" + segment(o.positional(0)));
            }
            case "history" -> {
                Options o = Options.parse(args, Set.of(), Set.of("--csv"), 1, "history DID [--csv]");
                boolean csv = o.flag("--csv");
                yield new Request("GET", POUW + "/clients/" + segment(o.positional(0)) + "/history" + (csv ? "?format=csv" : ""),
                        Optional.empty(), csv);
            }
            case "maintenance" -> {
                Options o = Options.parse(args, Set.of("--tasks"), Set.of("--dry-run"), 0, "maintenance [--tasks a,b] [--dry-run]");
                Map<String, Object> body = new LinkedHashMap<>();
                if (o.value("--tasks").isPresent()) {
                    List<Object> tasks = new ArrayList<>();
                    for (String task : o.value("--tasks").get().split(",")) {
                        if (!task.isBlank()) {
                            tasks.add(task.strip());
                        }
                    }
                    if (tasks.isEmpty()) {
                        throw new UsageException("--tasks needs at least one task");
                    }
                    body.put("tasks", tasks);
                }
                if (o.flag("--dry-run")) {
                    body.put("dry_run", Boolean.TRUE);
                }
                yield Request.post(ADMIN + "/maintenance", body);
            }
            case "settings" -> settings(args);
            case "reload" -> {
                Options.parse(args, Set.of(), Set.of(), 0, "reload");
                yield new Request("POST", ADMIN + "/reload", Optional.empty(), false);
            }
            case "rewards" -> rewards(args);
            default -> throw new UsageException("unknown admin command '" + command + "'");
        };
    }

    private static Request clients(Deque<String> args) throws UsageException {
        String sub = sub(args, "clients enrol|show");
        return switch (sub) {
            case "enrol", "enroll" -> {
                Options o = Options.parse(args, Set.of("--sig-scheme", "--public-key"), Set.of(), 1,
                        "clients enrol DID --sig-scheme S --public-key HEX");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("did", o.positional(0));
                body.put("sig_scheme", o.required("--sig-scheme"));
                body.put("public_key", o.required("--public-key"));
                yield Request.post(ADMIN + "/clients", body);
            }
            case "show" -> {
                Options o = Options.parse(args, Set.of(), Set.of(), 1, "clients show DID");
                yield Request.get(ADMIN + "/clients/" + segment(o.positional(0)));
            }
            default -> throw new UsageException("unknown clients command '" + sub + "' (enrol, show)");
        };
    }

    private static Request disputes(Deque<String> args) throws UsageException {
        String sub = sub(args, "disputes list|show|investigate|resolve|reject");
        return switch (sub) {
            case "list" -> {
                Options o = Options.parse(args, Set.of("--status", "--client-did", "--limit", "--cursor"), Set.of(), 0,
                        "disputes list [--status S] [--client-did D] [--limit N] [--cursor C]");
                Query q = new Query().add("status", o.value("--status")).add("client_did", o.value("--client-did"));
                yield Request.get(POUW + "/disputes" + page(o, q));
            }
            case "show" -> {
                Options o = Options.parse(args, Set.of(), Set.of(), 1, "disputes show ID");
                yield Request.get(POUW + "/disputes/" + segment(o.positional(0)));
            }
            case "investigate" -> {
                Options o = Options.parse(args, Set.of("--note"), Set.of(), 1, "disputes investigate ID [--note N]");
                Map<String, Object> body = new LinkedHashMap<>();
                o.value("--note").ifPresent(n -> body.put("note", n));
                yield Request.post(POUW + "/disputes/" + segment(o.positional(0)) + "/investigate", body);
            }
            case "resolve" -> {
                Options o = Options.parse(args, Set.of("--type", "--explanation", "--compensation"), Set.of(), 1,
                        "disputes resolve ID --type T --explanation E [--compensation AMOUNT]");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("resolution_type", o.required("--type"));
                body.put("explanation", o.required("--explanation"));
                if (o.value("--compensation").isPresent()) {
                    String amount = o.value("--compensation").get();
                    if (!amount.matches("\\d+(\\.\\d+)?")) {
                        throw new UsageException("--compensation must be a non-negative amount like 100 or 1.5, got '" + amount + "'");
                    }
                    Map<String, Object> compensation = new LinkedHashMap<>();
                    // Amounts travel as strings (exact, no float rounding), like every amount of the API.
                    compensation.put("amount", amount);
                    compensation.put("currency", "SOV");
                    body.put("compensation", compensation);
                }
                yield Request.post(POUW + "/disputes/" + segment(o.positional(0)) + "/resolve", body);
            }
            case "reject" -> {
                Options o = Options.parse(args, Set.of("--explanation"), Set.of(), 1, "disputes reject ID --explanation E");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("explanation", o.required("--explanation"));
                yield Request.post(POUW + "/disputes/" + segment(o.positional(0)) + "/reject", body);
            }
            default -> throw new UsageException("unknown disputes command '" + sub + "' (list, show, investigate, resolve, reject)");
        };
    }

    private static Request settings(Deque<String> args) throws UsageException {
        if (args.isEmpty() || "get".equals(args.peekFirst())) {
            if (!args.isEmpty()) {
                args.removeFirst();
            }
            Options.parse(args, Set.of(), Set.of(), 0, "settings [get]");
            return Request.get(ADMIN + "/settings");
        }
        if (!"set".equals(args.peekFirst())) {
            throw new UsageException("unknown settings command '" + args.peekFirst() + "' (get, set)");
        }
        args.removeFirst();
        Options o = Options.parse(args, Set.of("--expires-in"), Set.of(), -1, "settings set KEY=VALUE... [--expires-in SECS]");
        if (o.positionals.isEmpty()) {
            throw new UsageException("settings set needs at least one KEY=VALUE");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        for (String pair : o.positionals) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("settings set takes KEY=VALUE, got '" + pair + "'");
            }
            String key = pair.substring(0, eq).strip().replace('-', '_');
            String value = pair.substring(eq + 1).strip();
            body.put(key, value.matches("-?\\d+") ? new CliJson.Number(value) : value);
        }
        if (o.value("--expires-in").isPresent()) {
            body.put("expires_in_secs", new CliJson.Number(wholeNumber("--expires-in", o.value("--expires-in").get())));
        }
        return new Request("PATCH", ADMIN + "/settings", Optional.of(CliJson.compact(body)), false);
    }

    private static Request rewards(Deque<String> args) throws UsageException {
        String sub = sub(args, "rewards list|processing|paid|failed");
        return switch (sub) {
            case "list" -> {
                Options o = Options.parse(args, Set.of("--epoch", "--status", "--limit", "--cursor"), Set.of(), 0,
                        "rewards list [--epoch N] [--status S] [--limit N] [--cursor C]");
                Optional<String> epoch = o.value("--epoch");
                if (epoch.isPresent()) {
                    wholeNumber("--epoch", epoch.get());
                }
                yield Request.get(ADMIN + "/rewards" + page(o, new Query().add("epoch", epoch).add("status", o.value("--status"))));
            }
            case "processing" -> {
                Options o = Options.parse(args, Set.of(), Set.of(), 1, "rewards processing ID");
                yield Request.post(ADMIN + "/rewards/" + segment(o.positional(0)) + "/processing", new LinkedHashMap<>());
            }
            case "paid" -> {
                Options o = Options.parse(args, Set.of("--tx-hash"), Set.of(), 1, "rewards paid ID --tx-hash H");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tx_hash", o.required("--tx-hash"));
                yield Request.post(ADMIN + "/rewards/" + segment(o.positional(0)) + "/paid", body);
            }
            case "failed" -> {
                Options o = Options.parse(args, Set.of("--error"), Set.of(), 1, "rewards failed ID [--error E]");
                Map<String, Object> body = new LinkedHashMap<>();
                o.value("--error").ifPresent(e -> body.put("error", e));
                yield Request.post(ADMIN + "/rewards/" + segment(o.positional(0)) + "/failed", body);
            }
            default -> throw new UsageException("unknown rewards command '" + sub + "' (list, processing, paid, failed)");
        };
    }

    private static String sub(Deque<String> args, String usage) throws UsageException {
        if (args.isEmpty() || args.peekFirst().startsWith("-")) {
            throw new UsageException("usage: admin " + usage);
        }
        return args.removeFirst();
    }

    private static String page(Options o, Query q) throws UsageException {
        Optional<String> limit = o.value("--limit");
        if (limit.isPresent()) {
            wholeNumber("--limit", limit.get());
        }
        return q.add("limit", limit).add("cursor", o.value("--cursor")).toString();
    }

    private static String wholeNumber(String option, String value) throws UsageException {
        if (!value.matches("\\d{1,18}")) {
            throw new UsageException(option + " must be a whole number, got '" + value + "'");
        }
        return value;
    }

    /** A path segment with everything outside RFC 3986 pchar percent-encoded (DIDs keep their colons). */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:@!$&'()*+,;=".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** A query string built from optional parameters. */
    private static final class Query {
        private final StringBuilder text = new StringBuilder();

        Query add(String name, Optional<String> value) {
            value.ifPresent(v -> text.append(text.isEmpty() ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Options ({@code --name value}, {@code --name=value}, flags) and positional words of one command. */
    private static final class Options {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final List<String> positionals = new ArrayList<>();
        private final String usage;

        private Options(String usage) {
            this.usage = usage;
        }

        /** {@code positionals} is the exact count expected, or -1 for any number. */
        static Options parse(Deque<String> args, Set<String> valued, Set<String> flags, int positionals, String usage)
                throws UsageException {
            Options o = new Options(usage);
            while (!args.isEmpty()) {
                String arg = args.removeFirst();
                if (arg.equals("--")) {
                    o.positionals.addAll(args);
                    args.clear();
                } else if (arg.startsWith("--")) {
                    int eq = arg.indexOf('=');
                    String name = eq > 0 ? arg.substring(0, eq) : arg;
                    if (flags.contains(name) && eq < 0) {
                        o.values.put(name, "true");
                    } else if (valued.contains(name)) {
                        String value;
                        if (eq > 0) {
                            value = arg.substring(eq + 1);
                        } else if (args.isEmpty()) {
                            throw new UsageException(name + " needs a value (usage: admin " + usage + ")");
                        } else {
                            value = args.removeFirst();
                        }
                        if (o.values.put(name, value) != null) {
                            throw new UsageException(name + " given twice");
                        }
                    } else {
                        throw new UsageException("unknown option " + name + " (usage: admin " + usage + ")");
                    }
                } else {
                    o.positionals.add(arg);
                }
            }
            if (positionals >= 0 && o.positionals.size() != positionals) {
                throw new UsageException((o.positionals.size() < positionals ? "missing argument" : "unexpected argument "
                        + o.positionals.subList(positionals, o.positionals.size())) + " (usage: admin " + usage + ")");
            }
            for (String p : o.positionals) {
                if (p.isBlank()) {
                    throw new UsageException("empty argument (usage: admin " + usage + ")");
                }
            }
            return o;
        }

        String positional(int i) {
            return positionals.get(i);
        }

        Optional<String> value(String name) {
            return Optional.ofNullable(values.get(name));
        }

        boolean flag(String name) {
            return values.containsKey(name);
        }

        String required(String name) throws UsageException {
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                throw new UsageException(name + " is required (usage: admin " + usage + ")");
            }
            return value;
        }
    }
}
