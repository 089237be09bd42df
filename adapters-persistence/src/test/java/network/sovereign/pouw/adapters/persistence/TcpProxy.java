package network.sovereign.pouw.adapters.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a real database server that a test can cut (every connection drops and
 * new ones are refused, as when the database goes down), freeze (connections stay open but no byte
 * moves, as on a black-holed network or a hung server) and restore on the same port.
 */
final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean frozen;

    private TcpProxy(String targetHost, int targetPort, ServerSocket server) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = server;
        this.port = server.getLocalPort();
        acceptLoop(server);
    }

    /** Starts forwarding from a free local port to {@code host:port}. */
    static TcpProxy start(String host, int port) {
        return new TcpProxy(host, port, listen(0));
    }

    /** The local port clients connect to. */
    int port() {
        return port;
    }

    /** Drops every connection and stops listening. */
    void cut() {
        closeQuietly(server);
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Keeps every connection open but moves no byte, and holds new connections without answering. */
    void freeze() {
        frozen = true;
    }

    /** Moves bytes again and, after a {@link #cut()}, listens again on the same port. */
    synchronized void restore() {
        frozen = false;
        if (server.isClosed()) {
            server = listen(port);
            acceptLoop(server);
        }
    }

    @Override
    public void close() {
        frozen = false;
        cut();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop(ServerSocket listening) {
        Thread.ofVirtual().start(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    sockets.add(client);
                    Thread.ofVirtual().start(() -> connect(client));
                } catch (IOException e) {
                    // Listening socket closed by cut().
                }
            }
        });
    }

    private void connect(Socket client) {
        try {
            waitWhileFrozen();
            Socket upstream = new Socket(targetHost, targetPort);
            sockets.add(upstream);
            if (client.isClosed()) {
                closeQuietly(upstream);
                return;
            }
            pipe(client, upstream);
            pipe(upstream, client);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void waitWhileFrozen() throws InterruptedException {
        while (frozen) {
            Thread.sleep(20);
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    waitWhileFrozen();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // Connection dropped.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        });
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Already closed.
        }
    }
}
