package network.sovereign.pouw.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;
import network.sovereign.pouw.adapters.web.ConnectionLimits;
import network.sovereign.pouw.bootstrap.config.ConfigException;
import network.sovereign.pouw.bootstrap.config.NodeConfig;

/**
 * The API socket's connection cap against the process's open-file limit ({@code RLIMIT_NOFILE}, as the
 * JVM left it: HotSpot raises the soft limit to the hard one): connections must never be what exhausts
 * the descriptors, or Helidon's accept loop ends for good ("Too many open files ... this server socket is
 * terminating now") while the process lives on. The cap, the metrics socket's cap, the database pool
 * and {@link #RESERVE} for the JVM itself (jars, modules, epoll, pipes, log and H2 files) must fit.
 */
final class OpenFileLimit {

    /** Descriptors kept for everything but connections and the pool. */
    static final int RESERVE = 256;

    private OpenFileLimit() {
    }

    /** The soft "Max open files" of {@code /proc/self/limits}; empty when unlimited or unreadable (not Linux). */
    static OptionalLong soft(Path limits) {
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return fields[0].equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an unexpected format: no check.
        }
        return OptionalLong.empty();
    }

    /**
     * The cap to use: the configured one if it fits under the limit (else a {@link ConfigException}
     * naming {@code POUW_HTTP_MAX_CONNECTIONS}), or the default lowered to what fits.
     */
    static int apiConnections(OptionalInt configured, OptionalLong limit, int poolSize) {
        if (limit.isEmpty()) {
            return configured.orElse(NodeConfig.DEFAULT_MAX_CONNECTIONS);
        }
        long room = limit.getAsLong() - RESERVE - poolSize - ConnectionLimits.METRICS_MAX_CONNECTIONS;
        String budget = "the open-file limit " + limit.getAsLong() + " (LimitNOFILE / ulimit -n) minus " + RESERVE
                + " reserved, " + poolSize + " for the database pool and " + ConnectionLimits.METRICS_MAX_CONNECTIONS
                + " for the metrics socket leaves " + Math.max(0, room);
        if (configured.isPresent()) {
            if (configured.getAsInt() > room) {
                throw new ConfigException("POUW_HTTP_MAX_CONNECTIONS", configured.getAsInt() + " does not fit: " + budget
                        + "; lower it or raise the limit");
            }
            return configured.getAsInt();
        }
        if (room < 1) {
            throw new ConfigException("POUW_HTTP_MAX_CONNECTIONS", "no connection fits: " + budget + "; raise the limit");
        }
        return (int) Math.min(NodeConfig.DEFAULT_MAX_CONNECTIONS, room);
    }
}
