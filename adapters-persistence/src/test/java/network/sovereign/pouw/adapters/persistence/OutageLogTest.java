package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An outage is one ERROR line when it starts and one INFO line when it ends, whatever happens in between. */
class OutageLogTest {

    private final List<LogRecord> records = new ArrayList<>();
    private final Logger logger = Logger.getLogger(OutageLog.LOGGER);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    @BeforeEach
    void listen() {
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        logger.setLevel(previous);
    }

    @Test
    void a_thousand_failures_are_one_error_line_and_the_first_answer_after_them_one_info_line() {
        AtomicLong now = new AtomicLong();
        OutageLog outages = new OutageLog(now::get);

        outages.answered();
        assertEquals(List.of(), records, "nothing while the database answers");
        for (int i = 0; i < 1000; i++) {
            outages.failed("database unavailable (find challenge): Connection refused");
        }
        assertTrue(outages.down());
        now.set(7_500_000_000L);
        outages.answered();
        outages.answered();

        List<LogRecord> loud = records.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue()).toList();
        assertEquals(2, loud.size(), loud.stream().map(LogRecord::getMessage).toList().toString());
        assertEquals(Level.SEVERE, loud.get(0).getLevel());
        assertTrue(format(loud.get(0)).contains("Connection refused"), format(loud.get(0)));
        assertEquals(Level.INFO, loud.get(1).getLevel());
        assertEquals("database answers again after 7500 ms of outage (1000 failed calls)", format(loud.get(1)));
        assertEquals(999, records.stream().filter(r -> r.getLevel().intValue() < Level.INFO.intValue()).count(), "the rest at DEBUG");
        assertFalse(outages.down());

        outages.failed("database unavailable (save challenge): timeout");
        assertEquals(Level.SEVERE, records.getLast().getLevel(), "the next outage is logged again");
    }

    private static String format(LogRecord record) {
        return new java.util.logging.SimpleFormatter().formatMessage(record);
    }
}
