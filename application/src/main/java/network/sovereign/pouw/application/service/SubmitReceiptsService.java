package network.sovereign.pouw.application.service;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.application.port.out.ProtocolMetrics;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.application.port.out.ReceiptLedger.AcceptResult;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.application.port.out.SignatureVerifier;
import network.sovereign.pouw.application.port.out.StoredReceipt;
import network.sovereign.pouw.application.port.out.SubmitThrottle;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.Did;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.ReceiptRules;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.RewardSchedule;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import network.sovereign.pouw.domain.Violation;

/**
 * Validates a batch in the order of SPEC §3.2, cheap checks first (shape → client → replay pre-check
 * → signature → challenge binding, expiry and times → policy → store), with the batch as the unit of
 * work: one replay pre-check for all of its nonces, its signatures verified together (over idle cores,
 * as the verifier sees fit), one read of its distinct challenges, one ledger call that stores every
 * accepted receipt (sharing transactions with concurrent batches) and one that stores its rejections.
 * The ledger's transaction decides replays and then the challenge budget for good: a receipt racing
 * its own replay on another node is answered as a replay even when it took the challenge's last slot.
 *
 * <p>Who sent it: the per-DID permit is spent only when at least one signature of the batch verified
 * with the DID's key; a replay is answered only for the same canonical bytes with the stored signature
 * or another one that verifies; a used nonce with a signature that does not verify is
 * {@code invalid_signature} (no nonce oracle). Rejections belong to the batch's DID and say whether
 * their own signature verified; those that did not are stored only within the throttle's budget.
 */
public final class SubmitReceiptsService implements SubmitReceiptsUseCase {

    private final ClientDirectory clients;
    private final ChallengeStore challenges;
    private final ReceiptLedger ledger;
    private final SignatureVerifier verifier;
    private final NodeKey nodeKey;
    private final Supplier<ProtocolSettings> settings;
    private final RewardSchedule rewards;
    private final Clock clock;
    private final ProtocolMetrics metrics;
    private final Supplier<String> ids;
    private final SubmitThrottle throttle;

    /** Creates the service from its ports and settings; {@code ids} makes receipt and rejection ids. */
    public SubmitReceiptsService(ClientDirectory clients, ChallengeStore challenges, ReceiptLedger ledger,
                                 SignatureVerifier verifier, NodeKey nodeKey, Supplier<ProtocolSettings> settings,
                                 RewardSchedule rewards, Clock clock, ProtocolMetrics metrics, Supplier<String> ids) {
        this(clients, challenges, ledger, verifier, nodeKey, settings, rewards, clock, metrics, ids, SubmitThrottle.NONE);
    }

    /** Creates the service with the limits that apply once a batch is authenticated. */
    public SubmitReceiptsService(ClientDirectory clients, ChallengeStore challenges, ReceiptLedger ledger,
                                 SignatureVerifier verifier, NodeKey nodeKey, Supplier<ProtocolSettings> settings,
                                 RewardSchedule rewards, Clock clock, ProtocolMetrics metrics, Supplier<String> ids,
                                 SubmitThrottle throttle) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rewards = Objects.requireNonNull(rewards, "rewards");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    @Override
    public int batchSizeMax() {
        return settings.get().batchSizeMax();
    }

