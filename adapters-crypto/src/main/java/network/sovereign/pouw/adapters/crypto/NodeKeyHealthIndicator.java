package network.sovereign.pouw.adapters.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.HealthIndicator;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.application.port.out.SignatureVerifier;

/**
 * The {@code node_key} component of {@code /health}: signs a fixed message with the node key and checks
 * the signature with the same verifier clients' receipts go through (well under a millisecond for
 * ed25519, a few for ml-dsa-65). Never throws.
 */
public final class NodeKeyHealthIndicator implements HealthIndicator {

    /** The component name shown in {@code /health}. */
    public static final String COMPONENT_NAME = "node_key";

    private static final byte[] PROBE = "pouw-node node_key self-test v1".getBytes(StandardCharsets.US_ASCII);

    private final NodeKey key;
    private final SignatureVerifier verifier;

    /**
     * Creates the indicator.
     *
     * @param key      the node key to exercise
     * @param verifier the verifier its signatures must pass
     */
    public NodeKeyHealthIndicator(NodeKey key, SignatureVerifier verifier) {
        this.key = Objects.requireNonNull(key, "key");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    @Override
    public String componentName() {
        return COMPONENT_NAME;
    }

    @Override
    public ComponentHealth check() {
        long start = System.nanoTime();
        String label = "node key";
        ComponentHealth.Status status;
        String outcome;
        try {
            label = key.scheme().wireName() + " key " + HexFormat.of().formatHex(key.nodeId(), 0, 4) + "\u2026";
            byte[] signature = key.sign(PROBE);
            if (verifier.verify(key.scheme(), key.publicKey(), PROBE, signature)) {
                status = ComponentHealth.Status.HEALTHY;
                outcome = "signs and verifies";
            } else {
                status = ComponentHealth.Status.UNHEALTHY;
                outcome = "self-test failed: its signature does not verify";
            }
        } catch (RuntimeException e) {
            status = ComponentHealth.Status.UNHEALTHY;
            outcome = "self-test failed: " + e.getClass().getSimpleName();
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new ComponentHealth(COMPONENT_NAME, status, label + " " + outcome, Math.max(0, elapsedMs));
    }
}
