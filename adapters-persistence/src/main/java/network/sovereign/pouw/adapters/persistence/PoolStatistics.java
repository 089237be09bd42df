package network.sovereign.pouw.adapters.persistence;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Live numbers of the connection pool, read on every call, for the composition root to publish as
 * gauges (no metrics library is needed here).
 */
public final class PoolStatistics {

    private final HikariDataSource dataSource;

    PoolStatistics(HikariDataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Connections lent out right now. */
    public long active() {
        return read(HikariPoolMXBean::getActiveConnections);
    }

    /** Connections open and waiting in the pool. */
    public long idle() {
        return read(HikariPoolMXBean::getIdleConnections);
    }

    /** Connections open, lent out or idle. */
    public long total() {
        return read(HikariPoolMXBean::getTotalConnections);
    }

    /** Threads waiting for a connection. */
    public long pendingThreads() {
        return read(HikariPoolMXBean::getThreadsAwaitingConnection);
    }

    /** The pool's maximum size. */
    public long max() {
        return dataSource.getMaximumPoolSize();
    }

    private long read(ToIntFunction<HikariPoolMXBean> metric) {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        return pool == null || dataSource.isClosed() ? 0 : metric.applyAsInt(pool);
    }
}
