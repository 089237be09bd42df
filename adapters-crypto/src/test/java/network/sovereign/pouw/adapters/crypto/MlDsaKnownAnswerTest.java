package network.sovereign.pouw.adapters.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import network.sovereign.pouw.domain.SigScheme;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.jcajce.interfaces.MLDSAPrivateKey;
import org.bouncycastle.jcajce.spec.MLDSAParameterSpec;
import org.bouncycastle.jcajce.spec.MLDSAPrivateKeySpec;
import org.bouncycastle.jcajce.spec.MLDSAPublicKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ML-DSA (FIPS 204) through our key and verifier code, checked against liboqs and BouncyCastle's JCA provider. */
class MlDsaKnownAnswerTest {

    private static final byte[] COUNTING_SEED = counting(32);
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final BouncyCastleSignatureVerifier verifier = new BouncyCastleSignatureVerifier();

    /**
     * The first NIST KAT entry (count 0) for each parameter set, rendered as liboqs's {@code kat_sig} prints it;
     * its SHA-256 is liboqs's {@code "single"} digest in {@code tests/KATs/sig/kats.json}. That covers key
     * generation from the seed xi, the expanded secret-key encoding and hedged pure-mode signing with an
     * empty context, all driven by the same DRBG stream liboqs uses.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ML_DSA_44, 9a196e7fb32fbc93757dc2d8dc1924460eab66303c0c08aeb8b798fb8d8f8cf3",
        "ML_DSA_65, 7cb96242eac9907a55b5c84c202f0ebd552419c50b2e986dc2e28f07ecebf072",
        "ML_DSA_87, 4537905d2aabcf302fab2f242baed293459ecda7c230e6a67063b02c7e2840ed",
    })
    void the_first_nist_kat_entry_matches_liboqs(SigScheme scheme, String liboqsDigest) {
        NistKatDrbg drbg = NistKatDrbg.counting();
        byte[] seed = drbg.bytes(48);
        byte[] msg = drbg.bytes(33);
        byte[] xi = new NistKatDrbg(seed).bytes(32);
        drbg.reseed(seed);

        ClientKeyPair client = ClientKeyPair.generate(scheme, drbg); // draws xi, then rnd when signing
        byte[] signature = client.sign(msg);
        byte[] expandedSecretKey = new MLDSAPrivateKeyParameters(parameters(scheme), xi).getEncoded();

        LiboqsKat kat = new LiboqsKat();
        kat.entry(0, seed, msg, client.publicKey(), expandedSecretKey, signature);
        assertEquals(liboqsDigest, kat.sha256());
        assertTrue(verifier.verify(scheme, client.publicKey(), msg, signature));
    }

    /** Regression pins: the public key derived from the seed 00 01 .. 1f never changes. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ML_DSA_44, 9f107644c1084526af3bc8098680b05499a2325a644e388fb4f970e058d19d46",
        "ML_DSA_65, d666806e11cee19a7c989f7445f90dd419cf4d2d51db8c0fdb4c0f0a542238c9",
        "ML_DSA_87, 91dc389cfaa01470b7f66eee45a4ae9026d154817c754dfe22298b3fa241ffcd",
    })
    void key_generation_from_a_fixed_seed_is_deterministic(SigScheme scheme, String publicKeySha256) {
        byte[] publicKey = ClientKeyPair.fromSeed(scheme, COUNTING_SEED).publicKey();
        assertEquals(scheme.publicKeyLength(), publicKey.length);
        assertEquals(publicKeySha256, Dilithium5KnownAnswerTest.sha256Hex(publicKey));
        assertArrayEquals(publicKey, ClientKeyPair.fromSeed(scheme, COUNTING_SEED).publicKey());
    }

    @Test
    void the_jca_provider_derives_the_same_key_from_the_seed_and_the_signatures_cross_verify() throws Exception {
        BouncyCastleNodeKey nodeKey = BouncyCastleNodeKey.fromSecret(SigScheme.ML_DSA_65, COUNTING_SEED);
        KeyFactory keyFactory = KeyFactory.getInstance("ML-DSA", BC);
        PrivateKey jcaPrivate = keyFactory.generatePrivate(new MLDSAPrivateKeySpec(MLDSAParameterSpec.ml_dsa_65, COUNTING_SEED));
        PublicKey jcaPublic = keyFactory.generatePublic(new MLDSAPublicKeySpec(MLDSAParameterSpec.ml_dsa_65, nodeKey.publicKey()));
        assertArrayEquals(nodeKey.publicKey(), ((MLDSAPrivateKey) jcaPrivate).getPublicKey().getPublicData());

        byte[] message = "challenge token bytes".getBytes(StandardCharsets.UTF_8);
        Signature jcaSigner = Signature.getInstance("ML-DSA-65", BC);
        jcaSigner.initSign(jcaPrivate);
        jcaSigner.update(message);
        byte[] jcaSignature = jcaSigner.sign();
        assertEquals(3309, jcaSignature.length);
        assertTrue(verifier.verify(SigScheme.ML_DSA_65, nodeKey.publicKey(), message, jcaSignature));

        Signature jcaVerifier = Signature.getInstance("ML-DSA-65", BC);
        jcaVerifier.initVerify(jcaPublic);
        jcaVerifier.update(message);
        assertTrue(jcaVerifier.verify(nodeKey.sign(message)));
    }

    private static MLDSAParameters parameters(SigScheme scheme) {
        return switch (scheme) {
            case ML_DSA_44 -> MLDSAParameters.ml_dsa_44;
            case ML_DSA_65 -> MLDSAParameters.ml_dsa_65;
            case ML_DSA_87 -> MLDSAParameters.ml_dsa_87;
            default -> throw new IllegalArgumentException(scheme.wireName());
        };
    }

    static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