    @Override
    public SubmitOutcome submit(ReceiptBatch batch, int unreadable, String origin) {
        if (unreadable < 0) {
            throw new IllegalArgumentException("unreadable must not be negative: " + unreadable);
        }
        Objects.requireNonNull(origin, "origin");
        int size = batch.receipts().size() + unreadable;
        int max = settings.get().batchSizeMax();
        if (size > max) {
            // Counted once: a batch refused as too large was never read as receipts.
            return refuse(1, BatchRefusal.TOO_LARGE, RejectionReason.MALFORMED_RECEIPT,
                    "the batch has " + size + " receipts, at most " + max + " are allowed");
        }
        if (batch.version() != ReceiptRules.PROTOCOL_VERSION) {
            return refuse(size, BatchRefusal.MALFORMED, RejectionReason.MALFORMED_RECEIPT,
                    "unsupported protocol version " + Integer.toUnsignedString(batch.version()));
        }
        if (!Did.isValid(batch.clientDid())) {
            return refuse(size, BatchRefusal.MALFORMED, RejectionReason.MALFORMED_RECEIPT, "client_did is not a DID");
        }
        if (size == 0) {
            return refuse(size, BatchRefusal.MALFORMED, RejectionReason.MALFORMED_RECEIPT, "the batch has no receipts");
        }
        Optional<ClientKey> key = clients.findKey(batch.clientDid());
        if (key.isEmpty()) {
            return refuse(size, BatchRefusal.UNKNOWN_CLIENT, RejectionReason.UNKNOWN_CLIENT, "client_did is not enrolled");
        }
        if (clients.isBlocked(batch.clientDid())) {
            return refuse(size, BatchRefusal.BLOCKED_DID, RejectionReason.BLOCKED_DID, "client_did is blocked");
        }
        long started = System.nanoTime();
        BatchWork work = new BatchWork(batch, key.get(), origin);
        Optional<SubmitOutcome> throttled = work.run();
        if (throttled.isPresent()) {
            return throttled.get();
        }
        Duration perReceipt = Duration.ofNanos((System.nanoTime() - started) / Math.max(1, batch.receipts().size()));
        for (int i = 0; i < batch.receipts().size(); i++) {
            metrics.receiptProcessed(perReceipt);
        }
        return new SubmitOutcome.Processed(Arrays.asList(work.outcomes));
    }

    /** One batch on its way through the checks; each receipt's outcome is set once, in place. */
    private final class BatchWork {

        private final ReceiptBatch batch;
        private final String did;
        private final ClientKey key;
        private final String origin;
        private final int n;
        private final ReceiptOutcome[] outcomes;
        private final byte[][] canonical;
        /** True where the receipt's own signature verified with the DID's key. */
        private final boolean[] authenticated;
        /** The violation of each rejected receipt. */
        private final Violation[] violations;
        /** Rejections to store, with their index, in the batch's order. */
        private final List<Pending> rejections = new ArrayList<>();

        private record Pending(int index, Violation violation) {
        }

        BatchWork(ReceiptBatch batch, ClientKey key, String origin) {
            this.batch = batch;
            this.did = batch.clientDid();
            this.key = key;
            this.origin = origin;
            this.n = batch.receipts().size();
            this.outcomes = new ReceiptOutcome[n];
            this.canonical = new byte[n][];
            this.authenticated = new boolean[n];
            this.violations = new Violation[n];
        }

        /** Runs the checks and stores what they decided; a throttled batch stores nothing. */
        Optional<SubmitOutcome> run() {
            List<SignedReceipt> receipts = batch.receipts();
            // (1) Shape, and the first of several receipts with one nonce goes on; the others wait for its outcome.
            List<Integer> live = new ArrayList<>(n);
            Map<Bytes, Integer> firstWithNonce = new HashMap<>();
            Map<Integer, Integer> laterTwins = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                SignedReceipt signed = receipts.get(i);
                canonical[i] = CanonicalEncoding.encode(signed.receipt());
                Optional<Violation> shape = ReceiptRules.checkShape(signed, did);
                if (shape.isPresent()) {
                    reject(i, shape.get());
                    continue;
                }
                Integer first = firstWithNonce.putIfAbsent(signed.receipt().receiptNonce(), i);
                if (first != null) {
                    laterTwins.put(i, first);
                } else {
                    live.add(i);
                }
            }

            // (2) One replay pre-check for the batch.
            Map<Bytes, StoredReceipt> earlier = live.isEmpty() ? Map.of()
                    : ledger.findByNonces(live.stream().map(i -> receipts.get(i).receipt().receiptNonce()).toList());

