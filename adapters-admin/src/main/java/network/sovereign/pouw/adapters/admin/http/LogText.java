package network.sovereign.pouw.adapters.admin.http;

/** Makes client-supplied text safe for a one-line log entry. */
final class LogText {

    private static final int MAX_LENGTH = 300;

    private LogText() {
    }

    /** The text with control characters replaced by {@code ?} (no forged log lines) and cut to a sane length. */
    static String safe(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 1));
        for (int i = 0; i < text.length() && i < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > MAX_LENGTH) {
            out.append('…');
        }
        return out.toString();
    }
}
