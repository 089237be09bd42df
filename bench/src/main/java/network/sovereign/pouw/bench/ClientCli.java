package network.sovereign.pouw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.DisputeType;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * The {@code client} command: what a client of the node does, from the command line, with the
 * classes the demo uses ({@link PouwClient}, {@link ReceiptBuilder}, {@link WireJson}).
 * <ul>
 *   <li>{@code keygen}: a client key pair of any scheme, into a directory ({@link ClientKeyFiles});</li>
 *   <li>{@code enrol}: self-enrolment with proof of possession, where the node allows it;</li>
 *   <li>{@code challenge}: {@code POST /api/v1/pouw/challenges}, checked against the node's key;</li>
 *   <li>{@code submit}: receipts described in a JSON file ({@link ReceiptsFile}), answering a fresh or a
 *       saved challenge, signed over their canonical encoding, in one batch;</li>
 *   <li>{@code dispute}: a dispute signed as SPEC §4 says.</li>
 * </ul>
 * Errors are one line on stderr. Exit status: 0 done, 1 the node refused (a batch with any rejected
 * receipt included), 64 bad command line or input file, 69 node unreachable.
 */
public final class ClientCli {

    /** Done. */
    public static final int EXIT_OK = 0;
    /** The node refused (or a receipt of the batch was rejected), or answered something unusable. */
    public static final int EXIT_REFUSED = 1;
    /** Bad command line, key file or receipts file (sysexits' EX_USAGE). */
    public static final int EXIT_USAGE = 64;
    /** The node could not be reached (sysexits' EX_UNAVAILABLE). */
    public static final int EXIT_UNAVAILABLE = 69;

    private static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final String SCHEMES = Arrays.stream(SigScheme.values()).map(SigScheme::wireName).collect(Collectors.joining("|"));
    private static final String DISPUTE_TYPES = Arrays.stream(DisputeType.values()).map(DisputeType::wireName)
            .collect(Collectors.joining(", "));
    private static final char[] NONCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

    static final String USAGE = """
            usage: client COMMAND [OPTIONS]      (./dev client ..., or java -jar pouw-bench.jar client ...)
              keygen     make a client key pair (every scheme the node accepts)
              enrol      self-enrolment with proof of possession (only on a node with POUW_ENROLLMENT=open)
              challenge  ask the node for a challenge
              submit     sign receipts described in a JSON file and submit them in one batch
              dispute    file a signed dispute
            client COMMAND --help shows each command's options.
            exit status: 0 done, 1 the node refused (or rejected a receipt), 64 bad command line or input file, 69 node unreachable""";

    static final String KEYGEN_USAGE = """
            usage: client keygen --scheme %s --out DIR
              writes DIR/client.key (mode 0600: the scheme and the 32-byte secret seed, hex) and DIR/client.pub;
              never overwrites a key. Prints {"sig_scheme", "public_key"}: the enrolment body without its did, e.g.
                ./dev run admin clients enrol did:sov:alice --sig-scheme S --public-key "$(jq -r .public_key DIR/client.pub)"
              --scheme S   the key's signature scheme (default ed25519)
              --out DIR    the key directory (created if missing)""".formatted(SCHEMES);

    static final String ENROL_USAGE = """
            usage: client enrol --did DID --key DIR [--url URL]
              POST /api/v1/pouw/clients: binds DID to the key, proving possession by signing
              "pouw-enroll:v1:<did>:<node_id hex>" (node_id from GET /api/v1/pouw/node). Only on a node with
              POUW_ENROLLMENT=open (else 403); the same key again is 200 created:false, another key 409 key_conflict.
              Where admins enrol clients, send them client.pub instead (./dev run admin clients enrol ...).
              --did DID    the DID to enrol
              --key DIR    the key directory (or its client.key) from client keygen
              --url URL    the node's API (default %s)""".formatted(DEFAULT_URL);

    static final String CHALLENGE_USAGE = """
            usage: client challenge --did DID [--url URL] [--capabilities hash,merkle,signature] [--max-receipts N] [--out FILE]
              POST /api/v1/pouw/challenges, then checks the challenge with the node's key (GET /api/v1/pouw/node).
              Prints the node's answer (JSON); --out also saves it, for submit --challenge FILE.
              --did DID              the enrolled client's DID
              --url URL              the node's API (default %s)
              --capabilities LIST    the proof types the client can do (default hash,merkle)
              --max-receipts N       ask for at most N receipts
              --out FILE             save the answer to FILE (never overwriting one)""".formatted(DEFAULT_URL);

