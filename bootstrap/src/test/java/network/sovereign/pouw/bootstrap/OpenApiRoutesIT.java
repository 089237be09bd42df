package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document the jar serves at {@code /openapi} lists exactly the routes the node registers
 * (which the node logs at debug level, from the web adapter's route catalog), and every documented
 * operation really answers (anything but 404/405) on a running node.
 */
class OpenApiRoutesIT {

    private static final Set<String> VERBS = Set.of("get", "post", "put", "delete", "patch", "head", "options", "trace");
    private static final Pattern ROUTES_LINE = Pattern.compile("routes: (.*)");

    @TempDir
    static Path dir;
    private static JarNode node;

    @BeforeAll
    static void start() throws Exception {
        node = JarNode.start(dir, Map.of("POUW_DATA_DIR", dir.resolve("data").toString(), "POUW_LOG_LEVEL", "debug"));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.process.destroy();
        }
    }

    @Test
    void the_document_and_the_registered_routes_are_the_same_set() throws IOException {
        Set<String> documented = normalise(documentedOperations(node.get("/openapi").body()));
        Set<String> registered = normalise(registeredRoutes());
        Set<String> undocumented = new TreeSet<>(registered);
        undocumented.removeAll(documented);
        Set<String> phantom = new TreeSet<>(documented);
        phantom.removeAll(registered);
        assertTrue(undocumented.isEmpty(), "registered but not in openapi.yaml: " + undocumented);
        assertTrue(phantom.isEmpty(), "in openapi.yaml but not registered: " + phantom);
        assertTrue(registered.size() > 20, "the catalog saw the API: " + registered);
    }

    @Test
    void every_documented_operation_answers_on_the_running_node() throws IOException {
        for (String operation : documentedOperations(node.get("/openapi").body())) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
            int port = path.equals("/metrics") ? node.metricsPort : node.port;
            int status = status(method, port, path);
            assertFalse(status == 404 || status == 405 || status >= 500, operation + " answered " + status);
        }
    }

    @Test
    void the_document_is_openapi_3_1_served_as_yaml() throws IOException {
        String body = node.get("/openapi").body();
        assertTrue(body.startsWith("openapi: 3.1.0\n"), body.substring(0, 30));
    }

    /** "METHOD /path" for every operation under {@code paths:} (the document's own two-space layout). */
    static List<String> documentedOperations(String yaml) {
        List<String> operations = new ArrayList<>();
        boolean inPaths = false;
        String path = null;
        for (String line : yaml.split("\n")) {
            if (!line.startsWith(" ")) {
                inPaths = line.equals("paths:");
                continue;
            }
            if (!inPaths) {
                continue;
            }
            if (line.startsWith("  /") && line.endsWith(":")) {
                path = line.substring(2, line.length() - 1);
            } else if (path != null && line.startsWith("    ") && !line.startsWith("     ")) {
                String key = line.strip().replace(":", "");
                if (VERBS.contains(key)) {
                    operations.add(key.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        return operations;
    }

    private static List<String> registeredRoutes() throws IOException {
        Matcher m = ROUTES_LINE.matcher(Files.readString(node.log));
        assertTrue(m.find(), "the node logs its routes at debug level");
        return Arrays.stream(m.group(1).split(", ")).map(String::strip).toList();
    }

    /** Path parameters compared by position only: {did} and {client_did} are the same route. */
    private static Set<String> normalise(List<String> operations) {
        Set<String> result = new TreeSet<>();
        operations.forEach(op -> result.add(op.replaceAll("\\{[^}]+}", "{}")));
        return result;
    }

    /** One request without credentials or body over a raw socket (HttpURLConnection cannot send PATCH). */
    private static int status(String method, int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().split(" ");
            assertEquals("HTTP/1.1", parts[0], method + " " + path + ": " + statusLine);
            return Integer.parseInt(parts[1]);
        }
    }
}
