package network.sovereign.pouw.bench;

import java.util.List;
import java.util.Objects;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Policy;

/**
 * What {@code GET /api/v1/pouw/node} tells a client: the node's identity and key, the schemes it
 * accepts, its default policy and its clock.
 *
 * @param nodeId             SHA-256 of the node's raw public key
 * @param publicKey          the node's raw public key, which signs challenges
 * @param sigScheme          the node key's scheme ({@code ed25519} or {@code ml-dsa-65})
 * @param version            the node's software version
 * @param acceptedSigSchemes the client signature schemes the node accepts
 * @param policyDefaults     the policy a challenge gets when the client asks for no less
 * @param serverTime         the node's clock, unix seconds
 */
public record NodeInfo(Bytes nodeId, Bytes publicKey, String sigScheme, String version, List<String> acceptedSigSchemes,
                       Policy policyDefaults, long serverTime) {

    /** Checks that nothing is null and copies the list. */
    public NodeInfo {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(sigScheme, "sigScheme");
        Objects.requireNonNull(version, "version");
        acceptedSigSchemes = List.copyOf(acceptedSigSchemes);
        Objects.requireNonNull(policyDefaults, "policyDefaults");
    }
}