    static final String SUBMIT_USAGE = """
            usage: client submit --did DID --key DIR --receipts FILE [--url URL] [--challenge FILE] [--dry-run]
              Takes a fresh challenge (asking for the receipts' proof types and count) unless --challenge names a
              saved one, checks it with the node's key, builds one receipt per entry of FILE answering it (task_id,
              challenge_nonce, client_did filled in, a fresh receipt_nonce each), signs each over its canonical
              encoding with the key and submits them as one batch. Prints the node's answer (JSON); exit 1 when the
              batch was refused or any receipt rejected.
              FILE: {"receipts": [ {...}, ... ]} (or a bare array), each receipt's fields optional:
                proof_type      "hash" | "merkle" | "signature"   (default: the challenge's first allowed type)
                bytes_verified  whole number                      (default: max(4096, the policy's minimum))
                result_ok       true | false                      (default true)
                content_id, provider_id, client_node_id   hex     (default random: 32, 8, 8 bytes)
                started_at, finished_at   unix seconds            (default: now)
                receipt_nonce   hex, 16..32 bytes                 (default fresh random; set it only to retry a receipt)
                aux             {"merkle_root": hex, "proof_digest": hex}   (default: none)
              --did DID          the enrolled client's DID
              --key DIR          the key directory (or its client.key) from client keygen
              --receipts FILE    the receipts file
              --url URL          the node's API (default %s)
              --challenge FILE   answer this saved challenge (client challenge --out FILE) instead of a fresh one
              --dry-run          print the signed batch (the body of POST /api/v1/pouw/receipts) instead of sending it""".formatted(DEFAULT_URL);

