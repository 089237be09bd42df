package network.sovereign.pouw.adapters.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import network.sovereign.pouw.application.port.out.SignatureVerifier;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Receipt signature verification for the five schemes: valid, tampered, malformed, foreign keys. */
class BouncyCastleSignatureVerifierTest {

    private static final byte[] MESSAGE = "canonical receipt bytes".getBytes(StandardCharsets.UTF_8);
    private static final Map<SigScheme, ClientKeyPair> CLIENTS = new EnumMap<>(SigScheme.class);

    static {
        for (SigScheme scheme : SigScheme.values()) {
            byte[] seed = new byte[32];
            Arrays.fill(seed, (byte) (scheme.ordinal() + 1));
            CLIENTS.put(scheme, ClientKeyPair.fromSeed(scheme, seed));
        }
    }

    private final SignatureVerifier verifier = new BouncyCastleSignatureVerifier();

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void a_signature_by_the_key_verifies(SigScheme scheme) {
        ClientKeyPair client = CLIENTS.get(scheme);
        byte[] signature = client.sign(MESSAGE);
        assertEquals(scheme.publicKeyLength(), client.publicKey().length);
        assertEquals(scheme.signatureLength(), signature.length);
        assertTrue(verifier.verify(scheme, client.publicKey(), MESSAGE, signature));
        assertTrue(verifier.verify(scheme, client.publicKey(), new byte[0], client.sign(new byte[0])), "empty message");
    }

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void a_tampered_message_fails(SigScheme scheme) {
        ClientKeyPair client = CLIENTS.get(scheme);
        byte[] signature = client.sign(MESSAGE);
        for (int position : new int[] {0, MESSAGE.length / 2, MESSAGE.length - 1}) {
            byte[] tampered = MESSAGE.clone();
            tampered[position] ^= 0x01;
            assertFalse(verifier.verify(scheme, client.publicKey(), tampered, signature), "byte " + position);
        }
        assertFalse(verifier.verify(scheme, client.publicKey(), Arrays.copyOf(MESSAGE, MESSAGE.length + 1), signature));
    }

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void a_tampered_signature_fails(SigScheme scheme) {
        ClientKeyPair client = CLIENTS.get(scheme);
        byte[] signature = client.sign(MESSAGE);
        for (int position : new int[] {0, 1, signature.length / 2, signature.length - 1}) {
            byte[] tampered = signature.clone();
            tampered[position] ^= 0x01;
            assertFalse(verifier.verify(scheme, client.publicKey(), MESSAGE, tampered), "byte " + position);
        }
    }

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void a_tampered_key_fails(SigScheme scheme) {
        ClientKeyPair client = CLIENTS.get(scheme);
        byte[] key = client.publicKey();
        key[key.length / 2] ^= 0x01;
        assertFalse(verifier.verify(scheme, key, MESSAGE, client.sign(MESSAGE)));
    }

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void a_key_of_the_wrong_length_returns_false(SigScheme scheme) {
        ClientKeyPair client = CLIENTS.get(scheme);
        byte[] signature = client.sign(MESSAGE);
        byte[] key = client.publicKey();
        for (byte[] wrong : List.of(new byte[0], Arrays.copyOf(key, key.length - 1), Arrays.copyOf(key, key.length + 1))) {
            assertFalse(assertDoesNotThrow(() -> verifier.verify(scheme, wrong, MESSAGE, signature)));
        }
    }

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void a_signature_of_the_wrong_length_returns_false(SigScheme scheme) {
        ClientKeyPair client = CLIENTS.get(scheme);
        byte[] signature = client.sign(MESSAGE);
        for (byte[] wrong : List.of(new byte[0], Arrays.copyOf(signature, signature.length - 1),
                Arrays.copyOf(signature, signature.length + 1))) {
            assertFalse(assertDoesNotThrow(() -> verifier.verify(scheme, client.publicKey(), MESSAGE, wrong)));
        }
    }

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void garbage_of_the_right_lengths_returns_false(SigScheme scheme) {
        for (byte fill : new byte[] {0, (byte) 0xff, 0x5a}) {
            byte[] key = new byte[scheme.publicKeyLength()];
            byte[] signature = new byte[scheme.signatureLength()];
            Arrays.fill(key, fill);
            Arrays.fill(signature, fill);
            assertFalse(assertDoesNotThrow(() -> verifier.verify(scheme, key, MESSAGE, signature)), "fill " + fill);
        }
    }

