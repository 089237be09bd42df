package network.sovereign.pouw.bootstrap.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A database location taken from {@code POUW_DATABASE_URL}: a JDBC URL ({@code jdbc:postgresql://...},
 * {@code jdbc:h2:...}) or a libpq-style URL ({@code postgres://user:pass@host:5432/db}), which is
 * turned into a JDBC URL with the credentials kept apart.
 *
 * @param jdbcUrl  the JDBC URL, without credentials taken from a {@code postgres://} URL
 * @param user     user name, if the URL carried one
 * @param password password, if the URL carried one
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

    static final String SETTING = "POUW_DATABASE_URL";

    /** Parses the setting's value. */
    public static DatabaseUrl parse(String value) {
        if (value.startsWith("jdbc:postgresql:") || value.startsWith("jdbc:h2:")) {
            return new DatabaseUrl(value, Optional.empty(), Optional.empty());
        }
        if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
            return fromLibpq(value);
        }
        throw new ConfigException(SETTING, "expected jdbc:postgresql://..., jdbc:h2:... or postgres://user:pass@host:5432/db, got "
                + redact(value));
    }

    private static DatabaseUrl fromLibpq(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(SETTING, "not a valid URL: " + redact(value));
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new ConfigException(SETTING, "no host in " + redact(value));
        }
        String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (database.isBlank()) {
            throw new ConfigException(SETTING, "no database name in " + redact(value) + " (expected .../dbname)");
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
        if (uri.getPort() != -1) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append('/').append(database);
        if (uri.getRawQuery() != null && !uri.getRawQuery().isBlank()) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                password = Optional.of(decode(userInfo.substring(colon + 1)));
            }
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    /** True for PostgreSQL, false for H2. */
    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The URL with any password masked, safe to log. */
    public static String redact(String value) {
        return value.replaceAll("(://[^:/@]+:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + redact(jdbcUrl) + (user.isPresent() ? ", user=" + user.get() : "") + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
