package network.sovereign.pouw.application.port.out;

import network.sovereign.pouw.domain.SigScheme;

/**
 * The node's own signing key: signs challenge tokens. {@code nodeId} is SHA-256 of the raw public
 * key, so anyone can check which key signed.
 */
public interface NodeKey {

    /** The scheme of the key ({@code ed25519} by default, {@code ml-dsa-65} on request). */
    SigScheme scheme();

    /** The raw public key (a copy). */
    byte[] publicKey();

    /** SHA-256 of the raw public key, 32 bytes (a copy). */
    byte[] nodeId();

    /** Signs a message with the node's secret key. */
    byte[] sign(byte[] message);
}
