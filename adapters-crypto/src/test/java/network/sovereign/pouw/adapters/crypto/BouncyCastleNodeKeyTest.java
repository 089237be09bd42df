package network.sovereign.pouw.adapters.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The node key: node_id, secret encoding, refusals, and signatures clients can check. */
class BouncyCastleNodeKeyTest {

    private static final byte[] MESSAGE = "challenge token".getBytes(StandardCharsets.UTF_8);

    private final BouncyCastleSignatureVerifier verifier = new BouncyCastleSignatureVerifier();

    @ParameterizedTest
    @EnumSource(value = SigScheme.class, names = {"ED25519", "ML_DSA_65"})
    void node_id_is_sha256_of_the_raw_public_key(SigScheme scheme) throws Exception {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(scheme, new SecureRandom());
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(key.publicKey());
        assertArrayEquals(expected, key.nodeId());
        assertEquals(32, key.nodeId().length);
        assertEquals(HexFormat.of().formatHex(expected), key.nodeIdHex());
        assertEquals(scheme.publicKeyLength(), key.publicKey().length);
        assertEquals(scheme, key.scheme());
    }

    @ParameterizedTest
    @EnumSource(value = SigScheme.class, names = {"ED25519", "ML_DSA_65"})
    void its_signatures_verify_and_the_secret_restores_the_same_key(SigScheme scheme) {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(scheme, new SecureRandom());
        byte[] signature = key.sign(MESSAGE);
        assertEquals(scheme.signatureLength(), signature.length);
        assertTrue(verifier.verify(scheme, key.publicKey(), MESSAGE, signature));

        byte[] secret = key.encodeSecret();
        assertEquals(32, secret.length);
        BouncyCastleNodeKey restored = BouncyCastleNodeKey.fromSecret(scheme, secret);
        assertArrayEquals(key.publicKey(), restored.publicKey());
        assertArrayEquals(key.nodeId(), restored.nodeId());
        assertTrue(verifier.verify(scheme, key.publicKey(), MESSAGE, restored.sign(MESSAGE)));
        assertArrayEquals(key.nodeId(), BouncyCastleNodeKey.fromBase64Secret(scheme, key.encodeSecretBase64()).nodeId());
    }

    @Test
    void returned_arrays_are_copies() {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(SigScheme.ED25519, new SecureRandom());
        byte[] nodeId = key.nodeId();
        nodeId[0] ^= 1;
        byte[] publicKey = key.publicKey();
        publicKey[0] ^= 1;
        byte[] secret = key.encodeSecret();
        secret[0] ^= 1;
        assertFalse(java.util.Arrays.equals(nodeId, key.nodeId()));
        assertFalse(java.util.Arrays.equals(publicKey, key.publicKey()));
        assertFalse(java.util.Arrays.equals(secret, key.encodeSecret()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 64, 4032})
    void a_secret_of_the_wrong_length_is_refused_with_a_clear_message(int length) {
        byte[] secret = new byte[length];
        java.util.Arrays.fill(secret, (byte) 0x41);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BouncyCastleNodeKey.fromSecret(SigScheme.ML_DSA_65, secret));
        assertEquals("a ml-dsa-65 secret key is the 32-byte key-generation seed, got " + length + " bytes", e.getMessage());
        IllegalArgumentException ed = assertThrows(IllegalArgumentException.class,
                () -> BouncyCastleNodeKey.fromSecret(SigScheme.ED25519, secret));
        assertTrue(ed.getMessage().contains("got " + length + " bytes"), ed.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = SigScheme.class, names = {"ML_DSA_44", "ML_DSA_87", "DILITHIUM5"})
    void only_ed25519_and_ml_dsa_65_can_be_node_keys(SigScheme scheme) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BouncyCastleNodeKey.fromSecret(scheme, new byte[32]));
        assertEquals("a node key is ed25519 or ml-dsa-65, not " + scheme.wireName(), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BouncyCastleNodeKey.generate(scheme, new SecureRandom()));
    }

    @Test
    void bad_base64_is_refused_without_quoting_it() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BouncyCastleNodeKey.fromBase64Secret(SigScheme.ED25519, "c2VjcmV0*c2VjcmV0"));
        assertEquals("the node secret key is not valid base64", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BouncyCastleNodeKey.fromBase64Secret(SigScheme.ED25519, Base64.getEncoder().encodeToString(new byte[16])));
    }

    @Test
    void to_string_names_scheme_and_node_id_never_the_secret() {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(SigScheme.ED25519, new SecureRandom());
        String text = key.toString();
        assertEquals("BouncyCastleNodeKey[ed25519, node_id=" + key.nodeIdHex() + "]", text);
        assertFalse(text.contains(key.encodeSecretBase64()));
        assertFalse(text.contains(HexFormat.of().formatHex(key.encodeSecret())));
    }

    @Test
    void ml_dsa_65_signing_is_hedged() {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(SigScheme.ML_DSA_65, new SecureRandom());
        assertFalse(java.util.Arrays.equals(key.sign(MESSAGE), key.sign(MESSAGE)), "fresh randomness per signature");
    }
}
