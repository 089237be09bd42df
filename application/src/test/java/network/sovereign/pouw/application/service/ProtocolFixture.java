package network.sovereign.pouw.application.service;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase.IssueChallengeCommand;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase.IssueChallengeResult;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.EpochSchedule;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.RewardSchedule;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;

/** Wires the protocol services to in-memory fakes and makes signed receipts for tests. */
final class ProtocolFixture {

    static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    static final String DID = "did:sov:alice";
    static final BigInteger BASE = BigInteger.TEN.pow(12);

    final Fakes.MutableClock clock = new Fakes.MutableClock(START);
    final Fakes.InMemoryClients clients = new Fakes.InMemoryClients();
    final Fakes.InMemoryChallenges challenges = new Fakes.InMemoryChallenges();
    final Fakes.InMemoryLedger ledger = new Fakes.InMemoryLedger(challenges);
    final Fakes.RecordingMetrics metrics = new Fakes.RecordingMetrics();
    final Fakes.FakeNodeKey nodeKey = new Fakes.FakeNodeKey();
    final SecureRandom random = new SecureRandom();
    final AtomicInteger ids = new AtomicInteger();
    final ProtocolSettings settings = new ProtocolSettings(Duration.ofSeconds(300), Duration.ofSeconds(30), 10, 5, 10_000, 1024,
            EnumSet.of(SigScheme.ED25519, SigScheme.ML_DSA_65), false);
    final RewardSchedule rewards = new RewardSchedule(Map.of(ProofType.HASH, 1, ProofType.MERKLE, 2, ProofType.SIGNATURE, 3),
            BASE, new BigInteger("599315068493150684"), new EpochSchedule(0, 3600));

    final Fakes.CountingThrottle throttle = new Fakes.CountingThrottle();

    final IssueChallengeService issuer = new IssueChallengeService(clients, challenges, nodeKey, () -> settings, clock, random, metrics);
    final SubmitReceiptsService submitter = new SubmitReceiptsService(clients, challenges, ledger, new Fakes.FakeSignatures(),
            nodeKey, () -> settings, rewards, clock, metrics, () -> "id-" + ids.incrementAndGet(), throttle);

    final Bytes clientKey = randomBytes(32);

    ProtocolFixture() {
        clients.enrol(new ClientKey(DID, SigScheme.ED25519, clientKey), START);
    }

    Bytes randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return Bytes.of(bytes);
    }

    ChallengeToken challenge(ProofType... types) {
        IssueChallengeResult result = issuer.issue(new IssueChallengeCommand(DID, Set.of(types), OptionalInt.empty(), OptionalLong.empty()));
        return ((IssueChallengeResult.Issued) result).token();
    }

    Receipt receipt(ChallengeToken token, ProofType type, long bytes) {
        long now = clock.instant().getEpochSecond();
        return new Receipt(1, token.taskId(), DID, randomBytes(8), randomBytes(8), randomBytes(32), type, bytes, true,
                now - 5, now - 1, randomBytes(16), token.challengeNonce(), Optional.of(new Aux(randomBytes(32), Bytes.EMPTY)));
    }

    SignedReceipt sign(Receipt receipt) {
        return new SignedReceipt(receipt, "ed25519", Bytes.of(Fakes.FakeSignatures.sign(clientKey, CanonicalEncoding.encode(receipt))));
    }

    ReceiptBatch batch(SignedReceipt... receipts) {
        return new ReceiptBatch(1, DID, randomBytes(16), List.of(receipts));
    }
}
