package network.sovereign.pouw.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The systemd watchdog ({@code WatchdogSec=}): every third of the watchdog interval the node asks its own
 * API socket {@code GET /health/live} over loopback (connect, request, status line) and sends
 * {@code WATCHDOG=1} only when the answer is 200 within the probe timeout. A listener that stopped
 * accepting (its accept loop ended, every connection slot held, the process wedged) stops the pings, and
 * systemd restarts the node after {@code WatchdogSec}. Active only when systemd set {@code WATCHDOG_USEC}
 * (for this process, {@code WATCHDOG_PID}).
 */
final class ApiWatchdog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApiWatchdog.class.getName());

    /** A probe that has not read its status line by then fails. */
    private static final Duration MAX_PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final SystemdNotifier systemd;
    private final InetSocketAddress target;
    private final boolean tls;
    private final Duration period;
    private final Duration probeTimeout;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("pouw-watchdog").factory());
    private volatile boolean failing;

    private ApiWatchdog(SystemdNotifier systemd, InetSocketAddress target, boolean tls, Duration watchdog) {
        this.systemd = systemd;
        this.target = target;
        this.tls = tls;
        this.period = watchdog.dividedBy(3);
        this.probeTimeout = period.compareTo(MAX_PROBE_TIMEOUT) < 0 ? period : MAX_PROBE_TIMEOUT;
    }

    /** The watchdog interval systemd asks for, if it asks this process. */
    static Optional<Duration> interval(Map<String, String> environment, long pid) {
        String usec = environment.get("WATCHDOG_USEC");
        if (usec == null || usec.isBlank()) {
            return Optional.empty();
        }
        String watchdogPid = environment.get("WATCHDOG_PID");
        if (watchdogPid != null && !watchdogPid.isBlank() && !watchdogPid.strip().equals(Long.toString(pid))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.strip());
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1_000)) : Optional.empty();
        } catch (NumberFormatException e) {
            LOG.warning("WATCHDOG_USEC=" + usec + " is not a number; the systemd watchdog is not fed");
            return Optional.empty();
        }
    }

    /**
     * Starts probing and pinging.
     *
     * @param host the API socket's bind address (a wildcard is probed on loopback)
     * @param port the API socket's bound port
     * @param tls  whether the API socket speaks TLS
     */
    static ApiWatchdog start(SystemdNotifier systemd, Duration watchdog, String host, int port, boolean tls) {
        ApiWatchdog dog = new ApiWatchdog(systemd, new InetSocketAddress(loopbackFor(host), port), tls, watchdog);
        dog.executor.scheduleWithFixedDelay(dog::tick, 0, dog.period.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(() -> "systemd watchdog: probing " + (tls ? "https" : "http") + "://" + dog.target.getHostString() + ":" + port
                + "/health/live every " + dog.period.toMillis() + " ms, WATCHDOG=1 only while it answers");
        return dog;
    }

    static String loopbackFor(String host) {
        return switch (host) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]", "::0" -> "::1";
            default -> host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        };
    }

    private void tick() {
        Optional<String> failure = probe();
        if (failure.isEmpty()) {
            systemd.send("WATCHDOG=1");
            if (failing) {
                failing = false;
                LOG.info("the API socket answers again; the systemd watchdog is fed again");
            }
        } else if (!failing) {
            failing = true;
            LOG.warning("the API socket does not answer /health/live on " + target.getHostString() + ":" + target.getPort() + " ("
                    + failure.get() + "); the systemd watchdog is not fed, systemd restarts the node if this lasts WatchdogSec");
        }
    }

    /** Empty when the API answered 200; else what went wrong. */
    Optional<String> probe() {
        int timeout = Math.toIntExact(Math.max(1, probeTimeout.toMillis()));
        try (Socket plain = new Socket()) {
            plain.connect(target, timeout);
            plain.setSoTimeout(timeout);
            Socket socket = tls ? tls(plain) : plain;
            try {
                socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: " + target.getHostString()
                        + "\r\nUser-Agent: pouw-watchdog\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String status = statusLine(socket.getInputStream());
                return status.startsWith("HTTP/1.1 200") ? Optional.empty() : Optional.of("answered " + status);
            } finally {
                if (socket != plain) {
                    socket.close();
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            return Optional.of(e.toString());
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.length() < 200) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (line.isEmpty()) {
            throw new IOException("no status line");
        }
        return line.toString();
    }

    /**
     * TLS over the probe's socket. The certificate is not checked: the probe talks to this very process
     * over loopback, sends nothing secret and reads only a status line; what it checks is that the
     * socket accepts, handshakes and answers.
     */
    private static Socket tls(Socket plain) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(),
                plain.getPort(), true);
        socket.startHandshake();
        return socket;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
