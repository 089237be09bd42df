package network.sovereign.pouw.adapters.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client over real sockets for the tests. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    static HttpResponse<String> get(int port, String path) {
        return send(request(port, path).GET().build());
    }

    static HttpResponse<String> get(int port, String path, String authorization) {
        return send(request(port, path).header("Authorization", authorization).GET().build());
    }

    static HttpResponse<String> method(int port, String method, String path) {
        return send(request(port, path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static HttpResponse<String> post(int port, String path, byte[] body) {
        return send(request(port, path).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Posts without a Content-Length: the body goes chunked. */
    static HttpResponse<String> postChunked(int port, String path, byte[] body) {
        return send(request(port, path).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());
    }

    static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Writes raw bytes on a fresh connection and returns everything the server answers until it closes. */
    static String raw(int port, String request) throws IOException {
        return raw(port, request, Duration.ofSeconds(10));
    }

    /**
     * Writes raw bytes on a fresh connection and returns everything the server answers until it closes
     * or stays silent for {@code quiet}.
     */
    static String raw(int port, String request, Duration quiet) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) quiet.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException keptAlive) {
                // The server kept the connection open; what arrived so far is the answer.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
