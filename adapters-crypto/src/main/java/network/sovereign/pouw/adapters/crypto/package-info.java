/**
 * BouncyCastle-backed crypto for the node: {@link network.sovereign.pouw.adapters.crypto.BouncyCastleNodeKey}
 * and {@link network.sovereign.pouw.adapters.crypto.NodeKeyFiles} (the node key and its 0600 key file),
 * {@link network.sovereign.pouw.adapters.crypto.BouncyCastleSignatureVerifier} (ml-dsa-44/65/87,
 * dilithium5, ed25519), {@link network.sovereign.pouw.adapters.crypto.NodeKeyHealthIndicator}, and
 * {@link network.sovereign.pouw.adapters.crypto.ClientKeyPair} for test clients and the load generator.
 */
package network.sovereign.pouw.adapters.crypto;
