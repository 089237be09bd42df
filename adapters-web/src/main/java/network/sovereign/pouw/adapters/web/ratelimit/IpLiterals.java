package network.sovereign.pouw.adapters.web.ratelimit;

import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict parsing of textual IP addresses, without any name lookup. */
final class IpLiterals {

    // Only the dotted-quad form: InetAddress.ofLiteral would also take "1" or "1.2.3" (BSD shorthand).
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_LENGTH = 64;

    private IpLiterals() {
    }

    /**
     * Parses an IPv4 or IPv6 address literal; IPv6 may come in brackets and with a zone
     * ({@code %eth0}), which is dropped. IPv4-mapped IPv6 addresses come back as IPv4.
     */
    static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String s = text;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0 && s.indexOf(':') >= 0) {
            s = s.substring(0, zone);
        }
        boolean looksValid = s.indexOf(':') >= 0 ? IPV6.matcher(s).matches() : IPV4.matcher(s).matches();
        if (!looksValid) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.ofLiteral(s)); // a literal only: never resolves a name
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses one entry of an {@code X-Forwarded-For} list: an address, optionally with a port
     * ({@code 203.0.113.7:4711}, {@code [2001:db8::1]:443}).
     */
    static Optional<InetAddress> parseForwarded(String entry) {
        String s = entry.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close > 0 && close < s.length() - 1 && s.charAt(close + 1) == ':') {
                s = s.substring(0, close + 1);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon > 0 && colon == s.lastIndexOf(':') && s.indexOf('.') >= 0) {
                s = s.substring(0, colon); // IPv4 with a port
            }
        }
        return parse(s);
    }

    /** The canonical text of an address, the form used as a rate-limit key and in logs. */
    static String canonical(InetAddress address) {
        return address.getHostAddress();
    }
}
