package network.sovereign.pouw.application.service;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import network.sovereign.pouw.application.port.in.SubmitReceiptsUseCase;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.application.port.out.ProtocolMetrics;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.application.port.out.SignatureVerifier;
import network.sovereign.pouw.application.port.out.StoredReceipt;
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
 * Validates receipts in the order of SPEC §3.2, cheap checks first (shape → client → replay
 * pre-check → signature → challenge binding and expiry → policy → store), and lets the ledger's
 * transaction decide replays and then the challenge budget for good: a receipt racing its own
 * replay on another node is answered as a replay even when it took the challenge's last slot.
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

    /** Creates the service from its ports and settings; {@code ids} makes receipt and rejection ids. */
    public SubmitReceiptsService(ClientDirectory clients, ChallengeStore challenges, ReceiptLedger ledger,
                                 SignatureVerifier verifier, NodeKey nodeKey, Supplier<ProtocolSettings> settings,
                                 RewardSchedule rewards, Clock clock, ProtocolMetrics metrics, Supplier<String> ids) {
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
    }

    @Override
    public SubmitOutcome submit(ReceiptBatch batch, int unreadable) {
        if (unreadable < 0) {
            throw new IllegalArgumentException("unreadable must not be negative: " + unreadable);
        }
        int size = batch.receipts().size() + unreadable;
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
        if (size > settings.get().batchSizeMax()) {
            return refuse(size, BatchRefusal.TOO_LARGE, RejectionReason.MALFORMED_RECEIPT,
                    "the batch has " + size + " receipts, at most " + settings.get().batchSizeMax() + " are allowed");
        }
        Optional<ClientKey> key = clients.findKey(batch.clientDid());
        if (key.isEmpty()) {
            return refuse(size, BatchRefusal.UNKNOWN_CLIENT, RejectionReason.UNKNOWN_CLIENT, "client_did is not enrolled");
        }
        if (clients.isBlocked(batch.clientDid())) {
            return refuse(size, BatchRefusal.BLOCKED_DID, RejectionReason.BLOCKED_DID, "client_did is blocked");
        }
        List<ReceiptOutcome> outcomes = new ArrayList<>(batch.receipts().size());
        for (SignedReceipt signed : batch.receipts()) {
            long started = System.nanoTime();
            metrics.receiptReceived();
            ReceiptOutcome outcome = process(signed, batch.clientDid(), key.get());
            metrics.receiptProcessed(Duration.ofNanos(System.nanoTime() - started));
            outcomes.add(outcome);
        }
        return new SubmitOutcome.Processed(outcomes);
    }

    private ReceiptOutcome process(SignedReceipt signed, String did, ClientKey key) {
        Receipt receipt = signed.receipt();
        byte[] canonical = CanonicalEncoding.encode(receipt);
        Optional<Violation> shape = ReceiptRules.checkShape(signed, did);
        if (shape.isPresent()) {
            return reject(signed, canonical, shape.get());
        }
        Optional<StoredReceipt> earlier = ledger.findByNonce(receipt.receiptNonce());
        if (earlier.isPresent()) {
            return replayOrDuplicate(signed, canonical, did, earlier.get());
        }
        Optional<Violation> signature = checkSignature(signed, canonical, key);
        if (signature.isPresent()) {
            return reject(signed, canonical, signature.get());
        }
        Optional<Challenge> challenge = challenges.find(receipt.challengeNonce());
        Optional<Violation> challengeRules = ReceiptRules.checkBinding(receipt, challenge)
                .or(() -> ReceiptRules.checkExpiry(challenge.orElseThrow().token(), clock.instant().getEpochSecond(),
                        settings.get().clockSkew().toSeconds()))
                .or(() -> ReceiptRules.checkPolicy(receipt, challenge.orElseThrow()));
        if (challengeRules.isPresent()) {
            return reject(signed, canonical, challengeRules.get());
        }
        Instant now = clock.instant();
        BigInteger credit = rewards.creditFor(receipt.proofType());
        String receiptId = ids.get();
        AcceptedReceipt accepted = new AcceptedReceipt(receiptId, signed, Bytes.of(canonical), key.scheme(), credit,
                rewards.epochs().epochOf(now), now, Bytes.of(nodeKey.nodeId()));
        return switch (ledger.accept(accepted)) {
            case ReceiptLedger.AcceptResult.Stored stored -> {
                metrics.receiptAccepted();
                metrics.rewardsCredited(credit.bitLength() < Long.SIZE ? credit.longValue() : Long.MAX_VALUE);
                yield new ReceiptOutcome.Accepted(receipt.receiptNonce(), receiptId, credit, false);
            }
            case ReceiptLedger.AcceptResult.NonceTaken taken -> replayOrDuplicate(signed, canonical, did, taken.existing());
            case ReceiptLedger.AcceptResult.BudgetExhausted exhausted -> reject(signed, canonical,
                    challenges.find(receipt.challengeNonce()).flatMap(c -> ReceiptRules.checkBudget(receipt, c))
                            .orElse(new Violation(RejectionReason.POLICY_VIOLATION, "the challenge's max_receipts or max_bytes_total is used up")));
        };
    }

    private Optional<Violation> checkSignature(SignedReceipt signed, byte[] canonical, ClientKey key) {
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
        long started = System.nanoTime();
        boolean valid = verifier.verify(key.scheme(), key.publicKey().toArray(), canonical, signed.signature().toArray());
        metrics.signatureVerified(key.scheme(), Duration.ofNanos(System.nanoTime() - started));
        return valid ? Optional.empty()
                : Optional.of(new Violation(RejectionReason.INVALID_SIGNATURE, "the signature does not verify with the enrolled key"));
    }

    private ReceiptOutcome replayOrDuplicate(SignedReceipt signed, byte[] canonical, String did, StoredReceipt earlier) {
        if (earlier.clientDid().equals(did) && earlier.canonicalBytes().equals(Bytes.of(canonical))) {
            metrics.receiptReplayed();
            return new ReceiptOutcome.Accepted(signed.receipt().receiptNonce(), earlier.receiptId(), earlier.rewardAtoms(), true);
        }
        return reject(signed, canonical, new Violation(RejectionReason.DUPLICATE_NONCE,
                "receipt_nonce was consumed by another receipt"));
    }

    private ReceiptOutcome reject(SignedReceipt signed, byte[] canonical, Violation violation) {
        Receipt receipt = signed.receipt();
        String rejectionId = ids.get();
        ledger.recordRejection(new RejectedReceipt(rejectionId, Optional.of(receipt.clientDid()).filter(d -> !d.isEmpty()),
                Optional.of(receipt.receiptNonce()).filter(n -> !n.isEmpty()),
                Optional.of(receipt.challengeNonce()).filter(n -> !n.isEmpty()),
                violation.reason(), violation.detail(), signed.sigScheme(), Bytes.of(canonical), signed.signature(), clock.instant()));
        metrics.receiptRejected(violation.reason());
        return new ReceiptOutcome.Rejected(receipt.receiptNonce(), violation.reason(), violation.detail(), Optional.of(rejectionId));
    }

    /** Refuses the whole batch; every receipt in it still counts as seen and rejected. */
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
