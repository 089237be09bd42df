/**
 * The BouncyCastle adapter: the node's signing key and its key file, verification of client
 * signatures for every protocol scheme, and the {@code node_key} health indicator.
 */
module network.sovereign.pouw.adapters.crypto {
    // Our public classes implement application ports (NodeKey, SignatureVerifier, HealthIndicator) and
    // take SigScheme, so whoever wires them needs the application and domain modules too.
    requires transitive network.sovereign.pouw.application;
    // bcprov-jdk18on 1.87 is a named module (not an automatic one); we use only its lightweight API,
    // and no BouncyCastle type appears in our public signatures, hence no "transitive".
    requires org.bouncycastle.provider;

    // Only the composition root constructs the crypto adapters.
    exports network.sovereign.pouw.adapters.crypto to network.sovereign.pouw.bootstrap;
}
