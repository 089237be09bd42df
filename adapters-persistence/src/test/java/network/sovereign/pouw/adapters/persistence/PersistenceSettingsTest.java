package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;

/** Database URLs, H2 flags, defaults added to PostgreSQL URLs, and password hygiene. */
class PersistenceSettingsTest {

    @Test
    void the_h2_url_is_an_absolute_file_in_the_data_dir_with_every_compatibility_flag() {
        String url = PersistenceSettings.h2Url(Path.of("data"));

        assertTrue(url.startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("pouw")), url);
        for (String flag : new String[] {"MODE=PostgreSQL", "DATABASE_TO_LOWER=TRUE", "DEFAULT_NULL_ORDERING=HIGH",
                "DB_CLOSE_ON_EXIT=FALSE", "WRITE_DELAY=0", "LOCK_TIMEOUT=10000", "TRACE_LEVEL_FILE=0"}) {
            assertTrue(url.contains(";" + flag), () -> flag + " missing in " + url);
        }
        assertEquals(SQLDialect.H2, ConnectionPools.dialectOf(url));
        assertTrue(PersistenceSettings.h2(Path.of("data")).isH2());
    }

    @Test
    void a_jdbc_url_is_taken_as_is_with_default_pool_settings() {
        PersistenceSettings s = PersistenceSettings.of("jdbc:postgresql://db:5432/pouw?user=pouw", null, null);

        assertEquals("jdbc:postgresql://db:5432/pouw?user=pouw", s.jdbcUrl());
        assertNull(s.user());
        assertNull(s.password());
        assertEquals(PersistenceSettings.DEFAULT_POOL_SIZE, s.poolSize());
        assertEquals(Duration.ofSeconds(2), s.connectionTimeout());
    }

    @Test
    void only_postgresql_and_h2_urls_are_accepted() {
        assertThrows(IllegalArgumentException.class, () -> PersistenceSettings.of("jdbc:mysql://db/pouw", "u", "p"));
    }

    @Test
    void limits_are_checked() {
        String url = "jdbc:postgresql://db/pouw";
        assertThrows(IllegalArgumentException.class, () -> new PersistenceSettings(url, null, null, 0, Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> new PersistenceSettings(url, null, null, 10, Duration.ofMillis(100)));
        assertThrows(IllegalArgumentException.class, () -> new PersistenceSettings(url, null, null, 10, Duration.ofMinutes(5)));
    }

    @Test
    void passwords_never_show_in_to_string_or_redacted_urls() {
        PersistenceSettings s = PersistenceSettings.of("jdbc:postgresql://db/pouw?user=a&password=topsecret&ssl=true", "a", "topsecret");

        assertFalse(s.toString().contains("topsecret"), s.toString());
        assertEquals("jdbc:postgresql://db/pouw?user=a&password=***&ssl=true", s.redactedUrl());
        assertEquals("postgres://a:***@db/pouw", PersistenceSettings.redact("postgres://a:topsecret@db/pouw"));
    }

    @Test
    void postgres_urls_get_batched_insert_rewriting_unless_they_choose_otherwise() {
        assertEquals("jdbc:postgresql://db/pouw?reWriteBatchedInserts=true", ConnectionPools.effectiveUrl("jdbc:postgresql://db/pouw"));
        assertEquals("jdbc:postgresql://db/pouw?ssl=true&reWriteBatchedInserts=true",
                ConnectionPools.effectiveUrl("jdbc:postgresql://db/pouw?ssl=true"));
        assertEquals("jdbc:postgresql://db/pouw?rewritebatchedinserts=false",
                ConnectionPools.effectiveUrl("jdbc:postgresql://db/pouw?rewritebatchedinserts=false"));
        String h2 = PersistenceSettings.h2Url(Path.of("data"));
        assertEquals(h2, ConnectionPools.effectiveUrl(h2));
    }
}
