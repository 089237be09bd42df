package network.sovereign.pouw.adapters.web;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebSettingsTest {

    private static final Duration GRACE = Duration.ofSeconds(10);

    @Test
    void defaults_of_the_spec_are_accepted() {
        assertDoesNotThrow(() -> new WebSettings("0.0.0.0", 8080, 9090, Optional.empty(),
                WebSettings.DEFAULT_MAX_BODY_BYTES, GRACE));
        assertDoesNotThrow(() -> new WebSettings("127.0.0.1", 0, 0, Optional.empty(), 1, Duration.ZERO));
    }

    @Test
    void invalid_values_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> new WebSettings(" ", 8080, 9090, Optional.empty(), 1, GRACE));
        assertThrows(IllegalArgumentException.class, () -> new WebSettings("h", -1, 9090, Optional.empty(), 1, GRACE));
        assertThrows(IllegalArgumentException.class, () -> new WebSettings("h", 8080, 65_536, Optional.empty(), 1, GRACE));
        assertThrows(IllegalArgumentException.class, () -> new WebSettings("h", 8080, 8080, Optional.empty(), 1, GRACE));
        assertThrows(IllegalArgumentException.class, () -> new WebSettings("h", 8080, 9090, Optional.of(" "), 1, GRACE));
        assertThrows(IllegalArgumentException.class, () -> new WebSettings("h", 8080, 9090, Optional.empty(), 0, GRACE));
        assertThrows(IllegalArgumentException.class,
                () -> new WebSettings("h", 8080, 9090, Optional.empty(), 1, Duration.ofSeconds(-1)));
    }

    @Test
    void to_string_never_shows_the_metrics_token() {
        String shown = new WebSettings("h", 8080, 9090, Optional.of("s3cret"), 1, GRACE).toString();
        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.contains("metricsToken=<set>"), shown);
    }
}
