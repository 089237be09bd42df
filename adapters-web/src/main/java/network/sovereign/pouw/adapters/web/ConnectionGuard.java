package network.sovereign.pouw.adapters.web;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpException;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import network.sovereign.pouw.adapters.web.problem.Problem;
import network.sovereign.pouw.adapters.web.problem.ProblemWriter;

/**
 * What Helidon's listener does not bound per connection, wrapped around its HTTP/1.1 connection selector:
 *
 * <ul>
 *   <li><b>connections per client address</b>: past the cap, a new connection is answered 429 (problem,
 *       {@code Connection: close}) and closed before anything is read from it. The connection is counted
 *       as soon as it is accepted (this is the listener's only selector, so Helidon asks it for a
 *       connection before reading a byte): idle connections count too. Trusted proxies are not counted
 *       per address, a proxy carries many clients; the listener's connection cap bounds them.</li>
 *   <li><b>the request body deadline</b>: once the headers of a request with a body are in, the body
 *       must be complete within the deadline. Every read from the socket goes through this guard, so it
 *       counts the body's bytes ({@code Content-Length}; a chunked body runs until its answer is sent).
 *       A client still sending when the deadline passes gets 408 (through the routing's error handling,
 *       {@code Connection: close}); one that sends nothing more is closed {@link #SILENT_GRACE} later.</li>
 * </ul>
 *
 * <p>One timer thread for the server; state lives in each connection's context, so it goes with it.
 */
