package network.sovereign.pouw.adapters.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import network.sovereign.pouw.domain.SigScheme;

/**
 * The node key file ({@code POUW_NODE_KEY_FILE}, default {@code $POUW_DATA_DIR/node.key}): a small text
 * file, created at first start with mode 0600, that names the scheme and holds the base64 secret.
 *
 * <pre>{@code
 * # pouw-node key: the node's secret signing key. Keep it private (mode 0600) and backed up.
 * sig_scheme=ed25519
 * node_id=<hex SHA-256 of the public key, checked on load when present>
 * secret_key=<base64 of the 32-byte seed>
 * }</pre>
 *
 * Like ssh with its private keys, a file that group or others may access is refused. Every failure is a
 * {@link NodeKeyFileException} with a one-line message naming the file, and no message shows the secret.
 */
public final class NodeKeyFiles {

    /** What {@link #loadOrCreate} found, and whether this call created the file. */
    public record Loaded(BouncyCastleNodeKey key, Path file, boolean created) {
        /** Checks the invariants. */
        public Loaded {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(file, "file");
        }
    }

    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final long MAX_FILE_BYTES = 16 * 1024;
    private static final String SCHEME_FIELD = "sig_scheme";
    private static final String NODE_ID_FIELD = "node_id";
    private static final String SECRET_FIELD = "secret_key";

    private NodeKeyFiles() {
    }

    /**
     * Loads the key in {@code file}, or generates a {@code requested} key and writes it there (mode 0600 from
     * the moment the file exists, parent directories created) when the file is missing.
     *
     * @throws NodeKeyFileException     if the file cannot be read or written, is corrupt, is accessible by group
     *                                  or others, or holds a key of another scheme than {@code requested}
     * @throws IllegalArgumentException if {@code requested} cannot be a node key
     */
    public static Loaded loadOrCreate(Path file, SigScheme requested) {
        return loadOrCreate(file, requested, new SecureRandom());
    }

    /** {@link #loadOrCreate(Path, SigScheme)} with the randomness for a new key (tests pin it). */
    public static Loaded loadOrCreate(Path file, SigScheme requested, SecureRandom random) {
        Objects.requireNonNull(file, "file");
        BouncyCastleNodeKey.requireNodeScheme(requested);
        if (!Files.exists(file)) {
            BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(requested, random);
            if (create(file, key)) {
                return new Loaded(key, file, true);
            }
            // Another process created the file between our check and our write: use theirs.
        }
        BouncyCastleNodeKey key = load(file);
        if (key.scheme() != requested) {
            throw new NodeKeyFileException(file, "holds an " + key.scheme().wireName() + " key but "
                    + requested.wireName() + " was requested (POUW_NODE_KEY_SCHEME); request "
                    + key.scheme().wireName() + ", or move the file away to generate a new key (the node_id changes)");
        }
        return new Loaded(key, file, false);
    }

