package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.tls.Tls;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import network.sovereign.pouw.adapters.web.metrics.HelidonProtocolMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API socket over TLS, and a certificate swap without a restart (SIGHUP). */
class TlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void the_api_socket_speaks_tls_the_metrics_socket_stays_plain_and_the_certificate_reloads() throws Exception {
        KeyStore first = selfSigned("first");
        KeyStore second = selfSigned("second");
        WebSettings settings = new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 4096, Duration.ofSeconds(1));
        try (HttpAdapter adapter = HttpAdapter.builder(settings, new FakeHealth(), new HelidonProtocolMetrics("1.2.3-test"),
                        "1.2.3-test")
                .tls(tls(first))
                .start()) {
            HttpResponse<String> secure = getHttps(adapter.port(), first, second);
            assertEquals(200, secure.statusCode());
            assertEquals(certificate(first), secure.sslSession().orElseThrow().getPeerCertificates()[0]);
            assertThrows(RuntimeException.class, () -> Http.get(adapter.port(), "/health/live"));
            assertEquals(200, Http.get(adapter.metricsPort(), "/metrics").statusCode());

            adapter.reloadTls(tls(second));
            HttpResponse<String> reloaded = getHttps(adapter.port(), first, second);
            assertEquals(200, reloaded.statusCode());
            assertEquals(certificate(second), reloaded.sslSession().orElseThrow().getPeerCertificates()[0]);
        }
    }

    private static HttpResponse<String> getHttps(int port, KeyStore... trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            trust.setCertificateEntry("c" + i, certificate(trusted[i]));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        // A fresh client per call: a new TLS handshake, so a reloaded certificate shows.
        try (HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health/live"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static Tls tls(KeyStore store) throws Exception {
        return Tls.builder()
                .privateKey((PrivateKey) store.getKey("node", PASSWORD))
                .privateKeyCertChain(List.of(certificate(store)))
                .build();
    }

    private static X509Certificate certificate(KeyStore store) throws Exception {
        return (X509Certificate) store.getCertificate("node");
    }

    private KeyStore selfSigned(String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "node", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool hung");
        assertEquals(0, process.exitValue(), output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
