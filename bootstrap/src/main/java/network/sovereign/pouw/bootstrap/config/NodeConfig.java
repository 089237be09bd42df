package network.sovereign.pouw.bootstrap.config;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import network.sovereign.pouw.adapters.web.ratelimit.TrustedProxies;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;

/**
 * Every setting of the node, typed and checked once at start-up (SPEC §12). Grouped into small
 * records that the composition root hands to the parts that need them.
 *
 * @param http        listeners
 * @param dataDir     where the embedded database, the node key and the admin token live
 * @param database    the database and its pool
 * @param nodeKey     where the node's signing key comes from
 * @param protocol    challenge and receipt policy
 * @param rewards     epochs and reward amounts
 * @param rateLimits  per-IP and per-DID limits
 * @param security    admin tokens, trusted proxies, metrics token, enrolment mode
 * @param retention   what is purged or archived, and when
 * @param logging     log level, format and file
 * @param tls         TLS material for the API port, if any
 * @param configFile  the config file that was read, if any
 */
public record NodeConfig(Http http, Path dataDir, Database database, NodeKeySource nodeKey, Protocol protocol,
                         Rewards rewards, RateLimits rateLimits, Security security, Retention retention,
                         Logging logging, Optional<Tls> tls, Optional<Path> configFile) {

    /**
     * Listeners. {@code maxConnections} is empty when {@code POUW_HTTP_MAX_CONNECTIONS} is not set: the
     * default then, lowered to what the process's open-file limit leaves room for.
     */
    public record Http(String host, int port, int metricsPort, long maxBodyBytes, Duration shutdownGrace, Duration shutdownDrain,
                       java.util.OptionalInt maxConnections, int maxConnectionsPerIp, Duration bodyTimeout) {
    }

    /** The API socket's connection cap when {@code POUW_HTTP_MAX_CONNECTIONS} is not set. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /**
     * Database location, pool and timeouts. {@code url} is empty for the embedded H2 default.
     *
     * @param acquireTimeout   longest a request waits for a pooled connection before it is answered 503
     * @param statementTimeout longest one statement may run on the database server
     * @param socketTimeout    longest one read from PostgreSQL may block (a hung server or network)
     */
    public record Database(Optional<DatabaseUrl> url, int poolSize, Duration startupWait, Duration acquireTimeout,
                           Duration statementTimeout, Duration socketTimeout) {
    }

    /** Node key: an explicit secret, or a key file (generated at first start). */
    public record NodeKeySource(SigScheme scheme, Optional<byte[]> secret, Path keyFile) {
        @Override
        public String toString() {
            return "NodeKeySource[scheme=" + scheme.wireName() + ", secret=" + (secret.isPresent() ? "***" : "none")
                    + ", keyFile=" + keyFile + "]";
        }
    }

    /** Challenge and receipt policy defaults. */
    public record Protocol(Duration challengeTtl, Duration clockSkew, int batchSizeMax, int maxReceiptsPerChallenge,
                           long maxBytesPerChallenge, long minBytesPerReceipt, Set<SigScheme> acceptedSigSchemes) {
    }

    /** Reward arithmetic. */
    public record Rewards(long epochGenesis, long epochSecs, BigInteger baseAtoms, BigInteger epochCapAtoms,
                          Map<ProofType, Integer> weights) {
    }

    /**
     * Rate limits per window; {@code rejections} is the budget of unauthenticated rejections stored per
     * window for one client address and for one DID.
     */
    public record RateLimits(int perIp, int perDid, Duration window, int rejections) {
    }

    /** Who may do what. */
    public record Security(Optional<Map<String, String>> adminTokens, List<String> trustedProxies,
                           Optional<String> metricsToken, Enrollment enrollment, AdminAuthThrottle adminAuthThrottle) {
        @Override
        public String toString() {
            return "Security[adminTokens=" + adminTokens.map(m -> m.keySet().toString()).orElse("generated")
                    + ", trustedProxies=" + trustedProxies + ", metricsToken=" + (metricsToken.isPresent() ? "***" : "none")
                    + ", enrollment=" + enrollment + ", adminAuthThrottle=" + adminAuthThrottle + "]";
        }
    }

    /** Wrong admin tokens allowed per client address and window before its admin requests get 429. */
    public record AdminAuthThrottle(int failuresMax, Duration window) {
    }

    /** Enrolment mode (SPEC §5). */
    public enum Enrollment { ADMIN, OPEN }

    /** Retention (SPEC §11). */
    public record Retention(Duration challengeRetention, Duration nonceRetention, Duration receiptArchiveAge,
                            Duration interval, Duration rejectionRetention) {
    }

    /** Logging (SPEC §13); {@code accessLog}: one line per API request ({@code POUW_ACCESS_LOG}). */
    public record Logging(Level level, Format format, Optional<Path> file, boolean accessLog) {
        /** Line format. */
        public enum Format { TEXT, JSON }

        /** {@code POUW_ACCESS_LOG}. */
        public enum Switch { OFF, ON }
    }

    /** PEM certificate chain and key for the API port. */
    public record Tls(Path certificate, Path key) {
    }

    /** The default data directory. */
    public static final String DEFAULT_DATA_DIR = "./data";

    /**
     * Every setting the node reads, with its default ("" when there is none); the README table and the
     * unknown-setting warning use this list.
     */
    public static final Map<String, String> SETTINGS = settingsTable();

    private static Map<String, String> settingsTable() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("POUW_CONFIG", "");
        s.put("POUW_HTTP_HOST", "0.0.0.0");
        s.put("POUW_HTTP_PORT", "8080");
        s.put("POUW_METRICS_PORT", "9090");
        s.put("POUW_MAX_BODY_BYTES", "4194304");
        s.put("POUW_SHUTDOWN_GRACE_SECS", "20");
        s.put("POUW_SHUTDOWN_DRAIN_SECS", "0");
        s.put("POUW_HTTP_MAX_CONNECTIONS", "10000");
        s.put("POUW_HTTP_MAX_CONNECTIONS_PER_IP", "64");
        s.put("POUW_HTTP_BODY_TIMEOUT_SECS", "30");
        s.put("POUW_DATA_DIR", DEFAULT_DATA_DIR);
        s.put("POUW_DATABASE_URL", "");
        s.put("POUW_DB_POOL_SIZE", "10");
        s.put("POUW_DB_STARTUP_WAIT_SECS", "15");
        s.put("POUW_DB_ACQUIRE_TIMEOUT_SECS", "2");
        s.put("POUW_DB_STATEMENT_TIMEOUT_SECS", "10");
        s.put("POUW_DB_SOCKET_TIMEOUT_SECS", "15");
        s.put("POUW_NODE_KEY_SCHEME", "ed25519");
        s.put("POUW_NODE_SECRET_KEY", "");
        s.put("POUW_NODE_KEY_FILE", "$POUW_DATA_DIR/node.key");
        s.put("POUW_CHALLENGE_TTL_SECS", "300");
        s.put("POUW_CLOCK_SKEW_SECS", "30");
        s.put("POUW_BATCH_SIZE_MAX", "100");
        s.put("POUW_MAX_RECEIPTS_PER_CHALLENGE", "20");
        s.put("POUW_MAX_BYTES_PER_CHALLENGE", "10485760");
        s.put("POUW_MIN_BYTES_PER_RECEIPT", "1024");
        s.put("POUW_ACCEPTED_SIG_SCHEMES", "ml-dsa-44,ml-dsa-65,ml-dsa-87,dilithium5,ed25519");
        s.put("POUW_EPOCH_GENESIS", "0");
        s.put("POUW_EPOCH_SECS", "3600");
        s.put("POUW_REWARD_BASE_ATOMS", "1000000000000");
        s.put("POUW_EPOCH_CAP_ATOMS", "599315068493150684");
        s.put("POUW_REWARD_WEIGHTS", "hash:1,merkle:2,signature:3");
        s.put("POUW_RATE_LIMIT_IP", "100");
        s.put("POUW_RATE_LIMIT_DID", "50");
        s.put("POUW_RATE_LIMIT_WINDOW_SECS", "60");
        s.put("POUW_RATE_LIMIT_REJECTIONS", "200");
        s.put("POUW_ADMIN_TOKENS", "");
        s.put("POUW_TRUSTED_PROXIES", "");
        s.put("POUW_METRICS_TOKEN", "");
        s.put("POUW_ENROLLMENT", "admin");
        s.put("POUW_ADMIN_AUTH_FAILURES_MAX", "20");
        s.put("POUW_ADMIN_AUTH_WINDOW_SECS", "60");
        s.put("POUW_CHALLENGE_RETENTION_DAYS", "7");
        s.put("POUW_NONCE_RETENTION_HOURS", "24");
        s.put("POUW_RECEIPT_ARCHIVE_DAYS", "90");
        s.put("POUW_MAINTENANCE_INTERVAL_HOURS", "24");
        s.put("POUW_REJECTION_RETENTION_DAYS", "30");
        s.put("POUW_LOG_LEVEL", "info");
        s.put("POUW_LOG_FORMAT", "text");
        s.put("POUW_LOG_FILE", "");
        s.put("POUW_ACCESS_LOG", "off");
        s.put("POUW_TLS_CERT", "");
        s.put("POUW_TLS_KEY", "");
        return java.util.Collections.unmodifiableMap(s);
    }

    /** Reads and checks every setting; throws {@link ConfigException} naming the first bad one. */
    public static NodeConfig from(ConfigSource source) {
        Reader r = new Reader(source);

        Http http = new Http(
                r.host("POUW_HTTP_HOST"),
                r.integer("POUW_HTTP_PORT", 0, 65_535),
                r.integer("POUW_METRICS_PORT", 0, 65_535),
                r.longValue("POUW_MAX_BODY_BYTES", 1024, 1L << 30),
                Duration.ofSeconds(r.integer("POUW_SHUTDOWN_GRACE_SECS", 0, 3_600)),
                Duration.ofSeconds(r.integer("POUW_SHUTDOWN_DRAIN_SECS", 0, 300)),
                source.get("POUW_HTTP_MAX_CONNECTIONS").isPresent()
                        ? java.util.OptionalInt.of(r.integer("POUW_HTTP_MAX_CONNECTIONS", 1, 1_000_000)) : java.util.OptionalInt.empty(),
                r.integer("POUW_HTTP_MAX_CONNECTIONS_PER_IP", 1, 1_000_000),
                Duration.ofSeconds(r.integer("POUW_HTTP_BODY_TIMEOUT_SECS", 1, 3_600)));
        if (http.maxConnections().isPresent() && http.maxConnectionsPerIp() > http.maxConnections().getAsInt()) {
            throw new ConfigException("POUW_HTTP_MAX_CONNECTIONS_PER_IP", http.maxConnectionsPerIp()
                    + " is more than POUW_HTTP_MAX_CONNECTIONS (" + http.maxConnections().getAsInt() + ")");
        }
        if (http.port() != 0 && http.port() == http.metricsPort()) {
            throw new ConfigException("POUW_METRICS_PORT", "must differ from POUW_HTTP_PORT (" + http.port() + ")");
        }

        Path dataDir = r.path("POUW_DATA_DIR", Path.of(DEFAULT_DATA_DIR));
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new ConfigException("POUW_DATA_DIR", dataDir + " exists and is not a directory");
        }

        Database database = new Database(
                source.get("POUW_DATABASE_URL").map(DatabaseUrl::parse),
                r.integer("POUW_DB_POOL_SIZE", 1, 1_000),
                Duration.ofSeconds(r.integer("POUW_DB_STARTUP_WAIT_SECS", 0, 3_600)),
                Duration.ofSeconds(r.integer("POUW_DB_ACQUIRE_TIMEOUT_SECS", 1, 60)),
                Duration.ofSeconds(r.integer("POUW_DB_STATEMENT_TIMEOUT_SECS", 1, 3_600)),
                Duration.ofSeconds(r.integer("POUW_DB_SOCKET_TIMEOUT_SECS", 2, 7_200)));
        if (database.socketTimeout().compareTo(database.statementTimeout()) <= 0) {
            // The server's own cancel must arrive before the driver gives the connection up.
            throw new ConfigException("POUW_DB_SOCKET_TIMEOUT_SECS", "must be longer than POUW_DB_STATEMENT_TIMEOUT_SECS ("
                    + database.statementTimeout().toSeconds() + "), got " + database.socketTimeout().toSeconds());
        }

        SigScheme nodeScheme = r.sigScheme("POUW_NODE_KEY_SCHEME");
        if (nodeScheme != SigScheme.ED25519 && nodeScheme != SigScheme.ML_DSA_65) {
            throw new ConfigException("POUW_NODE_KEY_SCHEME", "must be ed25519 or ml-dsa-65, got " + nodeScheme.wireName());
        }
        Optional<byte[]> secret = source.get("POUW_NODE_SECRET_KEY").map(v -> {
            try {
                return Base64.getDecoder().decode(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("POUW_NODE_SECRET_KEY", "is not valid base64");
            }
        });
        NodeKeySource nodeKey = new NodeKeySource(nodeScheme, secret,
                r.path("POUW_NODE_KEY_FILE", dataDir.resolve("node.key")));

        Set<SigScheme> accepted = r.sigSchemes("POUW_ACCEPTED_SIG_SCHEMES");
        Protocol protocol = new Protocol(
                Duration.ofSeconds(r.integer("POUW_CHALLENGE_TTL_SECS", 1, 86_400)),
                Duration.ofSeconds(r.integer("POUW_CLOCK_SKEW_SECS", 0, 3_600)),
                r.integer("POUW_BATCH_SIZE_MAX", 1, 10_000),
                r.integer("POUW_MAX_RECEIPTS_PER_CHALLENGE", 1, 1_000_000),
                r.longValue("POUW_MAX_BYTES_PER_CHALLENGE", 1, Long.MAX_VALUE),
                r.longValue("POUW_MIN_BYTES_PER_RECEIPT", 0, Long.MAX_VALUE),
                accepted);
        if (protocol.minBytesPerReceipt() > protocol.maxBytesPerChallenge()) {
            throw new ConfigException("POUW_MIN_BYTES_PER_RECEIPT", "is larger than POUW_MAX_BYTES_PER_CHALLENGE ("
                    + protocol.maxBytesPerChallenge() + "): no receipt could ever be accepted");
        }

        Rewards rewards = new Rewards(
                r.longValue("POUW_EPOCH_GENESIS", 0, Long.MAX_VALUE / 2),
                r.longValue("POUW_EPOCH_SECS", 1, 366L * 86_400),
                r.atoms("POUW_REWARD_BASE_ATOMS"),
                r.atoms("POUW_EPOCH_CAP_ATOMS"),
                r.weights("POUW_REWARD_WEIGHTS"));

        RateLimits rateLimits = new RateLimits(
                r.integer("POUW_RATE_LIMIT_IP", 1, 1_000_000),
                r.integer("POUW_RATE_LIMIT_DID", 1, 1_000_000),
                Duration.ofSeconds(r.integer("POUW_RATE_LIMIT_WINDOW_SECS", 1, 86_400)),
                r.integer("POUW_RATE_LIMIT_REJECTIONS", 0, 1_000_000));

        Security security = new Security(
                source.get("POUW_ADMIN_TOKENS").map(Reader::adminTokens),
                r.list("POUW_TRUSTED_PROXIES"),
                source.get("POUW_METRICS_TOKEN").map(t -> Reader.token("POUW_METRICS_TOKEN", t)),
                r.enumValue("POUW_ENROLLMENT", Enrollment.class),
                new AdminAuthThrottle(r.integer("POUW_ADMIN_AUTH_FAILURES_MAX", 1, 1_000_000),
                        Duration.ofSeconds(r.integer("POUW_ADMIN_AUTH_WINDOW_SECS", 1, 86_400))));
        try {
            TrustedProxies.of(security.trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("POUW_TRUSTED_PROXIES", e.getMessage());
        }

        Retention retention = new Retention(
                Duration.ofDays(r.integer("POUW_CHALLENGE_RETENTION_DAYS", 1, 3_650)),
                Duration.ofHours(r.integer("POUW_NONCE_RETENTION_HOURS", 1, 87_600)),
                Duration.ofDays(r.integer("POUW_RECEIPT_ARCHIVE_DAYS", 1, 36_500)),
                Duration.ofHours(r.integer("POUW_MAINTENANCE_INTERVAL_HOURS", 1, 8_760)),
                Duration.ofDays(r.integer("POUW_REJECTION_RETENTION_DAYS", 1, 3_650)));
        Duration replayWindow = protocol.challengeTtl().plus(protocol.clockSkew());
        if (retention.nonceRetention().compareTo(replayWindow) < 0) {
            // A purged nonce must belong to a challenge that can no longer be answered (SPEC §3.2).
            throw new ConfigException("POUW_NONCE_RETENTION_HOURS", "keeps nonces " + retention.nonceRetention().toHours()
                    + "h, shorter than POUW_CHALLENGE_TTL_SECS + POUW_CLOCK_SKEW_SECS (" + replayWindow.toSeconds()
                    + "s): purged nonces could be replayed");
        }

        Logging logging = new Logging(r.logLevel("POUW_LOG_LEVEL"), r.enumValue("POUW_LOG_FORMAT", Logging.Format.class),
                source.get("POUW_LOG_FILE").map(Path::of), r.enumValue("POUW_ACCESS_LOG", Logging.Switch.class) == Logging.Switch.ON);

        Optional<Path> cert = source.get("POUW_TLS_CERT").map(Path::of);
        Optional<Path> key = source.get("POUW_TLS_KEY").map(Path::of);
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException(cert.isPresent() ? "POUW_TLS_KEY" : "POUW_TLS_CERT",
                    "must be set together with " + (cert.isPresent() ? "POUW_TLS_CERT" : "POUW_TLS_KEY"));
        }
        Optional<Tls> tls = cert.map(c -> new Tls(r.readableFile("POUW_TLS_CERT", c), r.readableFile("POUW_TLS_KEY", key.orElseThrow())));

        return new NodeConfig(http, dataDir, database, nodeKey, protocol, rewards, rateLimits, security, retention,
                logging, tls, source.file());
    }

    /** Names set in the source that the node does not know (likely typos). */
    public static List<String> unknownSettings(ConfigSource source) {
        List<String> unknown = new ArrayList<>();
        for (String name : source.names()) {
            // POUW_ADMIN_URL and POUW_ADMIN_TOKEN are read by the admin CLI, not by the node.
            if (!SETTINGS.containsKey(name) && !name.equals("POUW_ADMIN_URL") && !name.equals("POUW_ADMIN_TOKEN")) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** Settings whose values are secrets: check-config shows whether they are set, never what they are. */
    private static final java.util.Set<String> SECRET_SETTINGS = java.util.Set.of("POUW_NODE_SECRET_KEY", "POUW_METRICS_TOKEN");

    /**
     * Every setting as an operator writes it, {@code NAME=value}, one per line in the order of the
     * configuration table, each marked {@code (default)} or with where it came from; secrets hidden:
     * admin tokens show their names only, passwords in the database URL and the other secrets
     * {@code ***}. What {@code check-config} prints after it has checked them.
     */
    public static List<String> describe(ConfigSource source) {
        List<String> lines = new ArrayList<>();
        String origin = source.file().map(f -> "(set, env or " + f + ")").orElse("(set)");
        for (Map.Entry<String, String> setting : SETTINGS.entrySet()) {
            String name = setting.getKey();
            if (name.equals(ConfigSource.CONFIG_FILE_SETTING)) {
                continue;
            }
            Optional<String> value = source.get(name);
            String shown = value.map(v -> shown(name, v)).orElse(setting.getValue());
            lines.add(name + "=" + shown + (value.isPresent() ? "  " + origin : "  (default)"));
        }
        return lines;
    }

    private static String shown(String name, String value) {
        if (SECRET_SETTINGS.contains(name)) {
            return "***";
        }
        return switch (name) {
            case "POUW_ADMIN_TOKENS" -> java.util.Arrays.stream(value.split(","))
                    .map(entry -> entry.contains(":") ? entry.substring(0, entry.indexOf(':')).strip() + ":***" : "***")
                    .collect(java.util.stream.Collectors.joining(","));
            case "POUW_DATABASE_URL" -> DatabaseUrl.redact(value);
            default -> value;
        };
    }

    /** Typed reads of single settings, each failing with the setting's name. */
    private record Reader(ConfigSource source) {

        private String raw(String name) {
            return source.get(name).orElse(SETTINGS.get(name));
        }

        int integer(String name, int min, int max) {
            return (int) longValue(name, min, max);
        }

        long longValue(String name, long min, long max) {
            String value = raw(name);
            long parsed;
            try {
                parsed = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "\"" + value + "\" is not a whole number");
            }
            if (parsed < min || parsed > max) {
                throw new ConfigException(name, parsed + " is out of range " + min + ".." + max);
            }
            return parsed;
        }

        BigInteger atoms(String name) {
            String value = raw(name);
            try {
                BigInteger parsed = new BigInteger(value);
                if (parsed.signum() <= 0) {
                    throw new ConfigException(name, "must be a positive number of atoms, got " + value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "\"" + value + "\" is not a whole number of atoms");
            }
        }

        String host(String name) {
            String value = raw(name);
            if (!value.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
                throw new ConfigException(name, "\"" + value + "\" is not a host name or IP address");
            }
            return value;
        }

        Path path(String name, Path fallback) {
            return source.get(name).map(Path::of).orElse(fallback);
        }

        Path readableFile(String name, Path path) {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ConfigException(name, path + " is not a readable file");
            }
            return path;
        }

        List<String> list(String name) {
            List<String> items = new ArrayList<>();
            for (String item : raw(name).split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
            return List.copyOf(items);
        }

        <E extends Enum<E>> E enumValue(String name, Class<E> type) {
            String value = raw(name);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException(name, "\"" + value + "\" is not one of " + String.join(", ", allowed));
        }

        SigScheme sigScheme(String name) {
            String value = raw(name);
            return SigScheme.fromWireName(value.toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> new ConfigException(name, "\"" + value + "\" is not a known signature scheme"));
        }

        Set<SigScheme> sigSchemes(String name) {
            Set<SigScheme> schemes = EnumSet.noneOf(SigScheme.class);
            for (String item : list(name)) {
                schemes.add(SigScheme.fromWireName(item.toLowerCase(Locale.ROOT))
                        .orElseThrow(() -> new ConfigException(name, "\"" + item + "\" is not a known signature scheme")));
            }
            if (schemes.isEmpty()) {
                throw new ConfigException(name, "must name at least one signature scheme");
            }
            return Set.copyOf(schemes);
        }

        Map<ProofType, Integer> weights(String name) {
            Map<ProofType, Integer> weights = new EnumMap<>(ProofType.class);
            for (String item : list(name)) {
                String[] parts = item.split(":", 2);
                ProofType type = ProofType.fromJsonName(parts[0].strip())
                        .orElseThrow(() -> new ConfigException(name, "\"" + parts[0] + "\" is not a proof type (hash, merkle, signature)"));
                try {
                    int weight = Integer.parseInt(parts.length == 2 ? parts[1].strip() : "");
                    if (weight < 0 || weight > 1_000_000) {
                        throw new ConfigException(name, "weight of " + type.jsonName() + " is out of range 0..1000000");
                    }
                    weights.put(type, weight);
                } catch (NumberFormatException e) {
                    throw new ConfigException(name, "expected type:weight pairs like hash:1,merkle:2,signature:3");
                }
            }
            for (ProofType type : ProofType.values()) {
                if (!weights.containsKey(type)) {
                    throw new ConfigException(name, "has no weight for " + type.jsonName());
                }
            }
            return Map.copyOf(weights);
        }

        Level logLevel(String name) {
            String value = raw(name).toLowerCase(Locale.ROOT);
            return switch (value) {
                case "error" -> Level.SEVERE;
                case "warn", "warning" -> Level.WARNING;
                case "info" -> Level.INFO;
                case "debug" -> Level.FINE;
                case "trace" -> Level.FINEST;
                default -> throw new ConfigException(name, "\"" + value + "\" is not one of error, warn, info, debug, trace");
            };
        }

        static Map<String, String> adminTokens(String value) {
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String entry : value.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int colon = entry.indexOf(':');
                if (colon <= 0) {
                    throw new ConfigException("POUW_ADMIN_TOKENS", "expected name:token pairs separated by commas");
                }
                String name = entry.substring(0, colon).strip();
                if (!name.matches("[A-Za-z0-9_.@-]{1,64}")) {
                    throw new ConfigException("POUW_ADMIN_TOKENS", "token name \"" + name + "\" must be 1-64 of A-Z a-z 0-9 _ . @ -");
                }
                if (tokens.put(name, token("POUW_ADMIN_TOKENS", entry.substring(colon + 1).strip())) != null) {
                    throw new ConfigException("POUW_ADMIN_TOKENS", "token name \"" + name + "\" appears twice");
                }
            }
            if (tokens.isEmpty()) {
                throw new ConfigException("POUW_ADMIN_TOKENS", "names no token");
            }
            return Map.copyOf(tokens);
        }

        static String token(String name, String token) {
            if (token.length() < 16 || !token.matches("[\\x21-\\x7e]+") || token.contains(",")) {
                // The value itself is never echoed: it is a secret.
                throw new ConfigException(name, "tokens must be at least 16 printable characters without spaces or commas");
            }
            return token;
        }
    }
}
