package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's own HTTP/1.1 connection, against the JDK's HTTP server and a hand-written one. */
class PlainHttpConnectionTest {

    private HttpServer server;
    private final Set<String> remotePorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", exchange -> {
            remotePorts.add(String.valueOf(exchange.getRemoteAddress().getPort()));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] answer = (exchange.getRequestMethod() + " " + type + " " + new String(body, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"receipt_id\":".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("\"a\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void posts_json_and_keeps_the_connection_for_the_next_request() throws IOException {
        try (PlainHttpConnection connection = new PlainHttpConnection(base())) {
            for (int i = 0; i < 5; i++) {
                PlainHttpConnection.Response response = connection.post("/echo", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                assertEquals(201, response.status());
                assertEquals("POST application/json {\"n\":" + i + "}", response.body());
            }
        }
        assertEquals(1, remotePorts.size(), "one connection for all five requests: " + remotePorts);
    }

    @Test
    void reads_a_chunked_body() throws IOException {
        try (PlainHttpConnection connection = new PlainHttpConnection(base())) {
            PlainHttpConnection.Response response = connection.post("/chunked", new byte[0]);
            assertEquals(200, response.status());
            assertEquals("{\"receipt_id\":\"a\"}", response.body());
            assertEquals(404, connection.post("/nowhere", new byte[0]).status());
        }
    }

    @Test
    void a_connection_the_server_closes_fails_one_request_and_the_next_one_reconnects() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    try (Socket first = listener.accept()) {
                        readHead(first.getInputStream());
                        // closes without answering
                    }
                    try (Socket second = listener.accept()) {
                        readHead(second.getInputStream());
                        second.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException e) {
                    // the test fails on its own
                }
            });
            try (PlainHttpConnection connection = new PlainHttpConnection(URI.create("http://127.0.0.1:" + listener.getLocalPort()))) {
                assertThrows(IOException.class, () -> connection.post("/x", new byte[0]));
                PlainHttpConnection.Response response = connection.post("/x", new byte[0]);
                assertEquals(200, response.status());
                assertEquals("ok", response.body());
            }
        }
    }

    @Test
    void refuses_https() {
        assertThrows(IllegalArgumentException.class, () -> new PlainHttpConnection(URI.create("https://127.0.0.1:1")));
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }
}
