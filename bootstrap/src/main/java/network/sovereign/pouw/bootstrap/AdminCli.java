package network.sovereign.pouw.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import network.sovereign.pouw.bootstrap.config.ConfigException;
import network.sovereign.pouw.bootstrap.config.ConfigSource;
import network.sovereign.pouw.bootstrap.config.NodeConfig;

/**
 * {@code java -jar pouw-node.jar admin COMMAND ...}: calls the running node's admin API with the
 * operator's token and prints the answer. Finds the node and the token from the same settings
 * {@code serve} reads, so on a host {@code admin} works without arguments beyond the command; the
 * token itself is never printed.
 */
final class AdminCli {

    /** The node could not be reached (EX_UNAVAILABLE). */
    static final int EXIT_UNAVAILABLE = 69;

    /** The CLI's own variables; not node settings, so {@code serve} does not warn about them. */
    static final String URL_SETTING = "POUW_ADMIN_URL";
    static final String TOKEN_SETTING = "POUW_ADMIN_TOKEN";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** Where to send requests and how to trust the node's certificate. */
    record Target(URI base, Optional<Path> pinnedCertificate) {
    }

    private AdminCli() {
    }

    /** Runs one admin command and returns the exit status. */
    static int run(List<String> words, Map<String, String> environment, Optional<Path> configFile, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        Optional<String> url = Optional.empty();
        Optional<String> token = Optional.empty();
        Duration timeout = DEFAULT_TIMEOUT;
        try {
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (w.equals("-h") || w.equals("--help") || (rest.isEmpty() && w.equals("help"))) {
                    out.println(AdminCommands.USAGE);
                    return Main.EXIT_OK;
                } else if (w.equals("--url") || w.equals("--token") || w.equals("--timeout")) {
                    if (i + 1 >= words.size()) {
                        throw new AdminCommands.UsageException(w + " needs a value");
                    }
                    String value = words.get(++i);
                    switch (w) {
                        case "--url" -> url = Optional.of(value);
                        case "--token" -> token = Optional.of(value);
                        default -> timeout = timeout(value);
                    }
                } else if (w.startsWith("--url=")) {
                    url = Optional.of(w.substring("--url=".length()));
                } else if (w.startsWith("--token=")) {
                    token = Optional.of(w.substring("--token=".length()));
                } else if (w.startsWith("--timeout=")) {
                    timeout = timeout(w.substring("--timeout=".length()));
                } else {
                    rest.add(w);
                }
            }
            boolean status = !rest.isEmpty() && rest.getFirst().equals("status");
            boolean json = false;
            AdminCommands.Request request = null;
            if (status) {
                for (String w : rest.subList(1, rest.size())) {
                    if (!w.equals("--json")) {
                        throw new AdminCommands.UsageException("unexpected argument '" + w + "' (usage: admin status [--json])");
                    }
                    json = true;
                }
            } else {
                request = AdminCommands.parse(rest);
            }
            ConfigSource source = ConfigSource.load(environment, configFile);
            Target target = target(url, source);
            String bearer = token.or(() -> source.get(TOKEN_SETTING)).orElseGet(() -> tokenFromSettings(source));
            return status ? status(target, bearer, timeout, json, out, err) : send(target, bearer, request, timeout, out, err);
        } catch (AdminCommands.UsageException e) {
            err.println("pouw-node admin: " + e.getMessage() + "\n(see: pouw-node admin --help)");
            return Main.EXIT_USAGE;
        } catch (ConfigException e) {
            err.println("pouw-node admin: " + e.getMessage());
            return Main.EXIT_CONFIG;
        }
    }

    private static Duration timeout(String value) throws AdminCommands.UsageException {
        if (!value.matches("\\d{1,6}") || Integer.parseInt(value) == 0) {
            throw new AdminCommands.UsageException("--timeout takes seconds (1..999999), got '" + value + "'");
        }
        return Duration.ofSeconds(Integer.parseInt(value));
    }

    /** The node's base URL: --url, POUW_ADMIN_URL, or the local API port from the node's own settings. */
    static Target target(Optional<String> url, ConfigSource source) throws AdminCommands.UsageException {
        Optional<Path> certificate = source.get("POUW_TLS_CERT").map(Path::of);
        Optional<String> explicit = url.or(() -> source.get(URL_SETTING));
        if (explicit.isPresent()) {
            String text = explicit.get().replaceAll("/+$", "");
            try {
                URI uri = new URI(text);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new AdminCommands.UsageException("the node URL must be http(s)://host:port, got '" + text + "'");
                }
                return new Target(uri, "https".equals(uri.getScheme()) ? certificate : Optional.empty());
            } catch (URISyntaxException e) {
                throw new AdminCommands.UsageException("the node URL is not a URL: '" + text + "'");
            }
        }
        String portText = source.get("POUW_HTTP_PORT").orElse(NodeConfig.SETTINGS.get("POUW_HTTP_PORT"));
        if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) == 0 || Integer.parseInt(portText) > 65_535) {
            throw new ConfigException("POUW_HTTP_PORT", "is '" + portText + "'; pass --url or set " + URL_SETTING);
        }
        String host = source.get("POUW_HTTP_HOST").orElse("127.0.0.1");
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        String scheme = certificate.isPresent() ? "https" : "http";
        return new Target(URI.create(scheme + "://" + host + ":" + portText), certificate);
    }

    /** The first token of POUW_ADMIN_TOKENS, else the generated $POUW_DATA_DIR/admin.token. */
    private static String tokenFromSettings(ConfigSource source) {
        Optional<String> tokens = source.get("POUW_ADMIN_TOKENS");
        if (tokens.isPresent()) {
            for (String entry : tokens.get().split(",")) {
                int colon = entry.indexOf(':');
                if (colon > 0 && !entry.substring(colon + 1).isBlank()) {
                    return entry.substring(colon + 1).strip();
                }
            }
            throw new ConfigException("POUW_ADMIN_TOKENS", "names no token (expected name:token pairs)");
        }
        Path dataDir = source.get("POUW_DATA_DIR").map(Path::of).orElse(Path.of(NodeConfig.DEFAULT_DATA_DIR));
        Path file = dataDir.resolve(AdminTokenFile.FILE_NAME);
        try {
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (token.isEmpty()) {
                throw new ConfigException("POUW_DATA_DIR", file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new ConfigException(TOKEN_SETTING, "no admin token: pass --token, set " + TOKEN_SETTING + " or POUW_ADMIN_TOKENS, or make "
                    + file + " readable (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code admin status}: several GETs, one summary ({@link AdminStatus}). */
    private static int status(Target target, String bearer, Duration timeout, boolean json, PrintStream out, PrintStream err) {
        HttpClient client = trustingClient(target);
        try {
            return AdminStatus.run(path -> {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(target.base() + path))
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + bearer)
                        .header("Accept", "application/json, application/problem+json")
                        .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new AdminStatus.Answer(response.statusCode(), response.body());
            }, target.base().toString(), json, out);
        } catch (IOException e) {
            err.println(transportFailure(target, timeout, e));
            return EXIT_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pouw-node admin: interrupted");
            return Main.EXIT_FAILURE;
        }
    }

    private static HttpClient trustingClient(Target target) {
        try {
            return client(target);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("POUW_TLS_CERT", "cannot trust " + target.pinnedCertificate().orElseThrow() + ": " + e.getMessage());
        }
    }

    /** One line saying why the node could not be talked to. */
    private static String transportFailure(Target target, Duration timeout, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "pouw-node admin: cannot connect to " + target.base() + " (timed out)";
        }
        if (e instanceof ConnectException) {
            return "pouw-node admin: cannot connect to " + target.base() + " (connection refused; is the node running?)";
        }
        if (e instanceof HttpTimeoutException) {
            return "pouw-node admin: no answer from " + target.base() + " within " + timeout.toSeconds() + " s (--timeout)";
        }
        Throwable tls = e;
        while (tls != null && !(tls instanceof SSLException)) {
            tls = tls.getCause();
        }
        return "pouw-node admin: " + (tls != null ? "TLS handshake with " + target.base() + " failed"
                : "cannot talk to " + target.base()) + " (" + describe(tls != null ? tls : e) + ")";
    }

    private static int send(Target target, String bearer, AdminCommands.Request request, Duration timeout, PrintStream out,
                            PrintStream err) {
        URI uri = URI.create(target.base() + request.path());
        HttpClient client = trustingClient(target);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", request.csv() ? "text/csv, application/problem+json" : "application/json, application/problem+json")
                .method(request.method(), request.body()
                        .map(b -> HttpRequest.BodyPublishers.ofString(b, StandardCharsets.UTF_8))
                        .orElseGet(HttpRequest.BodyPublishers::noBody));
        request.body().ifPresent(b -> builder.header("Content-Type", "application/json"));
        HttpResponse<String> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println(transportFailure(target, timeout, e));
            return EXIT_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pouw-node admin: interrupted");
            return Main.EXIT_FAILURE;
        }
        String body = response.body();
        if (response.statusCode() / 100 == 2) {
            if (request.csv() || body.isEmpty()) {
                out.print(body);
            } else {
                out.println(prettyOrRaw(body));
            }
            return Main.EXIT_OK;
        }
        err.println(problemLine(response.statusCode(), body));
        return Main.EXIT_FAILURE;
    }

    /** {@code error: <status> <title>: <detail>} for a problem answer, else the status and the body's first line. */
    static String problemLine(int status, String body) {
        try {
            if (CliJson.parse(body) instanceof Map<?, ?> problem && problem.get("title") instanceof String title) {
                Object detail = problem.get("detail");
                return "error: " + status + " " + title + (detail instanceof String d && !d.isBlank() ? ": " + d : "");
            }
        } catch (IllegalArgumentException notJson) {
            // fall through to the raw text
        }
        String first = body.strip().lines().findFirst().orElse("");
        return "error: " + status + (first.isEmpty() ? "" : " " + (first.length() > 200 ? first.substring(0, 200) + "..." : first));
    }

    private static String prettyOrRaw(String body) {
        try {
            return CliJson.pretty(CliJson.parse(body));
        } catch (IllegalArgumentException notJson) {
            return body;
        }
    }

    private static HttpClient client(Target target) throws IOException, GeneralSecurityException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if (target.pinnedCertificate().isPresent() && "https".equals(target.base().getScheme())) {
            // Trust exactly the node's own certificate (chain) from POUW_TLS_CERT. The CLI usually talks to
            // 127.0.0.1, which is not a name in that certificate, so the host name is not checked: the
            // pinned certificate is the identity. Read once, when the JDK's client class is first used.
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(target.pinnedCertificate().get())) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("node-" + i++, certificate);
                }
                if (i == 0) {
                    throw new GeneralSecurityException("no certificate in the file");
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            builder.sslContext(context);
        }
        return builder.build();
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