            // (3) Signatures, all of the batch's at once: an identical resend (same bytes, same signature) needs none.
            List<Integer> toVerify = new ArrayList<>(live.size());
            for (int i : live) {
                SignedReceipt signed = receipts.get(i);
                StoredReceipt stored = earlier.get(signed.receipt().receiptNonce());
                // (sig_scheme is not signed over: it must name the enrolled key's scheme, as it did when stored.)
                if (stored != null && identical(stored, i) && stored.signature().equals(signed.signature())
                        && signed.sigScheme().equals(key.scheme().wireName())) {
                    replayed(i, stored);
                    continue;
                }
                Optional<Violation> cheap = cheapSignatureChecks(signed);
                if (cheap.isPresent()) {
                    reject(i, cheap.get());
                } else {
                    toVerify.add(i);
                }
            }
            verify(toVerify);

            // (4) Authenticated: the DID's permit, once per batch.
            boolean anyVerified = toVerify.stream().anyMatch(i -> authenticated[i]);
            if (anyVerified) {
                OptionalLong retryAfter = throttle.admitDid(did);
                if (retryAfter.isPresent()) {
                    return Optional.of(new SubmitOutcome.Throttled(retryAfter.getAsLong()));
                }
            }

            // (5) What is left after the signature: replays, duplicates, then the challenges, read once each.
            List<Integer> candidates = new ArrayList<>(toVerify.size());
            for (int i : toVerify) {
                if (!authenticated[i]) {
                    reject(i, new Violation(RejectionReason.INVALID_SIGNATURE, "the signature does not verify with the enrolled key"));
                    continue;
                }
                StoredReceipt stored = earlier.get(receipts.get(i).receipt().receiptNonce());
                if (stored != null) {
                    replayOrDuplicate(i, stored);
                } else {
                    candidates.add(i);
                }
            }
            Set<Bytes> challengeNonces = new LinkedHashSet<>();
            candidates.forEach(i -> challengeNonces.add(receipts.get(i).receipt().challengeNonce()));
            Map<Bytes, Challenge> found = challengeNonces.isEmpty() ? Map.of() : challenges.findAll(challengeNonces);
            long now = clock.instant().getEpochSecond();
            long skew = settings.get().clockSkew().toSeconds();
            List<Integer> toStore = new ArrayList<>(candidates.size());
            for (int i : candidates) {
                Receipt receipt = receipts.get(i).receipt();
                Optional<Challenge> challenge = Optional.ofNullable(found.get(receipt.challengeNonce()));
                Optional<Violation> rules = ReceiptRules.checkBinding(receipt, challenge)
                        .or(() -> ReceiptRules.checkExpiry(challenge.orElseThrow().token(), now, skew))
                        .or(() -> ReceiptRules.checkTimes(receipt, challenge.orElseThrow().token(), now, skew))
                        .or(() -> ReceiptRules.checkPolicy(receipt, challenge.orElseThrow()));
                if (rules.isPresent()) {
                    reject(i, rules.get());
                } else {
                    toStore.add(i);
                }
            }

            // (6) Store the accepted ones in one call; the ledger's transaction decides nonce and budget.
            store(toStore, found);

            // (7) Several receipts of the batch with one nonce: the later ones are judged against the first's outcome.
            for (Map.Entry<Integer, Integer> twin : laterTwins.entrySet()) {
                twinOutcome(twin.getKey(), twin.getValue());
            }

            // (8) The batch's rejections, in one statement.
            storeRejections();
            count();
            return Optional.empty();
        }

        /** Every receipt counts once as received and once as accepted, rejected{reason} or replayed (SPEC §3.2). */
        private void count() {
            for (ReceiptOutcome outcome : outcomes) {
                metrics.receiptReceived();
                switch (outcome) {
                    case ReceiptOutcome.Accepted accepted when accepted.replayed() -> metrics.receiptReplayed();
                    case ReceiptOutcome.Accepted accepted -> {
                        metrics.receiptAccepted();
                        BigInteger credit = accepted.rewardAtoms();
                        metrics.rewardsCredited(credit.bitLength() < Long.SIZE ? credit.longValue() : Long.MAX_VALUE);
                    }
                    case ReceiptOutcome.Rejected rejected -> metrics.receiptRejected(rejected.reason());
                }
            }
        }

