package network.sovereign.pouw.bootstrap.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats one log record as exactly one line (SPEC §13): on stdout prefixed with the journald
 * priority ({@code <3>} error .. {@code <7>} debug) so {@code journalctl -p err} works; stack traces
 * are folded into the same line. The message always comes last, so a line that ends with a field
 * (the rate-limit offender) keeps it as {@code $NF}.
 */
public final class LineFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final boolean json;
    private final boolean priorityPrefix;

    /**
     * Creates a formatter.
     *
     * @param json           one JSON object per line instead of text
     * @param priorityPrefix start each line with the journald/syslog priority
     */
    public LineFormatter(boolean json, boolean priorityPrefix) {
        this.json = json;
        this.priorityPrefix = priorityPrefix;
    }

    @Override
    public String format(LogRecord record) {
        String message = formatMessage(record);
        String thrown = record.getThrown() == null ? null : stackTrace(record.getThrown());
        String time = TIME.format(Instant.ofEpochMilli(record.getMillis()));
        String level = levelName(record.getLevel());
        String logger = shortLogger(record.getLoggerName());
        StringBuilder line = new StringBuilder(128);
        if (priorityPrefix) {
            line.append('<').append(priority(record.getLevel())).append('>');
        }
        if (json) {
            line.append("{\"ts\":\"").append(time).append("\",\"level\":\"").append(level)
                    .append("\",\"logger\":\"").append(escapeJson(logger)).append("\",\"msg\":\"").append(escapeJson(message)).append('"');
            if (thrown != null) {
                line.append(",\"exception\":\"").append(escapeJson(thrown)).append('"');
            }
            line.append('}');
        } else {
            line.append(time).append(' ').append(String.format("%-5s", level)).append(' ').append(logger).append(" - ");
            if (thrown != null) {
                // The exception goes before the message so the message's last field stays last.
                line.append('[').append(fold(thrown)).append("] ");
            }
            line.append(fold(message));
        }
        return line.append('\n').toString();
    }

    /** The syslog priority of a JUL level: 3 err, 4 warning, 6 info, 7 debug. */
    static int priority(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (value >= Level.WARNING.intValue()) {
            return 4;
        }
        if (value >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }

    private static String levelName(Level level) {
        return switch (priority(level)) {
            case 3 -> "ERROR";
            case 4 -> "WARN";
            case 6 -> "INFO";
            default -> "DEBUG";
        };
    }

    private static String shortLogger(String name) {
        if (name == null || name.isEmpty()) {
            return "root";
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString().strip();
    }

    /** Folds a multi-line text into one line: newlines become " | ", tabs a space. */
    static String fold(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace("\n\t", " | ").replace("\n", " | ").replace('\t', ' ');
    }

    static String escapeJson(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
