package network.sovereign.pouw.application.service;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import network.sovereign.pouw.application.port.in.ClientAdmission;
import network.sovereign.pouw.application.port.in.FileDisputeUseCase;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.DisputeCursor;
import network.sovereign.pouw.application.port.out.DisputeResolution;
import network.sovereign.pouw.application.port.out.DisputeStore;
import network.sovereign.pouw.application.port.out.DisputeTransition;
import network.sovereign.pouw.application.port.out.ProtocolMetrics;
import network.sovereign.pouw.application.port.out.SignatureVerifier;
import network.sovereign.pouw.domain.Did;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.DisputeStatus;
import network.sovereign.pouw.domain.DisputeType;
import network.sovereign.pouw.domain.EpochSchedule;

/**
 * Disputes (SPEC §7): clients file them with a signature of their enrolled key; operators
 * investigate, resolve (compensation credited to the current epoch, outside the cap) or reject them.
 * Every operator change is a conditional status update in the store, so two nodes settling one
 * dispute at once cannot both succeed.
 */
public final class DisputeService implements FileDisputeUseCase, ManageDisputesUseCase {

    /** The prefix of the text a dispute signature signs. */
    public static final String SIGNATURE_PREFIX = "pouw-dispute:v2:";
    /** The shortest client nonce of a filing. */
    public static final int MIN_NONCE = 16;
    /** The longest client nonce of a filing. */
    public static final int MAX_NONCE = 64;
    /**
     * The smallest tolerance for a filing's timestamp, whatever the clock skew setting: a skew of 0
     * (a test setting) would refuse any filing that crosses a second boundary in flight. Replays are
     * refused by the nonce, which is kept for good; the timestamp only bounds how old a filing may be.
     */
    public static final Duration MIN_TIMESTAMP_TOLERANCE = Duration.ofSeconds(60);
    /** The audit action of an investigation. */
    public static final String INVESTIGATE_ACTION = "investigate_dispute";
    /** The audit action of a resolution. */
    public static final String RESOLVE_ACTION = "resolve_dispute";
    /** The audit action of a rejection. */
    public static final String REJECT_ACTION = "reject_dispute";
    /** The only compensation currency. */
    public static final String CURRENCY = "SOV";

    /** Decimals of one SOV in atoms. */
    private static final int SOV_DECIMALS = 18;
    /** reward_entries.amount_atoms is numeric(38,0). */
    /**
     * At most 10^9 SOV per dispute: far above any real compensation, and small enough that a client's
     * epoch total (cap plus many compensations) stays within numeric(38,0) when payouts are summed.
     */
    static final BigInteger MAX_ATOMS = BigInteger.TEN.pow(9 + SOV_DECIMALS);
    /** A status change that loses a race is re-read and retried this often before it is a conflict. */
    private static final int MAX_ATTEMPTS = 3;

    private final DisputeStore store;
    private final ClientDirectory clients;
    private final SignatureVerifier verifier;
    private final EpochSchedule epochs;
    private final Clock clock;
    private final ProtocolMetrics metrics;
    private final Supplier<String> ids;
    private final Supplier<Duration> clockSkew;

    /** Creates the service with a clock skew of 30 s for the filing timestamp. */
    public DisputeService(DisputeStore store, ClientDirectory clients, SignatureVerifier verifier, EpochSchedule epochs,
                          Clock clock, ProtocolMetrics metrics, Supplier<String> ids) {
        this(store, clients, verifier, epochs, clock, metrics, ids, () -> Duration.ofSeconds(30));
    }