        private boolean identical(StoredReceipt stored, int i) {
            return stored.clientDid().equals(did) && stored.canonicalBytes().equals(Bytes.of(canonical[i]));
        }

        private Optional<Violation> cheapSignatureChecks(SignedReceipt signed) {
            Optional<SigScheme> scheme = SigScheme.fromWireName(signed.sigScheme());
            if (scheme.isEmpty() || !settings.get().acceptedSigSchemes().contains(scheme.get())) {
                return Optional.of(new Violation(RejectionReason.INVALID_SIGNATURE, "sig_scheme '" + printable(signed.sigScheme())
                        + "' is not accepted by this node"));
            }
            if (scheme.get() != key.scheme()) {
                return Optional.of(new Violation(RejectionReason.INVALID_SIGNATURE, "sig_scheme " + scheme.get().wireName()
                        + " is not the enrolled key's scheme (" + key.scheme().wireName() + ")"));
            }
            if (signed.signature().length() != key.scheme().signatureLength()) {
                return Optional.of(new Violation(RejectionReason.INVALID_SIGNATURE, "a " + key.scheme().wireName() + " signature is "
                        + key.scheme().signatureLength() + " bytes, got " + signed.signature().length()));
            }
            return Optional.empty();
        }

        private void verify(List<Integer> indexes) {
            if (indexes.isEmpty()) {
                return;
            }
            List<byte[]> messages = new ArrayList<>(indexes.size());
            List<byte[]> signatures = new ArrayList<>(indexes.size());
            for (int i : indexes) {
                messages.add(canonical[i]);
                signatures.add(batch.receipts().get(i).signature().toArray());
            }
            long started = System.nanoTime();
            boolean[] valid = verifier.verifyAll(key.scheme(), key.publicKey().toArray(), messages, signatures);
            Duration each = Duration.ofNanos((System.nanoTime() - started) / indexes.size());
            for (int k = 0; k < indexes.size(); k++) {
                authenticated[indexes.get(k)] = valid[k];
                metrics.signatureVerified(key.scheme(), each);
            }
        }

