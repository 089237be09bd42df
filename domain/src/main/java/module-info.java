/**
 * The protocol and its rules: proof types, signature schemes, rejection reasons, rewards and epochs,
 * disputes. Depends on nothing but {@code java.base}.
 */
module network.sovereign.pouw.domain {
    exports network.sovereign.pouw.domain;
}