    /**
     * Reads and checks the key file.
     *
     * @throws NodeKeyFileException if the file cannot be read, is corrupt or is accessible by group or others
     */
    public static BouncyCastleNodeKey load(Path file) {
        Objects.requireNonNull(file, "file");
        checkPermissions(file);
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new NodeKeyFileException(file, "is corrupt: larger than " + MAX_FILE_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NodeKeyFileException(file, "does not exist", e);
        } catch (IOException e) {
            throw new NodeKeyFileException(file, "cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(file, text);
    }

    /**
     * Writes {@code key} to a new file {@code file} (mode 0600 from the start, parent directories created,
     * content complete before the file appears).
     *
     * @return {@code false} if the file already existed (it is left untouched)
     * @throws NodeKeyFileException if the file cannot be written
     */
    public static boolean create(Path file, BouncyCastleNodeKey key) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            FileAttribute<?>[] ownerOnly = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                    : new FileAttribute<?>[0];
            // Written under a temporary name, then published with a hard link, which (unlike a rename)
            // never replaces an existing file: nobody sees a half-written or world-readable key.
            temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp", ownerOnly);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(format(key).getBytes(StandardCharsets.UTF_8));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            publish(temp, absolute);
            syncDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new NodeKeyFileException(file, "cannot be written (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A stray ".node.key.*.tmp" (mode 0600) is harmless; the key itself is in place.
                }
            }
        }
    }

    private static void publish(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links on this file system: a move without REPLACE_EXISTING also refuses to overwrite.
            Files.move(temp, target);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every platform can fsync a directory; the file itself was forced to disk.
        }
    }

    private static void checkPermissions(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to compare with ssh's rule
        } catch (NoSuchFileException e) {
            throw new NodeKeyFileException(file, "does not exist", e);
        } catch (IOException e) {
            throw new NodeKeyFileException(file, "cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
        Set<PosixFilePermission> tooOpen = EnumSet.noneOf(PosixFilePermission.class);
        tooOpen.addAll(permissions);
        tooOpen.retainAll(GROUP_OR_OTHERS);
        if (!tooOpen.isEmpty()) {
            throw new NodeKeyFileException(file, "is accessible by group or others ("
                    + PosixFilePermissions.toString(permissions) + "); it holds a secret key: run chmod 600 " + file);
        }
    }

    static String format(BouncyCastleNodeKey key) {
        return "# pouw-node key: the node's secret signing key. Keep it private (mode 0600) and backed up.\n"
                + SCHEME_FIELD + "=" + key.scheme().wireName() + "\n"
                + NODE_ID_FIELD + "=" + key.nodeIdHex() + "\n"
                + SECRET_FIELD + "=" + key.encodeSecretBase64() + "\n";
    }

    static BouncyCastleNodeKey parse(Path file, String text) {
        Map<String, String> fields = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            // Never quote a line or a field name back: a mangled file may have the secret anywhere.
            if (eq <= 0) {
                throw corrupt(file, "line " + (i + 1) + " is not name=value");
            }
            String name = line.substring(0, eq).strip();
            if (!name.equals(SCHEME_FIELD) && !name.equals(NODE_ID_FIELD) && !name.equals(SECRET_FIELD)) {
                throw corrupt(file, "line " + (i + 1) + " has an unknown field (expected " + SCHEME_FIELD + ", "
                        + NODE_ID_FIELD + ", " + SECRET_FIELD + ")");
            }
            if (fields.putIfAbsent(name, line.substring(eq + 1).strip()) != null) {
                throw corrupt(file, name + " appears twice");
            }
        }
        String schemeName = Optional.ofNullable(fields.get(SCHEME_FIELD))
                .orElseThrow(() -> corrupt(file, SCHEME_FIELD + " is missing"));
        String secretText = Optional.ofNullable(fields.get(SECRET_FIELD))
                .orElseThrow(() -> corrupt(file, SECRET_FIELD + " is missing"));
        SigScheme scheme = SigScheme.fromWireName(schemeName)
                .filter(s -> s == SigScheme.ED25519 || s == SigScheme.ML_DSA_65)
                .orElseThrow(() -> corrupt(file, SCHEME_FIELD + " must be ed25519 or ml-dsa-65"));
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(secretText);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, SECRET_FIELD + " is not valid base64");
        }
        if (secret.length != SeedKeyPair.SEED_LENGTH) {
            throw corrupt(file, SECRET_FIELD + " must hold " + SeedKeyPair.SEED_LENGTH + " bytes for "
                    + scheme.wireName() + ", got " + secret.length);
        }
        BouncyCastleNodeKey key = BouncyCastleNodeKey.fromSecret(scheme, secret);
        String nodeId = fields.get(NODE_ID_FIELD);
        if (nodeId != null && !nodeId.equalsIgnoreCase(key.nodeIdHex())) {
            throw corrupt(file, NODE_ID_FIELD + " does not match the key (" + key.nodeIdHex().substring(0, 16)
                    + "... derived from " + SECRET_FIELD + ")");
        }
        return key;
    }

    private static NodeKeyFileException corrupt(Path file, String problem) {
        return new NodeKeyFileException(file, "is corrupt: " + problem);
    }
}
