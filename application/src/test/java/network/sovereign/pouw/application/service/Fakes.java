package network.sovereign.pouw.application.service;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.OptionalLong;
import java.util.TreeMap;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.AdminAudit;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.AuditEvent;
import network.sovereign.pouw.application.port.out.BlockList;
import network.sovereign.pouw.application.port.out.BlockedDid;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.application.port.out.KeyDigests;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.application.port.out.ProtocolMetrics;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.application.port.out.SignatureVerifier;
import network.sovereign.pouw.application.port.out.StoredReceipt;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;

/** In-memory fakes of the driven ports, behaving as the contract tests demand of the real ones. */
final class Fakes {

    private Fakes() {
    }

    static byte[] sha(String algorithm, byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A stand-in signature scheme for service tests: a "signature" is SHA-512(public key || message),
     * 64 bytes like Ed25519's, so it verifies only for the right key and message.
     */
    static final class FakeSignatures implements SignatureVerifier {
        static byte[] sign(Bytes publicKey, byte[] message) {
            return sha("SHA-512", publicKey.toArray(), message);
        }

        @Override
        public boolean verify(SigScheme scheme, byte[] publicKey, byte[] message, byte[] signature) {
            return scheme == SigScheme.ED25519 && publicKey.length == 32
                    && MessageDigest.isEqual(sha("SHA-512", publicKey, message), signature);
        }
    }

    /** A node key whose signatures the fake verifier accepts. */
    static final class FakeNodeKey implements NodeKey {
        final Bytes publicKey = Bytes.of(sha("SHA-256", "node".getBytes()));

        @Override
        public SigScheme scheme() {
            return SigScheme.ED25519;
        }

        @Override
        public byte[] publicKey() {
            return publicKey.toArray();
        }

        @Override
        public byte[] nodeId() {
            return sha("SHA-256", publicKey.toArray());
        }

        @Override
        public byte[] sign(byte[] message) {
            return FakeSignatures.sign(publicKey, message);
        }
    }

    /** SHA-256 standing in for BLAKE3. */
    static final class FakeDigests implements KeyDigests {
        @Override
        public Bytes blake3(Bytes input) {
            return Bytes.of(sha("SHA-256", input.toArray()));
        }
    }

    static final class InMemoryClients implements ClientDirectory {
        final Map<String, ClientKey> keys = new HashMap<>();
        final List<ClientKey> history = new ArrayList<>();
        final Set<String> blocked = new HashSet<>();

        @Override
        public Optional<ClientKey> findKey(String did) {
            return Optional.ofNullable(keys.get(did));
        }

        @Override
        public boolean isBlocked(String did) {
            return blocked.contains(did);
        }

        @Override
        public boolean enrol(ClientKey key, Instant at) {
            ClientKey old = keys.put(key.did(), key);
            if (old != null && !old.equals(key)) {
                history.add(old);
            }
            return old == null;
        }

        final List<AuditEntry> audit = new ArrayList<>();

        @Override
        public EnrolOutcome enrol(ClientKey key, Instant at, java.util.function.Function<EnrolOutcome, AuditEntry> audit) {
            ClientKey old = keys.get(key.did());
            enrol(key, at);
            EnrolOutcome outcome = old == null ? EnrolOutcome.CREATED : old.equals(key) ? EnrolOutcome.UNCHANGED : EnrolOutcome.ROTATED;
            this.audit.add(audit.apply(outcome));
            return outcome;
        }

        @Override
        public EnrolOutcome enrolUnlessTaken(ClientKey key, Instant at, java.util.function.Function<ClientKey, AuditEntry> conflictAudit) {
            ClientKey old = keys.get(key.did());
            if (old == null) {
                keys.put(key.did(), key);
                return EnrolOutcome.CREATED;
            }
            if (old.equals(key)) {
                return EnrolOutcome.UNCHANGED;
            }
            this.audit.add(conflictAudit.apply(old));
            return EnrolOutcome.CONFLICT;
        }
    }

    static final class InMemoryChallenges implements ChallengeStore {
        final Map<Bytes, Challenge> byNonce = new HashMap<>();

        @Override
        public void save(Challenge challenge) {
            byNonce.put(challenge.token().challengeNonce(), challenge);
        }

        @Override
        public Optional<Challenge> find(Bytes challengeNonce) {
            return Optional.ofNullable(byNonce.get(challengeNonce));
        }
    }

    /** Nonce, receipt, credit and budget change together or not at all, as the database's transaction. */
    static final class InMemoryLedger implements ReceiptLedger {
        final InMemoryChallenges challenges;
        final Map<Bytes, StoredReceipt> byNonce = new HashMap<>();
        final List<AcceptedReceipt> accepted = new ArrayList<>();
        final List<RejectedReceipt> rejected = new ArrayList<>();
        BigInteger credited = BigInteger.ZERO;
        /** When set, the cheap pre-check sees nothing, as a read racing another node's commit would. */
        boolean hideFromPreCheck;
        /** The batch methods called, in order: one round trip each in a real ledger. */
        final List<String> calls = new ArrayList<>();

        InMemoryLedger(InMemoryChallenges challenges) {
            this.challenges = challenges;
        }

        @Override
        public synchronized Optional<StoredReceipt> findByNonce(Bytes receiptNonce) {
            return hideFromPreCheck ? Optional.empty() : Optional.ofNullable(byNonce.get(receiptNonce));
        }

        @Override
        public synchronized AcceptResult accept(AcceptedReceipt receipt) {
            Bytes nonce = receipt.signed().receipt().receiptNonce();
            StoredReceipt existing = byNonce.get(nonce);
            if (existing != null) {
                return new AcceptResult.NonceTaken(existing);
            }
            Challenge challenge = challenges.byNonce.get(receipt.signed().receipt().challengeNonce());
            long bytes = receipt.signed().receipt().bytesVerified();
            if (challenge == null || challenge.usedReceipts() + 1 > challenge.token().policy().maxReceipts()
                    || bytes < 0 || challenge.usedBytes() + bytes > challenge.token().policy().maxBytesTotal()) {
                return new AcceptResult.BudgetExhausted();
            }
            challenges.byNonce.put(challenge.token().challengeNonce(),
                    new Challenge(challenge.token(), challenge.clientDid(), challenge.usedReceipts() + 1, challenge.usedBytes() + bytes));
            byNonce.put(nonce, new StoredReceipt(receipt.receiptId(), receipt.signed().receipt().clientDid(), nonce,
                    receipt.canonicalBytes(), receipt.rewardAtoms(), receipt.signed().signature()));
            accepted.add(receipt);
            credited = credited.add(receipt.rewardAtoms());
            return new AcceptResult.Stored();
        }

        @Override
        public synchronized void recordRejection(RejectedReceipt rejection) {
            rejected.add(rejection);
        }

        @Override
        public synchronized Map<Bytes, StoredReceipt> findByNonces(java.util.Collection<Bytes> receiptNonces) {
            calls.add("findByNonces");
            Map<Bytes, StoredReceipt> found = new HashMap<>();
            receiptNonces.forEach(nonce -> findByNonce(nonce).ifPresent(stored -> found.put(nonce, stored)));
            return found;
        }

        @Override
        public synchronized List<AcceptResult> acceptAll(List<AcceptedReceipt> receipts) {
            calls.add("acceptAll");
            return receipts.stream().map(this::accept).toList();
        }

        @Override
        public synchronized void recordRejections(List<RejectedReceipt> rejections) {
            calls.add("recordRejections");
            rejected.addAll(rejections);
        }
    }

    /** A throttle with a fixed number of DID permits and of storable unauthenticated rejections, recording its calls. */
    static final class CountingThrottle implements network.sovereign.pouw.application.port.out.SubmitThrottle {
        int didPermits = Integer.MAX_VALUE;
        int storableRejections = Integer.MAX_VALUE;
        final List<String> admitted = new ArrayList<>();
        final List<String> origins = new ArrayList<>();

        @Override
        public synchronized java.util.OptionalLong admitDid(String did) {
            if (didPermits <= 0) {
                return java.util.OptionalLong.of(17);
            }
            didPermits--;
            admitted.add(did);
            return java.util.OptionalLong.empty();
        }

        @Override
        public synchronized int storableUnauthenticatedRejections(String did, String origin, int count) {
            origins.add(origin);
            int granted = Math.min(count, storableRejections);
            storableRejections -= granted;
            return granted;
        }
    }

    /** Counts what the services report. */
    static final class RecordingMetrics implements ProtocolMetrics {
        long received;
        long accepted;
        long replayed;
        long challenges;
        long creditedAtoms;
        long verifications;
        long processed;
        long disputesOpened;
        final Map<DisputeResolutionType, Long> disputesResolved = new EnumMap<>(DisputeResolutionType.class);
        final Map<RejectionReason, Long> rejected = new EnumMap<>(RejectionReason.class);

        long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        long rejected(RejectionReason reason) {
            return rejected.getOrDefault(reason, 0L);
        }

        @Override
        public void receiptReceived() {
            received++;
        }

        @Override
        public void receiptAccepted() {
            accepted++;
        }

        @Override
        public void receiptRejected(RejectionReason reason) {
            rejected.merge(reason, 1L, Long::sum);
        }

        @Override
        public void receiptReplayed() {
            replayed++;
        }

        @Override
        public void rateLimitDenied(RateLimitScope scope) {
        }

        @Override
        public void challengeIssued() {
            challenges++;
        }

        @Override
        public void signatureVerified(SigScheme scheme, Duration elapsed) {
            verifications++;
        }

        @Override
        public void receiptProcessed(Duration elapsed) {
            processed++;
        }

        @Override
        public void rewardsCredited(long atoms) {
            creditedAtoms += atoms;
        }

        @Override
        public void disputeOpened() {
            disputesOpened++;
        }

        @Override
        public void disputeResolved(DisputeResolutionType resolution) {
            disputesResolved.merge(resolution, 1L, Long::sum);
        }

        @Override
        public void blockedDidsGauge(LongSupplier currentlyBlocked) {
        }
    }

    /** The audit trail in memory, ids counting up from 1. */
    static final class InMemoryAudit implements AdminAudit {
        final List<AuditEvent> events = new ArrayList<>();

        @Override
        public synchronized void record(AuditEntry entry) {
            events.add(new AuditEvent(events.size() + 1, entry));
        }

        @Override
        public synchronized List<AuditEvent> list(int limit, OptionalLong beforeId) {
            return events.reversed().stream()
                    .filter(e -> beforeId.isEmpty() || e.id() < beforeId.getAsLong())
                    .limit(limit)
                    .toList();
        }
    }

    /** One row of {@code block_events}. */
    record BlockEvent(String did, String action, Optional<String> reason, String actor, Instant at) {
    }

    /** Blocks, block events and audit entries change together, as in the database's one transaction. */
    static final class InMemoryBlockList implements BlockList {
        final TreeMap<String, BlockedDid> blocked = new TreeMap<>();
        final List<BlockEvent> events = new ArrayList<>();
        final InMemoryAudit audit;

        InMemoryBlockList(InMemoryAudit audit) {
            this.audit = audit;
        }

        @Override
        public synchronized boolean block(String did, Optional<String> reason, String actor, Instant at, AuditEntry entry) {
            boolean added = !blocked.containsKey(did);
            if (added) {
                blocked.put(did, new BlockedDid(did, reason, actor, at));
                events.add(new BlockEvent(did, "block", reason, actor, at));
            }
            audit.record(entry);
            return added;
        }

        @Override
        public synchronized boolean unblock(String did, String actor, Optional<String> reason, Instant at, AuditEntry entry) {
            boolean removed = blocked.remove(did) != null;
            if (removed) {
                events.add(new BlockEvent(did, "unblock", reason, actor, at));
            }
            audit.record(entry);
            return removed;
        }

        @Override
        public synchronized List<BlockedDid> blocked(Optional<String> afterDid, int limit) {
            return (afterDid.isPresent() ? blocked.tailMap(afterDid.get(), false) : blocked).values().stream().limit(limit).toList();
        }

        @Override
        public synchronized long count() {
            return blocked.size();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
