package network.sovereign.pouw.application.service;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import network.sovereign.pouw.application.port.in.GetNodeInfoUseCase;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;

/** Tells clients the node's key, accepted schemes and the policy a challenge gets by default. */
public final class NodeInfoService implements GetNodeInfoUseCase {

    private final NodeKey nodeKey;
    private final Supplier<ProtocolSettings> settings;
    private final String version;
    private final Clock clock;

    /** Creates the service. */
    public NodeInfoService(NodeKey nodeKey, Supplier<ProtocolSettings> settings, String version, Clock clock) {
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public NodeInfo nodeInfo() {
        ProtocolSettings settings = this.settings.get();
        List<SigScheme> accepted = settings.acceptedSigSchemes().stream().sorted(Comparator.comparing(SigScheme::wireName)).toList();
        Policy defaults = new Policy(settings.maxReceiptsPerChallenge(), settings.maxBytesPerChallenge(),
                settings.minBytesPerReceipt(), List.of(ProofType.values()));
        return new NodeInfo(Bytes.of(nodeKey.nodeId()), Bytes.of(nodeKey.publicKey()), nodeKey.scheme(), version, accepted,
                defaults, clock.instant().getEpochSecond());
    }
}
