package network.sovereign.pouw.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EpochScheduleTest {

    private final EpochSchedule hourly = new EpochSchedule(0, 3600);

    @Test
    void epoch_is_floor_of_elapsed_seconds_over_length() {
        assertEquals(0, hourly.epochOf(Instant.ofEpochSecond(0)));
        assertEquals(0, hourly.epochOf(Instant.ofEpochSecond(3599)));
        assertEquals(1, hourly.epochOf(Instant.ofEpochSecond(3600)));
        assertEquals(493_000, hourly.epochOf(Instant.ofEpochSecond(493_000L * 3600 + 17)));
    }

    @Test
    void instants_before_genesis_fall_in_negative_epochs() {
        EpochSchedule schedule = new EpochSchedule(1_000, 100);
        assertEquals(-1, schedule.epochOf(Instant.ofEpochSecond(999)));
        assertEquals(-1, schedule.epochOf(Instant.ofEpochSecond(900)));
        assertEquals(-2, schedule.epochOf(Instant.ofEpochSecond(899)));
    }

    @Test
    void start_of_epoch_round_trips() {
        EpochSchedule schedule = new EpochSchedule(1_700_000_000L, 600);
        Instant start = schedule.startOf(42);
        assertEquals(Instant.ofEpochSecond(1_700_000_000L + 42 * 600), start);
        assertEquals(42, schedule.epochOf(start));
        assertEquals(41, schedule.epochOf(start.minusSeconds(1)));
    }

    @Test
    void zero_length_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new EpochSchedule(0, 0));
    }
}
