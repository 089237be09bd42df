package network.sovereign.pouw.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The admin token generated at first start when {@code POUW_ADMIN_TOKENS} is unset (SPEC §8): one
 * random token, named {@code admin}, in {@code $POUW_DATA_DIR/admin.token} with mode 0600, so that
 * {@code curl -H "Authorization: Bearer $(cat data/admin.token)"} works.
 */
final class AdminTokenFile {

    /** The token's name as recorded in the audit trail. */
    static final String TOKEN_NAME = "admin";
    static final String FILE_NAME = "admin.token";

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    /** What was loaded, and whether this start created it. */
    record Loaded(Path path, String token, boolean created) {
        @Override
        public String toString() {
            return "Loaded[path=" + path + ", created=" + created + "]";
        }
    }

    private AdminTokenFile() {
    }

    /** Reads the token file in {@code dataDir}, creating it (0600, atomically) when missing. */
    static Loaded loadOrCreate(Path dataDir, SecureRandom random) throws IOException {
        Path path = dataDir.resolve(FILE_NAME);
        if (!Files.exists(path)) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(path, token + "\n", StandardCharsets.US_ASCII);
                return new Loaded(path, token, true);
            } catch (FileAlreadyExistsException raced) {
                // Another process created it between our check and create: read theirs.
            }
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IOException(path + " is readable or writable by others (" + PosixFilePermissions.toString(permissions)
                    + "); run: chmod 600 " + path);
        }
        String token = Files.readString(path, StandardCharsets.US_ASCII).strip();
        if (token.length() < 16) {
            throw new IOException(path + " does not hold a token (expected at least 16 characters); delete it to generate a new one");
        }
        return new Loaded(path, token, false);
    }
}
