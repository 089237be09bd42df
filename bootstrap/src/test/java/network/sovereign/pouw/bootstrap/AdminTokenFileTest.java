package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenFileTest {

    @TempDir
    Path dataDir;

    @Test
    void first_start_creates_a_private_token_and_later_starts_reuse_it() throws IOException {
        AdminTokenFile.Loaded first = AdminTokenFile.loadOrCreate(dataDir, new SecureRandom());
        assertTrue(first.created());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.path())));
        assertTrue(first.token().length() >= 40, "32 random bytes, base64url");
        assertEquals(first.token() + "\n", Files.readString(first.path()));
        assertFalse(first.toString().contains(first.token()), "toString never shows the token");

        AdminTokenFile.Loaded second = AdminTokenFile.loadOrCreate(dataDir, new SecureRandom());
        assertFalse(second.created());
        assertEquals(first.token(), second.token());
    }

    @Test
    void a_token_file_readable_by_others_is_refused() throws IOException {
        Path file = dataDir.resolve(AdminTokenFile.FILE_NAME);
        Files.writeString(file, "0123456789abcdef0123456789\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> AdminTokenFile.loadOrCreate(dataDir, new SecureRandom()));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void an_empty_token_file_is_refused() throws IOException {
        Path file = dataDir.resolve(AdminTokenFile.FILE_NAME);
        Files.writeString(file, "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThrows(IOException.class, () -> AdminTokenFile.loadOrCreate(dataDir, new SecureRandom()));
    }
}