final class ConnectionGuard implements ServerConnectionSelector {

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());

    /** How long after the body deadline a client that sends nothing more is closed without an answer. */
    static final Duration SILENT_GRACE = Duration.ofSeconds(1);

    /** What a refused connection is asked to wait before trying again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ServerConnectionSelector http1;
    private final int maxPerAddress;
    private final Predicate<String> uncounted;
    private final Duration bodyTimeout;
    private final ScheduledExecutorService timer;
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /**
     * @param http1         Helidon's HTTP/1.1 selector, built from the listener's HTTP/1.1 configuration
     * @param maxPerAddress connections one client address may hold at once
     * @param uncounted     addresses (as text) not counted per address: the trusted proxies
     * @param bodyTimeout   how long a request body may take after its headers
     * @param timer         where deadlines run (shared by both sockets; its owner shuts it down)
     */
    ConnectionGuard(ServerConnectionSelector http1, int maxPerAddress, Predicate<String> uncounted, Duration bodyTimeout,
                    ScheduledExecutorService timer) {
        this.http1 = http1;
        this.maxPerAddress = maxPerAddress;
        this.uncounted = uncounted;
        this.bodyTimeout = bodyTimeout;
        this.timer = timer;
    }

    static ScheduledExecutorService newTimer() {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("pouw-body-deadline").factory());
    }

    /** Connections the address holds now (for tests). */
    int connections(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        InetAddress address = counted(ctx);
        if (address != null && !acquire(address)) {
            LOG.log(Level.DEBUG, "refused a connection from {0}: it holds {1} already (POUW_HTTP_MAX_CONNECTIONS_PER_IP)",
                    address.getHostAddress(), maxPerAddress);
            return new Refused(ctx);
        }
        try {
            return new Counted(http1.connection(new Guarded(ctx)), address);
        } catch (RuntimeException e) {
            if (address != null) {
                release(address);
            }
            throw e;
        }
    }

    private InetAddress counted(ConnectionContext ctx) {
        PeerInfo peer = ctx.remotePeer();
        if (peer.address() instanceof InetSocketAddress socketAddress && socketAddress.getAddress() != null) {
            InetAddress address = socketAddress.getAddress();
            return uncounted.test(address.getHostAddress()) ? null : address;
        }
        return null;
    }

    /** Counts a connection for the address unless it holds the cap already (atomic per address). */
    private boolean acquire(InetAddress address) {
        boolean[] counted = {false};
        perAddress.compute(address, (a, held) -> {
            int now = held == null ? 0 : held;
            if (now >= maxPerAddress) {
                return held;
            }
            counted[0] = true;
            return now + 1;
        });
        return counted[0];
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, held) -> held <= 1 ? null : held - 1);
    }

    /**
     * The request events the body deadline follows (prologue, headers), for the configuration's receive
     * listeners; connections the guard did not make are left alone.
     */
    static final Http1ConnectionListener RECEIVED = new Http1ConnectionListener() {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            if (ctx instanceof Guarded guarded) {
                guarded.disarm();
            }
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            if (ctx instanceof Guarded guarded) {
                if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
                    guarded.arm(-1);
                } else if (headers.contains(HeaderNames.CONTENT_LENGTH)) {
                    long length;
                    try {
                        length = headers.contentLength().orElse(0);
                    } catch (RuntimeException e) {
                        return; // Helidon answers 400 for a malformed length
                    }
                    if (length > 0) {
                        guarded.arm(length);
                    }
                }
            }
        }

    };

    /** The response event the body deadline follows (status; a chunked body's deadline ends there), for the send listeners. */
    static final Http1ConnectionListener SENT = new Http1ConnectionListener() {
        @Override
        public void status(ConnectionContext ctx, Status status) {
            if (ctx instanceof Guarded guarded) {
                guarded.answered();
            }
        }
    };

    /** The 408 a client still sending its body gets when the deadline has passed. */
    static HttpException bodyTimeout(Duration deadline) {
        return new HttpException("the request body was not complete within " + deadline.toSeconds()
                + " s (POUW_HTTP_BODY_TIMEOUT_SECS)", Status.REQUEST_TIMEOUT_408, false);
    }

    /** Releases the address's count exactly once, whether Helidon runs the connection or closes it unstarted. */
    private final class Counted implements ServerConnection {
        private final ServerConnection delegate;
        private final InetAddress address;
        // 0: new, 1: handling, 2: released
        private final AtomicInteger state = new AtomicInteger();

        Counted(ServerConnection delegate, InetAddress address) {
            this.delegate = delegate;
            this.address = address;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            if (!state.compareAndSet(0, 1)) {
                return;
            }
            try {
                delegate.handle(limit);
            } finally {
                releaseOnce();
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            if (state.compareAndSet(0, 2)) {
                releaseCount();
            }
            delegate.close(interrupt);
        }

        private void releaseOnce() {
            if (state.getAndSet(2) != 2) {
                releaseCount();
            }
        }

        private void releaseCount() {
            if (address != null) {
                release(address);
            }
        }
    }

    /** A connection over the per-address cap: one 429, then Helidon closes it. */
    private static final class Refused implements ServerConnection {
        private final ConnectionContext ctx;

        Refused(ConnectionContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void handle(Limit limit) {
            byte[] body = ProblemWriter.body(Problem.tooManyRequests(RETRY_AFTER,
                    "too many connections from this address (POUW_HTTP_MAX_CONNECTIONS_PER_IP)"));
            String head = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: " + ProblemWriter.MEDIA_TYPE
                    + "\r\nRetry-After: " + RETRY_AFTER.toSeconds() + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] answer = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, answer, headBytes.length, body.length);
            try {
                ctx.dataWriter().writeNow(BufferData.create(answer));
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "a refused connection went away before its 429", e);
            }
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            // Nothing runs: handle() writes and returns, Helidon closes the socket.
        }
    }

    /**
     * The connection's context as Helidon's HTTP/1.1 connection sees it: the same in every respect but
     * the reader, which pulls through {@link #pull()} so the body deadline sees every byte.
     */
    private final class Guarded implements ConnectionContext {
        private final ConnectionContext ctx;
        private final DataReader source;
        private final DataReader reader;
        // Body state, guarded by this.
        private long remaining;          // bytes of a Content-Length body still to come; -1 chunked; 0 none
        private boolean expired;
        private ScheduledFuture<?> soft;
        private ScheduledFuture<?> hard;

        Guarded(ConnectionContext ctx) {
            this.ctx = ctx;
            this.source = ctx.dataReader();
            this.reader = DataReader.create(this::pull);
        }

        private byte[] pull() {
            // Helidon's own reader maps end of stream and socket errors as the connection expects.
            source.ensureAvailable();
            byte[] bytes = source.readBytes(source.available());
            received(bytes.length);
            return bytes;
        }

        private synchronized void received(int bytes) {
            if (remaining == 0) {
                return;
            }
            if (expired) {
                // Still armed: should the 408 not end the connection, the silent close does.
                throw bodyTimeout(bodyTimeout);
            }
            if (remaining > 0) {
                remaining -= bytes;
                if (remaining <= 0) {
                    disarmLocked();
                }
            }
        }

        synchronized void arm(long contentLength) {
            disarmLocked();
            long buffered = reader.available();
            if (contentLength > 0 && buffered >= contentLength) {
                return; // the whole body came with the headers
            }
            remaining = contentLength < 0 ? -1 : contentLength - buffered;
            soft = timer.schedule(this::expire, bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            hard = timer.schedule(this::closeSilent, bodyTimeout.plus(SILENT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The answer went out: a chunked body's deadline ends here (a counted one ends with its last byte). */
        synchronized void answered() {
            if (remaining < 0) {
                disarmLocked();
            }
        }

        synchronized void disarm() {
            disarmLocked();
        }

        private void disarmLocked() {
            remaining = 0;
            expired = false;
            if (soft != null) {
                soft.cancel(false);
                soft = null;
            }
            if (hard != null) {
                hard.cancel(false);
                hard = null;
            }
        }

        private synchronized void expire() {
            if (remaining != 0) {
                expired = true;
            }
        }

        private void closeSilent() {
            synchronized (this) {
                if (remaining == 0) {
                    return;
                }
                disarmLocked();
            }
            LOG.log(Level.DEBUG, "closed a connection whose request body stalled past {0} s (POUW_HTTP_BODY_TIMEOUT_SECS)",
                    bodyTimeout.toSeconds());
            try {
                ctx.serverSocket().close();
            } catch (RuntimeException e) {
                // already closed
            }
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
