package network.sovereign.pouw.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one endpoint did during one scenario: latency of every request (nanoseconds, kept whole so the
 * percentiles are exact), answers by HTTP status (0 for a transport failure) and receipt outcomes by
 * reason. Thread-safe; {@link #record} is cheap enough for thousands of virtual threads.
 */
public final class Stats {

    private final String endpoint;
    private long[] latencies = new long[1 << 14];
    private int count;
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final AtomicLong requests = new AtomicLong();

    /** Statistics of {@code endpoint} (e.g. {@code POST /api/v1/pouw/receipts}). */
    public Stats(String endpoint) {
        this.endpoint = endpoint;
    }

    /** Records one request's latency and HTTP status. */
    public void record(long nanos, int status) {
        synchronized (this) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
        requests.incrementAndGet();
        byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** Records receipt outcomes of one answer: how many were accepted, and one rejection reason. */
    public void accepted(int n) {
        accepted.add(n);
    }

    /** Records one rejected receipt. */
    public void rejected(String reason) {
        byReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Requests answered so far (any status). */
    public long requests() {
        return requests.get();
    }

    /** Receipts accepted so far. */
    public long acceptedReceipts() {
        return accepted.sum();
    }

    /** Requests that did not get their expected status ({@code ok}), transport failures included. */
    public long errors(int ok) {
        return byStatus.entrySet().stream().filter(e -> e.getKey() != ok).mapToLong(e -> e.getValue().sum()).sum();
    }

    /** Rejected receipts (any reason). */
    public long rejectedReceipts() {
        return byReason.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The latency percentile {@code p} (0..100) in milliseconds, NaN without requests. */
    public synchronized double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1e6;
    }

    /** The endpoint, latency percentiles, statuses and reasons as JSON. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("endpoint", endpoint);
        json.put("requests", requests());
        json.put("p50_ms", round(percentileMillis(50)));
        json.put("p95_ms", round(percentileMillis(95)));
        json.put("p99_ms", round(percentileMillis(99)));
        json.put("max_ms", round(percentileMillis(100)));
        ObjectNode statuses = json.putObject("status_counts");
        new TreeMap<>(byStatus).forEach((s, n) -> statuses.put(String.valueOf(s), n.sum()));
        if (accepted.sum() > 0 || !byReason.isEmpty()) {
            json.put("receipts_accepted", accepted.sum());
            ObjectNode reasons = json.putObject("receipts_rejected_by_reason");
            new TreeMap<>(byReason).forEach((r, n) -> reasons.put(r, n.sum()));
        }
        return json;
    }

    static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 100.0) / 100.0;
    }
}
