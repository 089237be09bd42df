package network.sovereign.pouw.adapters.web;

import io.helidon.common.tls.Tls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS material for the API socket from PEM files ({@code POUW_TLS_CERT}, {@code POUW_TLS_KEY}): the
 * certificate chain, leaf first, and an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY};
 * convert others with {@code openssl pkcs8 -topk8 -nocrypt}) of type RSA, EC or Ed25519.
 */
public final class PemTls {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemTls() {
    }

    /**
     * Loads the files.
     *
     * @throws IllegalArgumentException with a one-line message naming the file at fault
     */
    public static Tls load(Path certificateChain, Path privateKey) {
        List<X509Certificate> chain = certificates(certificateChain);
        PrivateKey key = privateKey(privateKey);
        return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
    }

    private static List<X509Certificate> certificates(Path file) {
        try {
            byte[] pem = Files.readAllBytes(file);
            List<X509Certificate> chain = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no PEM certificate");
            }
            return List.copyOf(chain);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not a PEM certificate chain");
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new IllegalArgumentException(file + " is not an RSA, EC or Ed25519 PKCS#8 private key");
    }
}