    /**
     * Creates the service; {@code ids} makes dispute ids (at most 40 characters), {@code clockSkew} is
     * how far a filing's signed timestamp may be from the node's time ({@code POUW_CLOCK_SKEW_SECS}).
     */
    public DisputeService(DisputeStore store, ClientDirectory clients, SignatureVerifier verifier, EpochSchedule epochs,
                          Clock clock, ProtocolMetrics metrics, Supplier<String> ids, Supplier<Duration> clockSkew) {
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.store = Objects.requireNonNull(store, "store");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.epochs = Objects.requireNonNull(epochs, "epochs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    // ---------------------------------------------------------------- filing (client)

    @Override
    public FileResult file(FileDisputeCommand command, ClientAdmission admission) {
        Objects.requireNonNull(admission, "admission");
        Optional<String> problem = checkFiling(command);
        if (problem.isPresent()) {
            return new FileResult.Refused(Refusal.INVALID_REQUEST, problem.get());
        }
        String nonce = command.nonce().orElseThrow();
        long timestamp = command.timestamp().orElseThrow();
        long skew = Math.max(clockSkew.get().toSeconds(), MIN_TIMESTAMP_TOLERANCE.toSeconds());
        long nowSeconds = clock.instant().getEpochSecond();
        if (timestamp < nowSeconds - skew || timestamp > nowSeconds + skew) {
            return new FileResult.Refused(Refusal.STALE_TIMESTAMP, "timestamp " + timestamp + " is more than " + skew
                    + " s from the node's time " + nowSeconds + "; sign the filing again with the current time and a fresh nonce");
        }
        Optional<ClientKey> key = clients.findKey(command.clientDid());
        if (key.isEmpty()) {
            return new FileResult.Refused(Refusal.UNKNOWN_CLIENT, "client_did is not enrolled");
        }
        if (clients.isBlocked(command.clientDid())) {
            return new FileResult.Refused(Refusal.BLOCKED_DID, "client_did is blocked");
        }
        Optional<String> receiptId = command.receiptId().filter(id -> !id.isEmpty());
        byte[] message = signedText(command.clientDid(), receiptId, command.disputeType(), command.description(), nonce, timestamp);
        if (!verifier.verify(key.get().scheme(), key.get().publicKey().toArray(), message, command.signature().toArray())) {
            return new FileResult.Refused(Refusal.INVALID_SIGNATURE, "the signature does not verify with the enrolled key: it must sign \""
                    + SIGNATURE_TEMPLATE + "\"");
        }
        // From here on the request is the DID's own: only now may it spend the DID's permits.
        if (!admission.admit(command.clientDid())) {
            return new FileResult.Refused(Refusal.RATE_LIMITED, "too many requests for this DID");
        }
        if (receiptId.isPresent() && !store.isReceiptOf(receiptId.get(), command.clientDid())) {
            return new FileResult.Refused(Refusal.INVALID_REQUEST, "receipt_id names no receipt or rejection of this client");
        }
        Dispute dispute = new Dispute(ids.get(), command.clientDid(), receiptId, DisputeType.fromWireName(command.disputeType()).orElseThrow(),
                command.description(), DisputeStatus.OPEN, now(), Optional.empty());
        if (!store.file(dispute, command.signature(), nonce, timestamp)) {
            return new FileResult.Refused(Refusal.NONCE_REUSED, "this client has filed a dispute with nonce " + nonce
                    + " already: a replay is not filed again; a new dispute needs a fresh nonce");
        }
        metrics.disputeOpened();
        return new FileResult.Filed(dispute);
    }

    /** What a dispute signature signs, for error messages and documentation. */
    public static final String SIGNATURE_TEMPLATE = SIGNATURE_PREFIX
            + "<client_did>:<receipt_id or empty>:<dispute_type>:<sha256 hex of description>:<nonce>:<timestamp>";

    /** The text a dispute signature signs, UTF-8. */
    public static byte[] signedText(String clientDid, Optional<String> receiptId, String disputeType, String description,
                                    String nonce, long timestamp) {
        return (SIGNATURE_PREFIX + clientDid + ":" + receiptId.orElse("") + ":" + disputeType + ":" + sha256Hex(description)
                + ":" + nonce + ":" + timestamp).getBytes(StandardCharsets.UTF_8);
    }

    /** True for a nonce of {@value #MIN_NONCE}..{@value #MAX_NONCE} characters from {@code [A-Za-z0-9_-]}. */
    static boolean validNonce(String nonce) {
        return nonce.length() >= MIN_NONCE && nonce.length() <= MAX_NONCE
                && nonce.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Optional<String> checkFiling(FileDisputeCommand command) {
        if (!Did.isValid(command.clientDid())) {
            return Optional.of("client_did is not a DID (did:<method>:<id>, at most " + Did.MAX_LENGTH + " characters)");
        }
        if (DisputeType.fromWireName(command.disputeType()).isEmpty()) {
            return Optional.of("dispute_type must be one of " + java.util.Arrays.stream(DisputeType.values()).map(DisputeType::wireName).toList());
        }
        Optional<String> text = checkText("description", command.description(), true);
        if (text.isPresent()) {
            return text;
        }
        if (command.receiptId().isPresent() && (command.receiptId().get().length() > Dispute.MAX_ID
                || !command.receiptId().get().chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            return Optional.of("receipt_id names no receipt or rejection of this client");
        }
        if (command.signature().isEmpty()) {
            return Optional.of("signature is required (hex)");
        }
        if (command.nonce().isEmpty() || command.timestamp().isEmpty()) {
            return Optional.of("nonce and timestamp are required: the unsigned-nonce form \"pouw-dispute:v1:...\" is no longer accepted,"
                    + " since anyone who saw it could replay it. Send nonce (" + MIN_NONCE + ".." + MAX_NONCE
                    + " characters of A-Z a-z 0-9 _ -, new for every dispute) and timestamp (unix seconds), and sign \"" + SIGNATURE_TEMPLATE + "\"");
        }
        if (!validNonce(command.nonce().get())) {
            return Optional.of("nonce must be " + MIN_NONCE + ".." + MAX_NONCE + " characters of A-Z a-z 0-9 _ -");
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- operator

    @Override
    public Page<Dispute> list(Optional<DisputeStatus> status, Optional<String> clientDid, Optional<DisputeCursor> after, int limit) {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(after, "after");
        Page.checkLimit(limit);
        return Page.of(store.list(status, clientDid, after, limit + 1), limit);
    }

    @Override
    public Optional<DisputeDetail> detail(String disputeId) {
        if (!plausibleId(disputeId)) {
            return Optional.empty();
        }
        return store.find(disputeId).map(d -> new DisputeDetail(d, store.events(disputeId)));
    }

    @Override
    public ChangeResult investigate(String disputeId, Optional<String> note, String actor) {
        Optional<String> cleanNote = note.map(String::strip).filter(n -> !n.isEmpty());
        Optional<String> problem = cleanNote.flatMap(n -> checkText("note", n, false)).or(() -> checkActor(actor));
        if (problem.isPresent()) {
            return new ChangeResult.Invalid(problem.get());
        }
        return change(disputeId, DisputeStatus.UNDER_INVESTIGATION, current -> {
            if (current != DisputeStatus.OPEN) {
                return Optional.of("only an open dispute can be put under investigation; this one is " + current.wireName());
            }
            return Optional.empty();
        }, (dispute, at) -> new DisputeTransition(disputeId, dispute.status(), DisputeStatus.UNDER_INVESTIGATION, Optional.empty(),
                cleanNote, actor, at, Optional.empty(), audit(actor, INVESTIGATE_ACTION, disputeId, cleanNote,
                        "from=" + dispute.status().wireName() + " to=" + DisputeStatus.UNDER_INVESTIGATION.wireName(), at)));
    }

    @Override
    public ChangeResult resolve(ResolveCommand command) {
        Optional<DisputeResolutionType> type = DisputeResolutionType.fromWireName(command.resolutionType());
        if (type.isEmpty()) {
            return new ChangeResult.Invalid("resolution_type must be one of "
                    + java.util.Arrays.stream(DisputeResolutionType.values()).map(DisputeResolutionType::wireName).toList());
        }
        String explanation = command.explanation().strip();
        Optional<String> problem = checkText("explanation", explanation, true).or(() -> checkActor(command.actor()));
        if (problem.isPresent()) {
            return new ChangeResult.Invalid(problem.get());
        }
        Optional<BigInteger> atoms = Optional.empty();
        if (command.compensation().isPresent()) {
            if (type.get().outcome() != DisputeStatus.RESOLVED_FOR_CLAIMANT) {
                return new ChangeResult.Invalid("compensation is only possible with ClaimantCorrect or PartialResolution");
            }
            Compensation compensation = command.compensation().get();
            if (!CURRENCY.equals(compensation.currency())) {
                return new ChangeResult.Invalid("compensation.currency must be \"" + CURRENCY + "\"");
            }
            Optional<BigInteger> converted = toAtoms(compensation.amount());
            if (converted.isEmpty()) {
                return new ChangeResult.Invalid("compensation.amount must be a positive SOV amount of at most 1000000000 with at most "
                        + SOV_DECIMALS + " decimals");
            }
            atoms = converted;
        }
        DisputeStatus target = type.get().outcome();
        Optional<BigInteger> credit = atoms;
        ChangeResult result = change(command.disputeId(), target, current -> settledAlready(current),
                (dispute, at) -> {
                    String details = "from=" + dispute.status().wireName() + " to=" + target.wireName() + " resolution_type="
                            + type.get().wireName() + credit.map(a -> " compensation_atoms=" + a + " epoch=" + epochs.epochOf(at)).orElse("");
                    return new DisputeTransition(command.disputeId(), dispute.status(), target,
                            Optional.of(new DisputeResolution(type, explanation, credit, command.actor(), at)),
                            Optional.of(explanation), command.actor(), at,
                            credit.map(a -> new DisputeTransition.Compensation(epochs.epochOf(at), a)),
                            audit(command.actor(), RESOLVE_ACTION, command.disputeId(), Optional.of(explanation), details, at));
                });
        if (result instanceof ChangeResult.Changed) {
            metrics.disputeResolved(type.get());
        }
        return result;
    }

    @Override
    public ChangeResult reject(String disputeId, String explanation, String actor) {
        String text = explanation.strip();
        Optional<String> problem = checkText("explanation", text, true).or(() -> checkActor(actor));
        if (problem.isPresent()) {
            return new ChangeResult.Invalid(problem.get());
        }
        return change(disputeId, DisputeStatus.REJECTED, DisputeService::settledAlready,
                (dispute, at) -> new DisputeTransition(disputeId, dispute.status(), DisputeStatus.REJECTED,
                        Optional.of(new DisputeResolution(Optional.empty(), text, Optional.empty(), actor, at)),
                        Optional.of(text), actor, at, Optional.empty(),
                        audit(actor, REJECT_ACTION, disputeId, Optional.of(text),
                                "from=" + dispute.status().wireName() + " to=" + DisputeStatus.REJECTED.wireName(), at)));
    }

    /**
     * Reads the dispute, checks the change, and applies it conditionally; when another node changed the
     * dispute in between, reads it again and decides anew (so the loser of a race gets a conflict).
     */
    private ChangeResult change(String disputeId, DisputeStatus target, java.util.function.Function<DisputeStatus, Optional<String>> refusal,
                                java.util.function.BiFunction<Dispute, Instant, DisputeTransition> transition) {
        if (!plausibleId(disputeId)) {
            return new ChangeResult.NotFound();
        }
        for (int attempt = 1; ; attempt++) {
            Optional<Dispute> dispute = store.find(disputeId);
            if (dispute.isEmpty()) {
                return new ChangeResult.NotFound();
            }
            DisputeStatus current = dispute.get().status();
            Optional<String> refused = refusal.apply(current).or(() -> current.canMoveTo(target) ? Optional.empty()
                    : Optional.of("a " + current.wireName() + " dispute cannot become " + target.wireName()));
            if (refused.isPresent()) {
                return new ChangeResult.Conflict(current, refused.get());
            }
            Optional<Dispute> changed = store.transition(transition.apply(dispute.get(), now()));
            if (changed.isPresent()) {
                return new ChangeResult.Changed(changed.get());
            }
            if (attempt == MAX_ATTEMPTS) {
                DisputeStatus now = store.find(disputeId).map(Dispute::status).orElse(current);
                return new ChangeResult.Conflict(now, "the dispute was changed concurrently; it is now " + now.wireName());
            }
        }
    }

    private static Optional<String> settledAlready(DisputeStatus current) {
        return current.isFinal() ? Optional.of("the dispute is settled already (" + current.wireName() + ")") : Optional.empty();
    }

    /** SOV to atoms, exactly: positive, at most 18 decimals, at most {@link #MAX_ATOMS}; empty otherwise. */
    static Optional<BigInteger> toAtoms(BigDecimal sov) {
        if (sov.signum() <= 0) {
            return Optional.empty();
        }
        BigDecimal stripped = sov.stripTrailingZeros();
        // Bound the exponent before scaling, so 1e999999999 costs nothing.
        if (stripped.scale() > SOV_DECIMALS || stripped.precision() - stripped.scale() > 38 - SOV_DECIMALS) {
            return Optional.empty();
        }
        BigInteger atoms = stripped.movePointRight(SOV_DECIMALS).toBigIntegerExact();
        return atoms.compareTo(MAX_ATOMS) <= 0 ? Optional.of(atoms) : Optional.empty();
    }

    /** Atoms as an SOV decimal string, e.g. 100 SOV is "100" and 1 atom "0.000000000000000001". */
    public static String sov(BigInteger atoms) {
        return new BigDecimal(atoms, SOV_DECIMALS).stripTrailingZeros().toPlainString();
    }

    private static AuditEntry audit(String actor, String action, String disputeId, Optional<String> text, String details, Instant at) {
        Optional<String> reason = text.map(t -> t.length() > AuditEntry.MAX_REASON ? t.substring(0, AuditEntry.MAX_REASON) : t);
        return new AuditEntry(actor, action, Optional.of(disputeId), reason, Optional.of(details), at);
    }

    private static Optional<String> checkText(String name, String text, boolean required) {
        if (text.isBlank()) {
            return required ? Optional.of(name + " is required") : Optional.empty();
        }
        if (text.length() > Dispute.MAX_TEXT) {
            return Optional.of(name + " is at most " + Dispute.MAX_TEXT + " characters");
        }
        if (text.indexOf('\0') >= 0) {
            return Optional.of(name + " must not contain NUL characters");
        }
        return Optional.empty();
    }

    private static Optional<String> checkActor(String actor) {
        if (actor.isBlank() || actor.length() > AuditEntry.MAX_ACTOR) {
            return Optional.of("the admin token name must be 1.." + AuditEntry.MAX_ACTOR + " characters to be audited");
        }
        return Optional.empty();
    }

    private static boolean plausibleId(String id) {
        return !id.isEmpty() && id.length() <= Dispute.MAX_ID && id.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private Instant now() {
        // The databases keep microseconds: a dispute read back equals the one stored, and cursors compare exactly.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
