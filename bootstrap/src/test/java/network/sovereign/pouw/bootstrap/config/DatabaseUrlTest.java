package network.sovereign.pouw.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void jdbc_urls_pass_through() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5432/pouw?user=pouw");
        assertEquals("jdbc:postgresql://db:5432/pouw?user=pouw", url.jdbcUrl());
        assertTrue(url.isPostgres());
        assertFalse(DatabaseUrl.parse("jdbc:h2:mem:x").isPostgres());
    }

    @Test
    void libpq_urls_become_jdbc_with_credentials_apart() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://pouw:s%40cret@db.internal:6543/pouw?sslmode=require");
        assertEquals("jdbc:postgresql://db.internal:6543/pouw?sslmode=require", url.jdbcUrl());
        assertEquals(Optional.of("pouw"), url.user());
        assertEquals(Optional.of("s@cret"), url.password());
        assertFalse(url.toString().contains("s@cret"));
    }

    @Test
    void libpq_url_without_port_or_password() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://postgres@127.0.0.1/pouw");
        assertEquals("jdbc:postgresql://127.0.0.1/pouw", url.jdbcUrl());
        assertEquals(Optional.of("postgres"), url.user());
        assertEquals(Optional.empty(), url.password());
    }

    @Test
    void redact_masks_passwords_in_both_forms() {
        assertEquals("postgres://u:***@h/db", DatabaseUrl.redact("postgres://u:pw@h/db"));
        assertEquals("jdbc:postgresql://h/db?user=u&password=***", DatabaseUrl.redact("jdbc:postgresql://h/db?user=u&password=pw"));
    }
}
