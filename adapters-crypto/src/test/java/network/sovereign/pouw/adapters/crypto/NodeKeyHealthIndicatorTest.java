package network.sovereign.pouw.adapters.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.NodeKey;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The node_key health component. */
class NodeKeyHealthIndicatorTest {

    private final BouncyCastleSignatureVerifier verifier = new BouncyCastleSignatureVerifier();

    @ParameterizedTest
    @EnumSource(value = SigScheme.class, names = {"ED25519", "ML_DSA_65"})
    void a_working_key_is_healthy(SigScheme scheme) {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(scheme, new SecureRandom());
        NodeKeyHealthIndicator indicator = new NodeKeyHealthIndicator(key, verifier);

        ComponentHealth health = indicator.check();

        assertEquals("node_key", indicator.componentName());
        assertEquals("node_key", health.name());
        assertEquals(ComponentHealth.Status.HEALTHY, health.status());
        assertEquals(scheme.wireName() + " key " + key.nodeIdHex().substring(0, 8) + "\u2026 signs and verifies",
                health.message());
        assertTrue(health.responseTimeMs() >= 0);
    }

    @Test
    void a_key_whose_signatures_do_not_verify_is_unhealthy() {
        BouncyCastleNodeKey real = BouncyCastleNodeKey.generate(SigScheme.ED25519, new SecureRandom());
        NodeKey broken = new DelegatingKey(real) {
            @Override
            public byte[] sign(byte[] message) {
                byte[] signature = real.sign(message);
                signature[0] ^= 1;
                return signature;
            }
        };

        ComponentHealth health = new NodeKeyHealthIndicator(broken, verifier).check();

        assertEquals(ComponentHealth.Status.UNHEALTHY, health.status());
        assertEquals("ed25519 key " + real.nodeIdHex().substring(0, 8) + "\u2026 self-test failed: its signature does not verify",
                health.message());
    }

    @Test
    void a_key_that_throws_is_unhealthy_and_the_check_does_not_throw() {
        BouncyCastleNodeKey real = BouncyCastleNodeKey.generate(SigScheme.ML_DSA_65, new SecureRandom());
        NodeKey throwing = new DelegatingKey(real) {
            @Override
            public byte[] sign(byte[] message) {
                throw new IllegalStateException("hardware token removed");
            }
        };

        ComponentHealth health = new NodeKeyHealthIndicator(throwing, verifier).check();

        assertEquals(ComponentHealth.Status.UNHEALTHY, health.status());
        assertEquals("ml-dsa-65 key " + HexFormat.of().formatHex(real.nodeId(), 0, 4)
                + "\u2026 self-test failed: IllegalStateException", health.message());
    }

    @Test
    void a_verifier_that_refuses_makes_it_unhealthy() {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(SigScheme.ED25519, new SecureRandom());
        ComponentHealth health = new NodeKeyHealthIndicator(key, (scheme, publicKey, message, signature) -> false).check();
        assertEquals(ComponentHealth.Status.UNHEALTHY, health.status());
    }

    /** A node key that forwards to a real one, to break one method at a time. */
    private static class DelegatingKey implements NodeKey {
        private final NodeKey delegate;

        DelegatingKey(NodeKey delegate) {
            this.delegate = delegate;
        }

        @Override
        public SigScheme scheme() {
            return delegate.scheme();
        }

        @Override
        public byte[] publicKey() {
            return delegate.publicKey();
        }

        @Override
        public byte[] nodeId() {
            return delegate.nodeId();
        }

        @Override
        public byte[] sign(byte[] message) {
            return delegate.sign(message);
        }
    }
}