    static final String DISPUTE_USAGE = """
            usage: client dispute --did DID --key DIR --type TYPE --reason TEXT [--receipt-id ID] [--url URL] [--nonce N] [--timestamp SECS]
              POST /api/v1/pouw/disputes, signed with the key over
              "pouw-dispute:v2:<did>:<receipt_id or empty>:<type>:<sha256 hex of reason>:<nonce>:<timestamp>" (UTF-8).
              Prints the dispute the node filed (JSON).
              --did DID          the enrolled client's DID
              --key DIR          the key directory (or its client.key) from client keygen
              --type TYPE        %s
              --reason TEXT      the description, 1..4000 characters
              --receipt-id ID    the disputed receipt (a receipt_id from submit's answer), if any
              --url URL          the node's API (default %s)
              --nonce N          16..64 characters of A-Z a-z 0-9 _ - (default: 32 fresh random ones); never reuse one
              --timestamp SECS   the signing time, unix seconds (default: now)""".formatted(DISPUTE_TYPES, DEFAULT_URL);

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private ClientCli(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code client ARGS} (without the word {@code client}), printing answers to {@code out}, errors to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new ClientCli(out, err, Clock.systemUTC()).run(List.of(args));
    }

    private int run(List<String> args) {
        if (args.isEmpty()) {
            err.println("client: no command given");
            err.println(USAGE);
            return EXIT_USAGE;
        }
        String command = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "help", "--help", "-h" -> {
                    out.println(USAGE);
                    yield EXIT_OK;
                }
                case "keygen" -> keygen(Options.parse(rest, KEYGEN_USAGE, Set.of("--scheme", "--out"), Set.of()));
                case "enrol", "enroll" -> enrol(Options.parse(rest, ENROL_USAGE, Set.of("--did", "--url", "--key"), Set.of()));
                case "challenge" -> challenge(Options.parse(rest, CHALLENGE_USAGE,
                        Set.of("--did", "--url", "--capabilities", "--max-receipts", "--out"), Set.of()));
                case "submit" -> submit(Options.parse(rest, SUBMIT_USAGE,
                        Set.of("--did", "--url", "--key", "--receipts", "--challenge"), Set.of("--dry-run")));
                case "dispute" -> dispute(Options.parse(rest, DISPUTE_USAGE,
                        Set.of("--did", "--url", "--key", "--type", "--reason", "--receipt-id", "--nonce", "--timestamp"), Set.of()));
                default -> throw new UsageException("unknown command '" + command + "' (keygen, enrol, challenge, submit, dispute)", USAGE);
            };
        } catch (HelpRequested h) {
            out.println(h.usage);
            return EXIT_OK;
        } catch (UsageException e) {
            err.println("client " + command + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (PouwClientException e) {
            boolean answered = e.problem().isPresent();
            err.println("client " + command + ": " + e.getMessage() + (answered ? "" : " (is the node running? is --url right?)"));
            return answered ? EXIT_REFUSED : EXIT_UNAVAILABLE;
        } catch (RefusedException e) {
            err.println("client " + command + ": " + e.getMessage());
            return EXIT_REFUSED;
        } catch (RuntimeException e) { // one line, never a stack trace
            err.println("client " + command + ": failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return EXIT_REFUSED;
        }
    }

    // ---- keygen ----

    private int keygen(Options o) throws UsageException {
        String name = o.value("--scheme").orElse(SigScheme.ED25519.wireName());
        SigScheme scheme = SigScheme.fromWireName(name).orElseThrow(() -> new UsageException(
                "--scheme must be one of " + SCHEMES.replace('|', ' ') + ", not '" + name + "'", KEYGEN_USAGE));
        Path dir = Path.of(o.required("--out"));
        ClientKeyPair keys;
        try {
            keys = ClientKeyFiles.generate(scheme, dir, random);
        } catch (ClientKeyFiles.KeyFileException e) {
            throw new UsageException(e.getMessage(), KEYGEN_USAGE);
        }
        out.println(ClientKeyFiles.publicJson(keys));
        err.println("wrote " + dir.resolve(ClientKeyFiles.SECRET_FILE) + " (mode 0600, keep it secret) and "
                + dir.resolve(ClientKeyFiles.PUBLIC_FILE) + ": " + scheme.wireName() + ", " + keys.publicKey().length + "-byte public key");
        return EXIT_OK;
    }

    // ---- enrol ----

    private int enrol(Options o) throws UsageException {
        String did = o.required("--did");
        ClientKeyPair keys = keys(Path.of(o.required("--key")), ENROL_USAGE);
        PouwClient client = new PouwClient(o.url());
        JsonNode answer = client.selfEnrol(did, keys, client.nodeInfo().nodeId());
        out.println(WireJson.pretty(answer));
        err.println(did + (answer.path("created").asBoolean(false) ? " enrolled" : " was already enrolled with this key") + " ("
                + keys.scheme().wireName() + ")");
        return EXIT_OK;
    }

    // ---- challenge ----

    private int challenge(Options o) throws UsageException, RefusedException {
        String did = o.required("--did");
        PouwClient client = new PouwClient(o.url());
        List<ProofType> capabilities = o.value("--capabilities").isPresent()
                ? proofTypes(o.value("--capabilities").get()) : List.of(ProofType.HASH, ProofType.MERKLE);
        OptionalInt maxReceipts = o.value("--max-receipts").isPresent()
                ? OptionalInt.of((int) o.number("--max-receipts", 1, Integer.MAX_VALUE)) : OptionalInt.empty();
        Optional<Path> save = o.value("--out").map(Path::of);
        if (save.isPresent() && Files.exists(save.get())) {
            throw new UsageException(save.get() + " already exists; not overwriting it", CHALLENGE_USAGE);
        }
        JsonNode answer = client.challengeJson(did, capabilities, maxReceipts, OptionalLong.empty());
        IssuedChallenge challenge = checked(client, answer);
        String text = WireJson.pretty(answer);
        if (save.isPresent()) {
            try {
                Files.writeString(save.get(), text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            } catch (IOException e) {
                throw new UsageException("cannot write " + save.get() + ": " + why(e), CHALLENGE_USAGE);
            }
        }
        out.println(text);
        err.println("challenge for " + did + ": node signature verified; up to " + challenge.policy().maxReceipts() + " receipts of "
                + challenge.policy().allowedProofTypes().stream().map(ProofType::jsonName).collect(Collectors.joining(","))
                + ", expires at " + challenge.expiresAt() + " (in " + (challenge.expiresAt() - clock.instant().getEpochSecond()) + " s)"
                + save.map(p -> "; saved to " + p).orElse(""));
        return EXIT_OK;
    }

    /** Reads the challenge answer and checks it against the node's key; refuses one that is not genuine. */
    private static IssuedChallenge checked(PouwClient client, JsonNode answer) throws RefusedException {
        IssuedChallenge challenge;
        try {
            challenge = WireJson.readIssuedChallenge(answer);
        } catch (IllegalArgumentException e) {
            throw new RefusedException("unreadable challenge: " + e.getMessage());
        }
        Optional<String> problem = challenge.verify(client.nodeInfo());
        if (problem.isPresent()) {
            throw new RefusedException("the challenge is not genuine: " + problem.get());
        }
        return challenge;
    }

    // ---- submit ----

    private int submit(Options o) throws UsageException, RefusedException {
        String did = o.required("--did");
        Path keyPath = Path.of(o.required("--key"));
        ReceiptsFile receipts;
        try {
            receipts = ReceiptsFile.read(Path.of(o.required("--receipts")));
        } catch (ReceiptsFile.InvalidReceiptsException e) {
            throw new UsageException(e.getMessage(), SUBMIT_USAGE);
        }
        ClientKeyPair keys = keys(keyPath, SUBMIT_USAGE);
        PouwClient client = new PouwClient(o.url());
        IssuedChallenge challenge;
        if (o.value("--challenge").isPresent()) {
            Path file = Path.of(o.value("--challenge").get());
            JsonNode saved;
            try {
                saved = WireJson.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UsageException("cannot read the challenge " + file + ": " + why(e), SUBMIT_USAGE);
            } catch (IllegalArgumentException e) {
                throw new UsageException("the challenge " + file + " is not a saved challenge: " + e.getMessage(), SUBMIT_USAGE);
            }
            challenge = checked(client, saved);
        } else {
            Set<ProofType> types = receipts.proofTypes();
            challenge = checked(client, client.challengeJson(did, types.isEmpty() ? List.of(ProofType.HASH, ProofType.MERKLE)
                    : List.copyOf(types), OptionalInt.of(receipts.size()), OptionalLong.empty()));
        }
        List<SignedReceipt> signed = new ArrayList<>();
        for (int i = 0; i < receipts.size(); i++) {
            signed.add(receipts.apply(i, ReceiptBuilder.answering(challenge, did, clock)).sign(keys));
        }
        if (o.flag("--dry-run")) {
            out.println(WireJson.pretty(WireJson.parse(WireJson.batch(did, ReceiptBuilder.random(16), signed))));
            err.println("signed " + signed.size() + (signed.size() == 1 ? " receipt" : " receipts") + " answering challenge "
                    + challenge.challengeNonce().hex() + " (expires at " + challenge.expiresAt() + "); nothing sent");
            return EXIT_OK;
        }
        PouwClient.SubmitAnswer answer = client.submitAnswer(did, ReceiptBuilder.random(16), signed);
        SubmitResult result = answer.result();
        if (!result.processed()) {
            throw new RefusedException("the node refused the batch: " + result.summary());
        }
        out.println(WireJson.pretty(WireJson.parse(answer.body())));
        long accepted = result.outcomes().stream().filter(r -> r instanceof SubmitResult.Accepted).count();
        long rejected = result.outcomes().size() - accepted;
        err.println("submitted " + signed.size() + (signed.size() == 1 ? " receipt" : " receipts") + ": " + accepted + " accepted, "
                + rejected + " rejected");
        return rejected == 0 ? EXIT_OK : EXIT_REFUSED;
    }

    // ---- dispute ----

    private int dispute(Options o) throws UsageException {
        String did = o.required("--did");
        Path keyPath = Path.of(o.required("--key"));
        String type = o.required("--type");
        if (DisputeType.fromWireName(type).isEmpty()) {
            throw new UsageException("--type must be one of " + DISPUTE_TYPES + ", not '" + type + "'", DISPUTE_USAGE);
        }
        String reason = o.required("--reason");
        if (reason.isEmpty() || reason.length() > 4000) {
            throw new UsageException("--reason must be 1..4000 characters", DISPUTE_USAGE);
        }
        Optional<String> receiptId = o.value("--receipt-id").filter(id -> !id.isEmpty());
        String nonce = o.value("--nonce").orElseGet(this::nonce);
        if (!nonce.matches("[A-Za-z0-9_-]{16,64}")) {
            throw new UsageException("--nonce must be 16..64 characters of A-Z a-z 0-9 _ -", DISPUTE_USAGE);
        }
        long timestamp = o.value("--timestamp").isPresent() ? o.number("--timestamp", 0, Long.MAX_VALUE) : clock.instant().getEpochSecond();
        ClientKeyPair keys = keys(keyPath, DISPUTE_USAGE);
        JsonNode dispute = new PouwClient(o.url()).fileDispute(did, receiptId, type, reason, nonce, timestamp, keys);
        out.println(WireJson.pretty(dispute));
        err.println("filed dispute " + dispute.path("dispute_id").asText("?") + " (" + type + ", status "
                + dispute.path("status").asText("?") + ", nonce " + nonce + ")");
        return EXIT_OK;
    }

    private String nonce() {
        StringBuilder nonce = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            nonce.append(NONCE_ALPHABET[random.nextInt(NONCE_ALPHABET.length)]);
        }
        return nonce.toString();
    }

    // ---- shared ----

    private ClientKeyPair keys(Path path, String usage) throws UsageException {
        try {
            ClientKeyPair keys = ClientKeyFiles.read(path);
            if (ClientKeyFiles.readableByOthers(path)) {
                err.println("client: warning: " + path + " can be read by other users; chmod 600 it");
            }
            return keys;
        } catch (ClientKeyFiles.KeyFileException e) {
            throw new UsageException(e.getMessage(), usage);
        }
    }

    private static List<ProofType> proofTypes(String list) throws UsageException {
        Set<ProofType> types = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            types.add(ProofType.fromJsonName(name.strip()).orElseThrow(() -> new UsageException(
                    "--capabilities takes hash, merkle and/or signature, comma-separated, not '" + name.strip() + "'", CHALLENGE_USAGE)));
        }
        return List.copyOf(types);
    }

    /** Why a file could not be read or written, for people ("no such file", not the exception's name). */
    static String why(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            case FileAlreadyExistsException f -> "it already exists";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /** A bad command line or input file: one line, then exit 64. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;
        final transient String usage;

        UsageException(String message, String usage) {
            super(message);
            this.usage = usage;
        }
    }

    /** {@code --help} on a command. */
    static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;
        final transient String usage;

        HelpRequested(String usage) {
            super("help", null, false, false);
            this.usage = usage;
        }
    }

    /** The node answered, but not what the command needed: one line, then exit 1. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    /**
     * A parsed command line: {@code --name value} or {@code --name=value} for the options a command
     * takes, {@code --flag} for its flags, {@code --help}/{@code -h} anywhere; nothing else.
     */
    record Options(Map<String, String> values, Set<String> flags, String usage) {

        static Options parse(List<String> args, String usage, Set<String> options, Set<String> flagNames)
                throws UsageException, HelpRequested {
            Map<String, String> values = new HashMap<>();
            Set<String> flags = new LinkedHashSet<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--help") || arg.equals("-h")) {
                    throw new HelpRequested(usage);
                }
            }
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (flagNames.contains(name)) {
                    if (value != null) {
                        throw new UsageException(name + " takes no value", usage);
                    }
                    flags.add(name);
                    continue;
                }
                if (!options.contains(name)) {
                    throw new UsageException(arg.startsWith("-") ? "unknown option " + name : "unexpected argument '" + arg + "'", usage);
                }
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(name + " needs a value", usage);
                    }
                    value = args.get(++i);
                }
                if (values.put(name, value) != null) {
                    throw new UsageException(name + " given twice", usage);
                }
            }
            return new Options(Map.copyOf(values), Set.copyOf(flags), usage);
        }

        Optional<String> value(String name) {
            return Optional.ofNullable(values.get(name));
        }

        String required(String name) throws UsageException {
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                throw new UsageException(name + " is required", usage);
            }
            return value;
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        long number(String name, long min, long max) throws UsageException {
            String value = required(name);
            try {
                long n = Long.parseLong(value);
                if (n < min || n > max) {
                    throw new UsageException(name + " must be " + min + ".." + max + ", not " + value, usage);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException(name + " must be a whole number, not '" + value + "'", usage);
            }
        }

        URI url() throws UsageException {
            String value = value("--url").orElse(DEFAULT_URL);
            try {
                URI uri = URI.create(value);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new UsageException("--url must be http://HOST:PORT or https://HOST:PORT, not '" + value + "'", usage);
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new UsageException("--url is not a URL: '" + value + "'", usage);
            }
        }
    }
}