    /** ml-dsa-87 and dilithium5 keys are both 2592 bytes: the lengths alone cannot tell them apart. */
    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void a_key_or_signature_of_another_scheme_fails(SigScheme scheme) {
        ClientKeyPair client = CLIENTS.get(scheme);
        byte[] signature = client.sign(MESSAGE);
        for (SigScheme other : SigScheme.values()) {
            if (other == scheme) {
                continue;
            }
            ClientKeyPair foreign = CLIENTS.get(other);
            assertFalse(verifier.verify(scheme, foreign.publicKey(), MESSAGE, signature), "key of " + other.wireName());
            assertFalse(verifier.verify(other, client.publicKey(), MESSAGE, signature), "claimed as " + other.wireName());
            assertFalse(verifier.verify(other, foreign.publicKey(), MESSAGE, signature), "checked as " + other.wireName());
        }
    }

    @Test
    void ml_dsa_87_and_dilithium5_keys_have_the_same_length_but_do_not_mix() {
        ClientKeyPair mlDsa87 = CLIENTS.get(SigScheme.ML_DSA_87);
        ClientKeyPair dilithium5 = CLIENTS.get(SigScheme.DILITHIUM5);
        assertEquals(mlDsa87.publicKey().length, dilithium5.publicKey().length);
        assertFalse(verifier.verify(SigScheme.DILITHIUM5, mlDsa87.publicKey(), MESSAGE, dilithium5.sign(MESSAGE)));
        assertFalse(verifier.verify(SigScheme.ML_DSA_87, dilithium5.publicKey(), MESSAGE, mlDsa87.sign(MESSAGE)));
    }

    @Test
    void one_instance_verifies_from_many_threads_at_once() throws Exception {
        Map<SigScheme, byte[]> signatures = new EnumMap<>(SigScheme.class);
        CLIENTS.forEach((scheme, client) -> signatures.put(scheme, client.sign(MESSAGE)));
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            SigScheme scheme = SigScheme.values()[i % SigScheme.values().length];
            boolean valid = i % 3 != 0;
            byte[] message = valid ? MESSAGE : Arrays.copyOf(MESSAGE, MESSAGE.length - 1);
            tasks.add(() -> verifier.verify(scheme, CLIENTS.get(scheme).publicKey(), message, signatures.get(scheme)) == valid);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void null_arguments_are_programming_errors() {
        ClientKeyPair client = CLIENTS.get(SigScheme.ED25519);
        byte[] key = client.publicKey();
        byte[] signature = client.sign(MESSAGE);
        assertThrows(NullPointerException.class, () -> verifier.verify(null, key, MESSAGE, signature));
        assertThrows(NullPointerException.class, () -> verifier.verify(SigScheme.ED25519, null, MESSAGE, signature));
        assertThrows(NullPointerException.class, () -> verifier.verify(SigScheme.ED25519, key, null, signature));
        assertThrows(NullPointerException.class, () -> verifier.verify(SigScheme.ED25519, key, MESSAGE, null));
    }

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void client_key_pairs_never_show_their_secret(SigScheme scheme) {
        assertEquals("ClientKeyPair[" + scheme.wireName() + "]", CLIENTS.get(scheme).toString());
        assertThrows(IllegalArgumentException.class, () -> ClientKeyPair.fromSeed(scheme, new byte[31]));
    }
}
