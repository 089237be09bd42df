package network.sovereign.pouw.application.port.in;

import java.util.List;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.SigScheme;

/** What a client needs to know about the node: its key, schemes and policy defaults. */
public interface GetNodeInfoUseCase {

    /**
     * The node's public facts.
     *
     * @param nodeId             SHA-256 of the node's public key
     * @param publicKey          the node's raw public key
     * @param scheme             the node key's scheme
     * @param version            the node's version
     * @param acceptedSigSchemes schemes receipts may be signed with
     * @param policyDefaults     the policy a challenge gets when the client asks for no less
     * @param serverTime         unix seconds now
     */
    record NodeInfo(Bytes nodeId, Bytes publicKey, SigScheme scheme, String version, List<SigScheme> acceptedSigSchemes,
                    Policy policyDefaults, long serverTime) {
        /** Copies the list. */
        public NodeInfo {
            acceptedSigSchemes = List.copyOf(acceptedSigSchemes);
        }
    }

    /** The node's facts now. */
    NodeInfo nodeInfo();
}
