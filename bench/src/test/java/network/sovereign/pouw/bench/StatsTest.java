package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The load generator's statistics: exact percentiles, errors by status and outcomes by reason. */
class StatsTest {

    @Test
    void percentiles_are_the_nearest_rank_of_every_recorded_latency() {
        Stats stats = new Stats("POST /x");
        for (int ms = 100; ms >= 1; ms--) {
            stats.record(ms * 1_000_000L, 200);
        }
        assertEquals(50.0, stats.percentileMillis(50));
        assertEquals(95.0, stats.percentileMillis(95));
        assertEquals(99.0, stats.percentileMillis(99));
        assertEquals(100.0, stats.percentileMillis(100));
        assertEquals(1.0, stats.percentileMillis(0));
    }

    @Test
    void errors_are_requests_without_the_expected_status_and_outcomes_are_counted_by_reason() {
        Stats stats = new Stats("POST /x");
        stats.record(1, 200);
        stats.record(1, 503);
        stats.record(1, 0);
        stats.accepted(3);
        stats.rejected("duplicate_nonce");
        stats.rejected("duplicate_nonce");
        assertEquals(3, stats.requests());
        assertEquals(2, stats.errors(200));
        assertEquals(3, stats.acceptedReceipts());
        assertEquals(2, stats.rejectedReceipts());
        var json = stats.toJson();
        assertEquals(1, json.get("status_counts").get("503").asLong());
        assertEquals(2, json.get("receipts_rejected_by_reason").get("duplicate_nonce").asLong());
    }

    @Test
    void no_requests_give_no_percentile() {
        assertTrue(Double.isNaN(new Stats("GET /y").percentileMillis(99)));
    }
}
