package network.sovereign.pouw.bootstrap.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LineFormatterTest {

    private static LogRecord record(Level level, String message, Throwable thrown) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("network.sovereign.pouw.adapters.web.RateLimitFilter");
        record.setInstant(java.time.Instant.parse("2026-11-26T10:00:00.123Z"));
        record.setThrown(thrown);
        return record;
    }

    @Test
    void journald_priorities_by_level() {
        LineFormatter formatter = new LineFormatter(false, true);
        assertTrue(formatter.format(record(Level.SEVERE, "x", null)).startsWith("<3>"));
        assertTrue(formatter.format(record(Level.WARNING, "x", null)).startsWith("<4>"));
        assertTrue(formatter.format(record(Level.INFO, "x", null)).startsWith("<6>"));
        assertTrue(formatter.format(record(Level.FINE, "x", null)).startsWith("<7>"));
        assertTrue(formatter.format(record(Level.FINEST, "x", null)).startsWith("<7>"));
    }

    @Test
    void one_line_with_the_message_last_even_with_a_stack_trace() {
        String line = new LineFormatter(false, true).format(record(Level.WARNING,
                "rate limit exceeded scope=ip 203.0.113.9", new IllegalStateException("boom\nsecond line")));
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.endsWith(" 203.0.113.9\n"), line);
        assertTrue(line.contains("IllegalStateException: boom | second line | at "), line);
        assertTrue(line.startsWith("<4>2026-11-26T10:00:00.123Z WARN  RateLimitFilter - ["), line);
    }

    @Test
    void file_lines_have_no_priority_prefix() {
        assertEquals("2026-11-26T10:00:00.123Z INFO  RateLimitFilter - hello\n",
                new LineFormatter(false, false).format(record(Level.INFO, "hello", null)));
    }

    @Test
    void json_lines_escape_and_fold_into_one_object() {
        String line = new LineFormatter(true, false).format(record(Level.SEVERE, "a \"quoted\"\nvalue", new RuntimeException("x")));
        assertEquals(1, line.lines().count());
        assertTrue(line.startsWith("{\"ts\":\"2026-11-26T10:00:00.123Z\",\"level\":\"ERROR\",\"logger\":\"RateLimitFilter\",\"msg\":\"a \\\"quoted\\\"\\nvalue\",\"exception\":\"java.lang.RuntimeException: x\\n"), line);
        assertTrue(line.endsWith("\"}\n"));
    }
}
