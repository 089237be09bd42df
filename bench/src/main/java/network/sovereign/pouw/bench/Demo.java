package network.sovereign.pouw.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * The {@code demo} command: against a running node, for each chosen signature scheme, enrols a fresh
 * DID, takes a challenge and shows the protocol's answers, one line per step: (a) a valid receipt is
 * accepted; (b) one tampered after signing is {@code invalid_signature}; (c) an identical retry of (a)
 * is accepted again, {@code replayed=true}, same {@code receipt_id}; (d) another receipt reusing (a)'s
 * nonce is {@code duplicate_nonce}; (e) a receipt for an expired challenge is {@code expired_challenge}
 * (shown only when the node's challenges expire within {@code --max-wait}); (f) a batch from a DID
 * nobody enrolled is refused with 401 {@code unknown_client}. Exit status 0 when every step got the
 * expected answer, 1 otherwise, 64 for a bad command line.
 */
public final class Demo {

    /** Every step got the expected answer. */
    public static final int EXIT_OK = 0;
    /** A step got another answer, or the node could not be reached. */
    public static final int EXIT_FAILED = 1;
    /** Bad command line (as sysexits' EX_USAGE, like the node's CLI). */
    public static final int EXIT_USAGE = 64;

    static final Path DEFAULT_TOKEN_FILE = Path.of("data", "admin.token");
    static final List<SigScheme> ALL_SCHEMES = List.of(SigScheme.ED25519, SigScheme.ML_DSA_44, SigScheme.ML_DSA_65,
            SigScheme.ML_DSA_87, SigScheme.DILITHIUM5);
    private static final String RECIPE = "POUW_CHALLENGE_TTL_SECS=2 POUW_CLOCK_SKEW_SECS=0";
    private static final int MAX_ATTEMPTS_A = 3;

    static final String USAGE = """
            usage: java -jar pouw-bench.jar [demo] [--url URL] [--token TOKEN | --token-file FILE]
                                            [--scheme ed25519|ml-dsa-44|ml-dsa-65|ml-dsa-87|dilithium5|all]
                                            [--clock-skew SECS] [--max-wait SECS]
              --url URL          the node's API (default http://127.0.0.1:8080)
              --token TOKEN      an admin bearer token (POUW_ADMIN_TOKENS); visible to other users in ps, prefer:
              --token-file FILE  a file holding the token (default data/admin.token, which the node writes
                                 when POUW_ADMIN_TOKENS is unset)
              --scheme S         the client key scheme to show, or all of them (default all)
              --clock-skew SECS  the node's POUW_CLOCK_SKEW_SECS (default 0), to know when a challenge has expired
              --max-wait SECS    the longest the demo waits for a challenge to expire in step (e) (default 10)
            exit status: 0 every step got the expected answer, 1 otherwise, 64 bad command line
            the client tool (keys, challenges, receipts, disputes): java -jar pouw-bench.jar client --help (./dev client --help)
            the benchmark: ./dev bench --help, or java -cp pouw-bench.jar network.sovereign.pouw.bench.LoadGenerator --help""";

    private final PouwClient client;
    private final String adminToken;
    private final long clockSkew;
    private final long maxWaitSeconds;
    private final PrintStream out;
    private final SecureRandom random = new SecureRandom();
    private int ok;
    private int skipped;
    private int unexpected;
    /** Local time (ms) and node time (s) of one answer: the node's clock is at least {@code nodeSecond + (now - localMillis)}. */
    private long localMillis;
    private long nodeSecond;

    private Demo(PouwClient client, String adminToken, long clockSkew, long maxWaitSeconds, PrintStream out) {
        this.client = client;
        this.adminToken = adminToken;
        this.clockSkew = clockSkew;
        this.maxWaitSeconds = maxWaitSeconds;
        this.out = out;
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command, printing the story to {@code out} and usage errors to {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("client")) {
            return ClientCli.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            err.println("pouw-bench: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.println(USAGE);
            return EXIT_OK;
        }
        String token;
        try {
            token = options.adminToken();
        } catch (UsageException e) {
            err.println("pouw-bench: " + e.getMessage());
            return EXIT_USAGE;
        }
        Demo demo = new Demo(new PouwClient(options.url()), token, options.clockSkew(), options.maxWait(), out);
        return demo.run(options.schemes());
    }

    private int run(Optional<SigScheme> only) {
        NodeInfo node;
        try {
            node = client.nodeInfo();
            localMillis = System.currentTimeMillis();
            nodeSecond = node.serverTime();
        } catch (PouwClientException e) {
            out.println("pouw demo: cannot use the node at " + client.baseUrl() + ": " + e.getMessage()
                    + (e.problem().isEmpty() ? " (is it running? is --url right?)" : ""));
            out.println("summary: node unreachable -> FAIL");
            return EXIT_FAILED;
        }
        out.println("pouw demo against " + client.baseUrl() + ": pouw-node " + node.version() + ", node key " + node.sigScheme()
                + " (node_id " + node.nodeId().hex().substring(0, Math.min(16, node.nodeId().hex().length())) + "…), accepts "
                + String.join(",", node.acceptedSigSchemes()));
        List<SigScheme> schemes = only.map(List::of).orElse(ALL_SCHEMES);
        for (SigScheme scheme : schemes) {
            if (!node.acceptedSigSchemes().contains(scheme.wireName())) {
                if (only.isPresent()) {
                    step(Verdict.UNEXPECTED, scheme, "scheme", "the node does not accept " + scheme.wireName()
                            + " (POUW_ACCEPTED_SIG_SCHEMES)");
                } else {
                    step(Verdict.SKIPPED, scheme, "scheme", "skipped (the node does not accept it: POUW_ACCEPTED_SIG_SCHEMES)");
                }
                continue;
            }
            story(node, scheme);
        }
        boolean pass = unexpected == 0;
        out.println("summary: " + schemes.size() + (schemes.size() == 1 ? " scheme, " : " schemes, ") + ok + " steps as expected, "
                + skipped + " skipped, " + unexpected + " unexpected -> " + (pass ? "PASS" : "FAIL"));
        return pass ? EXIT_OK : EXIT_FAILED;
    }

    /** The whole story for one scheme. */
    private void story(NodeInfo node, SigScheme scheme) {
        ClientKeyPair keys = ClientKeyPair.generate(scheme, random);
        String did = "did:sov:demo-" + scheme.wireName().replace("-", "") + "-" + ReceiptBuilder.random(4).hex();
        try {
            Enrolment enrolment = client.enrol(adminToken, did, keys);
            step(Verdict.OK, scheme, "enrol", did + (enrolment.created() ? " enrolled" : " key rotated") + " ("
                    + keys.publicKey().length + "-byte " + scheme.wireName() + " key)");
        } catch (PouwClientException e) {
            step(Verdict.UNEXPECTED, scheme, "enrol", e.getMessage() + hint(e));
            return;
        }
        IssuedChallenge challenge;
        try {
            challenge = takeChallenge(node, scheme, did, "challenge");
        } catch (PouwClientException e) {
            step(Verdict.UNEXPECTED, scheme, "challenge", e.getMessage());
            return;
        }
        // (e) needs a challenge that expires soon; take it now so that its lifetime passes during (a)..(f).
        boolean showExpiry = waitMillis(challenge.expiresAt()) <= maxWaitSeconds * 1000;
        Optional<IssuedChallenge> expiring = Optional.empty();
        if (showExpiry) {
            try {
                expiring = Optional.of(client.challenge(did, List.of(ProofType.HASH), OptionalInt.of(1)));
            } catch (PouwClientException e) {
                step(Verdict.UNEXPECTED, scheme, "(e) receipt for an expired challenge", "no challenge: " + e.getMessage());
            }
        }
        Optional<SignedReceipt> signedForExpiring = expiring.map(c -> PouwClient.receipt(c, did).proofType(ProofType.HASH).sign(keys));

        // (a) a valid receipt
        Optional<SignedReceipt> valid = Optional.empty();
        Optional<SubmitResult.Accepted> first = Optional.empty();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS_A && first.isEmpty(); attempt++) {
            SignedReceipt candidate = validReceipt(challenge, did, keys);
            Optional<SubmitResult.Outcome> outcome = submitOne(scheme, "(a) valid receipt", did, candidate);
            if (outcome.isEmpty()) {
                break;
            }
            if (outcome.get() instanceof SubmitResult.Accepted a && !a.replayed()) {
                valid = Optional.of(candidate);
                first = Optional.of(a);
                step(Verdict.OK, scheme, "(a) valid receipt", SubmitResult.describe(a));
            } else if (outcome.get() instanceof SubmitResult.Rejected r && r.reason().equals("expired_challenge") && attempt < MAX_ATTEMPTS_A) {
                out.println(line("[note]", scheme, "(a) valid receipt", "challenge expired before the receipt arrived (node TTL "
                        + challenge.ttlSeconds() + " s); again with a fresh challenge"));
                try {
                    challenge = client.challenge(did, List.of(ProofType.HASH, ProofType.MERKLE));
                } catch (PouwClientException e) {
                    step(Verdict.UNEXPECTED, scheme, "(a) valid receipt", "no fresh challenge: " + e.getMessage());
                    break;
                }
            } else {
                step(Verdict.UNEXPECTED, scheme, "(a) valid receipt", SubmitResult.describe(outcome.get()) + " (expected accepted)");
                break;
            }
        }

        // (b) a receipt changed after signing
        SignedReceipt honest = PouwClient.receipt(challenge, did).sign(keys);
        Receipt changed = ReceiptBuilder.from(honest.receipt()).bytesVerified(honest.receipt().bytesVerified() + 1024).build();
        expectRejected(scheme, "(b) tampered after signing", did, new SignedReceipt(changed, honest.sigScheme(), honest.signature()),
                "invalid_signature");

        // (c) the identical receipt again, (d) another receipt with (a)'s nonce
        if (valid.isPresent()) {
            Optional<SubmitResult.Outcome> again = submitOne(scheme, "(c) identical retry of (a)", did, valid.get());
            String expectedId = first.orElseThrow().receiptId();
            again.ifPresent(o -> {
                if (o instanceof SubmitResult.Accepted a && a.replayed() && a.receiptId().equals(expectedId)) {
                    step(Verdict.OK, scheme, "(c) identical retry of (a)", SubmitResult.describe(a) + " (same receipt_id, no new reward)");
                } else {
                    step(Verdict.UNEXPECTED, scheme, "(c) identical retry of (a)", SubmitResult.describe(o)
                            + " (expected accepted replayed=true receipt_id=" + expectedId + ")");
                }
            });
            SignedReceipt reuse = PouwClient.receipt(challenge, did).receiptNonce(valid.get().receipt().receiptNonce()).sign(keys);
            expectRejected(scheme, "(d) other receipt, (a)'s nonce", did, reuse, "duplicate_nonce");
        } else {
            step(Verdict.UNEXPECTED, scheme, "(c) identical retry of (a)", "not run: (a) was not accepted");
            step(Verdict.UNEXPECTED, scheme, "(d) other receipt, (a)'s nonce", "not run: (a) was not accepted");
        }

        // (e) a receipt for an expired challenge
        String labelE = "(e) receipt for an expired challenge";
        if (signedForExpiring.isPresent()) {
            long waited = waitUntilExpired(expiring.orElseThrow().expiresAt());
            Optional<SubmitResult.Outcome> late = submitOne(scheme, labelE, did, signedForExpiring.get());
            late.ifPresent(o -> {
                String after = " after waiting " + String.format(Locale.ROOT, "%.1f", waited / 1000.0) + " s";
                if (o instanceof SubmitResult.Rejected r && r.reason().equals("expired_challenge")) {
                    step(Verdict.OK, scheme, labelE, SubmitResult.describe(o) + after);
                } else {
                    step(Verdict.UNEXPECTED, scheme, labelE, SubmitResult.describe(o) + after + " (expected expired_challenge;"
                            + " is the node's POUW_CLOCK_SKEW_SECS larger than --clock-skew " + clockSkew + "?)");
                }
            });
        } else if (!showExpiry) {
            step(Verdict.SKIPPED, scheme, labelE, "skipped (node TTL is " + challenge.ttlSeconds() + " s; run the node with "
                    + RECIPE + " to see it)");
        }

        // (f) a DID nobody enrolled
        String stranger = "did:sov:demo-unknown-" + ReceiptBuilder.random(4).hex();
        String labelF = "(f) unknown client";
        try {
            SubmitResult refused = client.submit(stranger, List.of(PouwClient.receipt(challenge, stranger).sign(keys)));
            boolean expected = refused.status() == 401 && refused.problem().flatMap(ApiProblem::reason).filter("unknown_client"::equals).isPresent();
            step(expected ? Verdict.OK : Verdict.UNEXPECTED, scheme, labelF, stranger + ": " + refused.summary()
                    + (expected ? "" : " (expected HTTP 401 unknown_client)"));
        } catch (PouwClientException e) {
            step(Verdict.UNEXPECTED, scheme, labelF, e.getMessage());
        }
    }

    private IssuedChallenge takeChallenge(NodeInfo node, SigScheme scheme, String did, String label) {
        IssuedChallenge challenge = client.challenge(did, List.of(ProofType.HASH, ProofType.MERKLE));
        Optional<String> problem = challenge.verify(node);
        String shape = "task " + challenge.taskId().hex().substring(0, Math.min(8, challenge.taskId().hex().length())) + "…, TTL "
                + challenge.ttlSeconds() + " s, up to " + challenge.policy().maxReceipts() + " receipts";
        if (problem.isPresent()) {
            step(Verdict.UNEXPECTED, scheme, label, shape + "; " + problem.get());
        } else {
            step(Verdict.OK, scheme, label, shape + "; node signature (" + node.sigScheme() + ") verified");
        }
        return challenge;
    }

    /** A merkle receipt with an {@code aux} when the challenge allows it (shows aux signing), else the default. */
    private static SignedReceipt validReceipt(IssuedChallenge challenge, String did, ClientKeyPair keys) {
        ReceiptBuilder builder = PouwClient.receipt(challenge, did);
        if (challenge.policy().allows(ProofType.MERKLE)) {
            builder.proofType(ProofType.MERKLE).aux(new Aux(ReceiptBuilder.random(32), Bytes.EMPTY));
        }
        return builder.sign(keys);
    }

    private void expectRejected(SigScheme scheme, String label, String did, SignedReceipt signed, String reason) {
        submitOne(scheme, label, did, signed).ifPresent(o -> {
            if (o instanceof SubmitResult.Rejected r && r.reason().equals(reason)) {
                step(Verdict.OK, scheme, label, SubmitResult.describe(o));
            } else {
                step(Verdict.UNEXPECTED, scheme, label, SubmitResult.describe(o) + " (expected " + reason + ")");
            }
        });
    }

    /** Submits one receipt; the outcome, or empty after printing the UNEXPECTED line for a refused or failed batch. */
    private Optional<SubmitResult.Outcome> submitOne(SigScheme scheme, String label, String did, SignedReceipt signed) {
        try {
            SubmitResult result = client.submit(did, List.of(signed));
            if (!result.processed()) {
                step(Verdict.UNEXPECTED, scheme, label, "batch refused: " + result.summary());
                return Optional.empty();
            }
            result.serverTime().ifPresent(this::observeNodeTime);
            Optional<SubmitResult.Outcome> outcome = result.outcomeFor(signed.receipt().receiptNonce());
            if (outcome.isEmpty()) {
                step(Verdict.UNEXPECTED, scheme, label, "the answer has no outcome for the receipt: " + result.summary());
            }
            return outcome;
        } catch (PouwClientException e) {
            step(Verdict.UNEXPECTED, scheme, label, e.getMessage());
            return Optional.empty();
        }
    }

    private void observeNodeTime(long serverTime) {
        localMillis = System.currentTimeMillis();
        nodeSecond = serverTime;
    }

    /**
     * How long until the node surely sees {@code expiresAt} as past ({@code now > expires_at + skew}).
     * The node's clock is at least {@code nodeSecond + (now - localMillis)}: it read {@code nodeSecond}
     * before {@code localMillis}, so this never underestimates the wait.
     */
    private long waitMillis(long expiresAt) {
        long due = localMillis + (expiresAt + clockSkew + 1 - nodeSecond) * 1000;
        return Math.max(0, due - System.currentTimeMillis());
    }

    private long waitUntilExpired(long expiresAt) {
        long started = System.currentTimeMillis();
        long remaining;
        while ((remaining = waitMillis(expiresAt)) > 0) {
            try {
                Thread.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return System.currentTimeMillis() - started;
    }

    private void step(Verdict verdict, SigScheme scheme, String label, String outcome) {
        switch (verdict) {
            case OK -> ok++;
            case SKIPPED -> skipped++;
            case UNEXPECTED -> unexpected++;
        }
        out.println(line(verdict.mark, scheme, label, outcome));
        out.flush();
    }

    private static String line(String mark, SigScheme scheme, String label, String outcome) {
        return String.format(Locale.ROOT, "%-12s %-10s %-38s %s", mark, scheme.wireName(), label, outcome);
    }

    private static String hint(PouwClientException e) {
        return switch (e.problem().map(ApiProblem::status).orElse(0)) {
            case 401 -> " (no admin token sent?)";
            case 403 -> " (wrong admin token? it is in POUW_ADMIN_TOKENS or $POUW_DATA_DIR/admin.token)";
            default -> "";
        };
    }

    /** How a step went. */
    private enum Verdict {
        OK("[ok]"), SKIPPED("[skipped]"), UNEXPECTED("[UNEXPECTED]");

        final String mark;

        Verdict(String mark) {
            this.mark = mark;
        }
    }

    /** A bad command line. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * The command line.
     *
     * @param url       the node's API
     * @param token     {@code --token}, if given
     * @param tokenFile {@code --token-file}, if given
     * @param schemes   one scheme, or empty for all
     * @param clockSkew the node's clock skew, seconds
     * @param maxWait   the longest wait for an expiring challenge, seconds
     * @param help      {@code --help}
     */
    record Options(URI url, Optional<String> token, Optional<Path> tokenFile, Optional<SigScheme> schemes, long clockSkew,
                   long maxWait, boolean help) {

        static Options parse(String[] args) throws UsageException {
            URI url = URI.create("http://127.0.0.1:8080");
            Optional<String> token = Optional.empty();
            Optional<Path> tokenFile = Optional.empty();
            Optional<SigScheme> scheme = Optional.empty();
            long clockSkew = 0;
            long maxWait = 10;
            List<String> rest = new ArrayList<>(List.of(args));
            if (!rest.isEmpty() && rest.getFirst().equals("demo")) {
                rest.removeFirst();
            }
            for (int i = 0; i < rest.size(); i++) {
                String arg = rest.get(i);
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (name.equals("--help") || name.equals("-h")) {
                    return new Options(url, token, tokenFile, scheme, clockSkew, maxWait, true);
                }
                if (!name.startsWith("--")) {
                    throw new UsageException("unknown command or argument '" + arg + "' (the commands are demo and client)");
                }
                if (value == null) {
                    if (i + 1 >= rest.size()) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = rest.get(++i);
                }
                switch (name) {
                    case "--url" -> url = url(value);
                    case "--token" -> token = Optional.of(value);
                    case "--token-file" -> tokenFile = Optional.of(Path.of(value));
                    case "--scheme" -> scheme = scheme(value);
                    case "--clock-skew" -> clockSkew = seconds(name, value);
                    case "--max-wait" -> maxWait = seconds(name, value);
                    default -> throw new UsageException("unknown option " + name);
                }
            }
            if (token.isPresent() && tokenFile.isPresent()) {
                throw new UsageException("give --token or --token-file, not both");
            }
            return new Options(url, token, tokenFile, scheme, clockSkew, maxWait, false);
        }

        /** The admin token: {@code --token}, else the first line of {@code --token-file} or of data/admin.token. */
        String adminToken() throws UsageException {
            if (token.isPresent()) {
                if (token.get().isBlank()) {
                    throw new UsageException("--token is empty");
                }
                return token.get().strip();
            }
            Path file = tokenFile.orElse(DEFAULT_TOKEN_FILE);
            if (tokenFile.isEmpty() && !Files.exists(file)) {
                throw new UsageException("no admin token: pass --token or --token-file (the node writes one to"
                        + " $POUW_DATA_DIR/admin.token when POUW_ADMIN_TOKENS is unset; " + file + " does not exist here)");
            }
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) {
                    throw new UsageException("the token file " + file + " is empty");
                }
                return text.lines().findFirst().orElseThrow().strip();
            } catch (IOException e) {
                throw new UsageException("cannot read the token file " + file + ": " + e.getMessage());
            }
        }

        private static URI url(String value) throws UsageException {
            try {
                URI uri = URI.create(value);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new UsageException("--url must be http://HOST:PORT or https://HOST:PORT, not '" + value + "'");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new UsageException("--url is not a URL: '" + value + "'");
            }
        }

        private static Optional<SigScheme> scheme(String value) throws UsageException {
            if (value.equals("all")) {
                return Optional.empty();
            }
            Optional<SigScheme> scheme = SigScheme.fromWireName(value);
            if (scheme.isEmpty()) {
                throw new UsageException("unknown scheme '" + value + "' (ed25519, ml-dsa-44, ml-dsa-65, ml-dsa-87, dilithium5 or all)");
            }
            return scheme;
        }

        private static long seconds(String name, String value) throws UsageException {
            try {
                long n = Long.parseLong(value);
                if (n < 0 || n > 86_400) {
                    throw new UsageException(name + " must be 0..86400 seconds, not " + value);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException(name + " must be a whole number of seconds, not '" + value + "'");
            }
        }
    }
}
