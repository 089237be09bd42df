package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the API port from PEM files, and SIGHUP swapping the certificate for new connections. */
class TlsJarIT {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path temp;

    private KeyStore selfSigned(String name) throws Exception {
        Path file = temp.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static void writePem(KeyStore store, Path cert, Path key) throws Exception {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Certificate certificate = store.getCertificate("node");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        PrivateKey privateKey = (PrivateKey) store.getKey("node", PASSWORD);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(privateKey.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    /** The certificate the server presents on a fresh connection (trusting only the given ones). */
    private static X509Certificate presented(int port, KeyStore... trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            trust.setCertificateEntry("c" + i, trusted[i].getCertificate("node"));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        HttpsURLConnection c = (HttpsURLConnection) URI.create("https://127.0.0.1:" + port + "/health/live").toURL().openConnection();
        c.setSSLSocketFactory(context.getSocketFactory());
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
        try {
            assertEquals(200, c.getResponseCode());
            return (X509Certificate) c.getServerCertificates()[0];
        } finally {
            c.disconnect();
        }
    }

    @Test
    void serves_https_from_pem_files_and_swaps_the_certificate_on_sighup() throws Exception {
        KeyStore first = selfSigned("first");
        KeyStore second = selfSigned("second");
        Path cert = temp.resolve("cert.pem");
        Path key = temp.resolve("key.pem");
        writePem(first, cert, key);
        try (JarNode node = JarNode.start(temp, Map.of("POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_TLS_CERT", cert.toString(), "POUW_TLS_KEY", key.toString()))) {
            assertTrue(Files.readString(node.log).contains("ready: API https://"), "the ready line names https");
            assertEquals("CN=first", presented(node.port, first, second).getSubjectX500Principal().getName());

            writePem(second, cert, key);
            assertEquals(0, new ProcessBuilder("kill", "-HUP", String.valueOf(node.process.pid())).start().waitFor());
            Instant until = Instant.now().plusSeconds(30);
            while (!Files.readString(node.log).contains("TLS material reloaded") && Instant.now().isBefore(until)) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(node.log).contains("TLS material reloaded"), Files.readString(node.log));
            assertEquals("CN=second", presented(node.port, first, second).getSubjectX500Principal().getName());
            assertTrue(node.process.isAlive());
        }
    }

    @Test
    void a_key_that_is_not_pkcs8_stops_start_up_with_78_naming_the_key_setting() throws Exception {
        Path cert = temp.resolve("bad-cert.pem");
        Path key = temp.resolve("bad-key.pem");
        writePem(selfSigned("bad"), cert, key);
        Files.writeString(key, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        Path out = temp.resolve("bad.out");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JarNode.JAR.toAbsolutePath().toString()).directory(temp.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("POUW_"));
        builder.environment().putAll(Map.of("POUW_HTTP_PORT", "0", "POUW_METRICS_PORT", "0", "POUW_DATA_DIR", temp.resolve("d").toString(),
                "POUW_TLS_CERT", cert.toString(), "POUW_TLS_KEY", key.toString()));
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(78, process.exitValue());
        String output = Files.readString(out);
        assertTrue(output.contains("pouw-node: invalid configuration: POUW_TLS_KEY: ") && output.contains("PKCS#8"), output);
    }
}