        private void store(List<Integer> indexes, Map<Bytes, Challenge> found) {
            if (indexes.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            long epoch = rewards.epochs().epochOf(now);
            Bytes nodeId = Bytes.of(nodeKey.nodeId());
            List<AcceptedReceipt> accepted = new ArrayList<>(indexes.size());
            for (int i : indexes) {
                SignedReceipt signed = batch.receipts().get(i);
                accepted.add(new AcceptedReceipt(ids.get(), signed, Bytes.of(canonical[i]), key.scheme(),
                        rewards.creditFor(signed.receipt().proofType()), epoch, now, nodeId));
            }
            List<AcceptResult> results = ledger.acceptAll(accepted);
            for (int k = 0; k < indexes.size(); k++) {
                int i = indexes.get(k);
                AcceptedReceipt receipt = accepted.get(k);
                switch (results.get(k)) {
                    case AcceptResult.Stored stored -> outcomes[i] = new ReceiptOutcome.Accepted(
                            receipt.signed().receipt().receiptNonce(), receipt.receiptId(), receipt.rewardAtoms(), false);
                    case AcceptResult.NonceTaken taken -> replayOrDuplicate(i, taken.existing());
                    case AcceptResult.BudgetExhausted exhausted -> reject(i, budgetViolation(receipt.signed().receipt()));
                }
            }
        }

        /** Why the budget refused a receipt, from a fresh read of its challenge. */
        private Violation budgetViolation(Receipt receipt) {
            return challenges.find(receipt.challengeNonce()).flatMap(c -> ReceiptRules.checkBudget(receipt, c))
                    .orElse(new Violation(RejectionReason.POLICY_VIOLATION, "the challenge's max_receipts or max_bytes_total is used up"));
        }

        /** A signed receipt whose nonce is consumed: its own replay, or another receipt's nonce. */
        private void replayOrDuplicate(int i, StoredReceipt earlier) {
            if (identical(earlier, i)) {
                replayed(i, earlier);
            } else {
                reject(i, new Violation(RejectionReason.DUPLICATE_NONCE, "receipt_nonce was consumed by another receipt"));
            }
        }

        private void replayed(int i, StoredReceipt earlier) {
            authenticated[i] = true;
            outcomes[i] = new ReceiptOutcome.Accepted(batch.receipts().get(i).receipt().receiptNonce(), earlier.receiptId(),
                    earlier.rewardAtoms(), true);
        }

        /** A later receipt of this batch with the nonce of receipt {@code first}. */
        private void twinOutcome(int later, int first) {
            SignedReceipt signed = batch.receipts().get(later);
            boolean sameBytes = Arrays.equals(canonical[later], canonical[first]);
            SignedReceipt original = batch.receipts().get(first);
            boolean sameSignature = signed.signature().equals(original.signature()) && signed.sigScheme().equals(original.sigScheme());
            if (sameBytes && sameSignature && outcomes[first] instanceof ReceiptOutcome.Accepted accepted) {
                authenticated[later] = true;
                outcomes[later] = new ReceiptOutcome.Accepted(accepted.receiptNonce(), accepted.receiptId(), accepted.rewardAtoms(), true);
            } else if (sameBytes && sameSignature && violations[first] != null) {
                authenticated[later] = authenticated[first];
                reject(later, violations[first]);
            } else {
                reject(later, new Violation(RejectionReason.DUPLICATE_NONCE, "receipt_nonce appears more than once in the batch"));
            }
        }

        private void reject(int i, Violation violation) {
            violations[i] = violation;
            rejections.add(new Pending(i, violation));
            // The outcome is set when the rejections are stored, with the id of the stored row (if stored).
            outcomes[i] = new ReceiptOutcome.Rejected(batch.receipts().get(i).receipt().receiptNonce(), violation.reason(), violation.detail());
        }

        private void storeRejections() {
            if (rejections.isEmpty()) {
                return;
            }
            long unauthenticated = rejections.stream().filter(p -> !authenticated[p.index()]).count();
            int storable = unauthenticated == 0 ? 0 : throttle.storableUnauthenticatedRejections(did, origin, (int) unauthenticated);
            Instant now = clock.instant();
            List<RejectedReceipt> rows = new ArrayList<>(rejections.size());
            for (Pending pending : rejections) {
                int i = pending.index();
                boolean own = authenticated[i];
                if (!own) {
                    if (storable == 0) {
                        continue; // answered, not stored: the budget for unauthenticated rejections is spent
                    }
                    storable--;
                }
                SignedReceipt signed = batch.receipts().get(i);
                Receipt receipt = signed.receipt();
                String rejectionId = ids.get();
                rows.add(new RejectedReceipt(rejectionId, Optional.of(did),
                        Optional.of(receipt.receiptNonce()).filter(nonce -> !nonce.isEmpty()),
                        Optional.of(receipt.challengeNonce()).filter(nonce -> !nonce.isEmpty()),
                        pending.violation().reason(), pending.violation().detail(), signed.sigScheme(), Bytes.of(canonical[i]),
                        signed.signature(), now, own));
                outcomes[i] = new ReceiptOutcome.Rejected(receipt.receiptNonce(), pending.violation().reason(),
                        pending.violation().detail(), Optional.of(rejectionId));
            }
            if (!rows.isEmpty()) {
                ledger.recordRejections(rows);
            }
        }
    }

    /** Refuses the whole batch; {@code seen} receipts count as seen and rejected. */
    private SubmitOutcome refuse(int size, BatchRefusal refusal, RejectionReason reason, String detail) {
        int seen = Math.max(1, size);
        for (int i = 0; i < seen; i++) {
            metrics.receiptReceived();
            metrics.receiptRejected(reason);
        }
        return new SubmitOutcome.Refused(refusal, detail);
    }

    private static String printable(String text) {
        String clipped = text.length() > 32 ? text.substring(0, 32) + "…" : text;
        return clipped.replaceAll("[^\\x20-\\x7e…]", "?");
    }
}
