package network.sovereign.pouw.application.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import network.sovereign.pouw.application.port.in.IssueChallengeUseCase;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.application.port.out.ProtocolMetrics;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Did;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.ReceiptRules;

/** Issues challenges: checks the client, sizes the policy within the node's caps, signs and stores the token. */
public final class IssueChallengeService implements IssueChallengeUseCase {

    /** Length of a challenge nonce. */
    static final int NONCE_LENGTH = 32;
    /** Length of a task id. */
    static final int TASK_ID_LENGTH = 16;

    private final ClientDirectory clients;
    private final ChallengeStore challenges;
    private final NodeKey nodeKey;
    private final Supplier<ProtocolSettings> settings;
    private final Clock clock;
    private final SecureRandom random;
    private final ProtocolMetrics metrics;

    /** Creates the service from its ports and settings; {@code settings} is read on every request (live overrides). */
    public IssueChallengeService(ClientDirectory clients, ChallengeStore challenges, NodeKey nodeKey,
                                 Supplier<ProtocolSettings> settings, Clock clock, SecureRandom random, ProtocolMetrics metrics) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public IssueChallengeResult issue(IssueChallengeCommand command) {
        ProtocolSettings settings = this.settings.get();
        if (!Did.isValid(command.clientDid())) {
            return refused(Refusal.INVALID_REQUEST, "client_did is not a DID (did:<method>:<id>, at most " + Did.MAX_LENGTH + " characters)");
        }
        if (command.capabilities().isEmpty()) {
            return refused(Refusal.INVALID_REQUEST, "capabilities must name at least one proof type");
        }
        int maxReceipts = command.maxReceipts().orElse(settings.maxReceiptsPerChallenge());
        if (maxReceipts < 1 || maxReceipts > settings.maxReceiptsPerChallenge()) {
            return refused(Refusal.INVALID_REQUEST, "max_receipts must be 1.." + settings.maxReceiptsPerChallenge());
        }
        long maxBytes = command.maxBytesTotal().orElse(settings.maxBytesPerChallenge());
        if (maxBytes < 1 || maxBytes > settings.maxBytesPerChallenge()) {
            return refused(Refusal.INVALID_REQUEST, "max_bytes_total must be 1.." + settings.maxBytesPerChallenge());
        }
        Optional<ClientKey> key = clients.findKey(command.clientDid());
        if (key.isEmpty()) {
            return refused(Refusal.UNKNOWN_CLIENT, "client_did is not enrolled");
        }
        if (clients.isBlocked(command.clientDid())) {
            return refused(Refusal.BLOCKED_DID, "client_did is blocked");
        }
        long now = clock.instant().getEpochSecond();
        List<ProofType> allowed = command.capabilities().stream().sorted(Comparator.comparingInt(ProofType::number)).toList();
        Policy policy = new Policy(maxReceipts, maxBytes, settings.minBytesPerReceipt(), allowed);
        ChallengeToken unsigned = new ChallengeToken(ReceiptRules.PROTOCOL_VERSION, Bytes.of(nodeKey.nodeId()),
                randomBytes(TASK_ID_LENGTH), randomBytes(NONCE_LENGTH), now, now + settings.challengeTtl().toSeconds(),
                policy, Bytes.EMPTY);
        ChallengeToken token = unsigned.withSignature(Bytes.of(nodeKey.sign(CanonicalEncoding.encodeForSigning(unsigned))));
        challenges.save(new Challenge(token, command.clientDid(), 0, 0));
        metrics.challengeIssued();
        return new IssueChallengeResult.Issued(token, CanonicalEncoding.encode(token));
    }

    private Bytes randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return Bytes.of(bytes);
    }

    private static IssueChallengeResult refused(Refusal refusal, String detail) {
        return new IssueChallengeResult.Refused(refusal, detail);
    }
}
