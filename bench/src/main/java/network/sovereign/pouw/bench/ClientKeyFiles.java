package network.sovereign.pouw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.SigScheme;

/**
 * A client key pair on disk, as {@code client keygen} writes it into a directory:
 * <ul>
 *   <li>{@value #SECRET_FILE} (mode 0600): {@code {"sig_scheme", "seed", "public_key"}}, the 32-byte
 *       key-generation seed in hex, from which {@link ClientKeyPair#fromSeed} derives the key pair of
 *       every scheme (for ed25519 it is the RFC 8032 private key);</li>
 *   <li>{@value #PUBLIC_FILE}: {@code {"sig_scheme", "public_key"}}, the enrolment body
 *       ({@code POST /api/v1/admin/clients}) without its {@code did}.</li>
 * </ul>
 */
final class ClientKeyFiles {

    /** The secret key file's name in a key directory. */
    static final String SECRET_FILE = "client.key";
    /** The public key file's name in a key directory. */
    static final String PUBLIC_FILE = "client.pub";

    private static final int SEED_LENGTH = 32;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ClientKeyFiles() {
    }

    /** A problem with a key directory or file, said in one line. */
    static final class KeyFileException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyFileException(String message) {
            super(message);
        }
    }

    /**
     * Generates a key pair of {@code scheme} and writes it into {@code dir} (created if missing), never
     * overwriting a key that is there.
     *
     * @return the key pair written
     */
    static ClientKeyPair generate(SigScheme scheme, Path dir, SecureRandom random) throws KeyFileException {
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        ClientKeyPair keys = ClientKeyPair.fromSeed(scheme, seed);
        Path secret = dir.resolve(SECRET_FILE);
        try {
            Files.createDirectories(dir);
            if (Files.exists(secret) || Files.exists(dir.resolve(PUBLIC_FILE))) {
                throw new KeyFileException(dir + " already holds a client key (" + SECRET_FILE + " or " + PUBLIC_FILE
                        + "); not overwriting it: choose another --out");
            }
            ObjectNode json = publicJson(keys);
            json.put("seed", Bytes.of(seed).hex());
            // created 0600 before the secret is written, so it is never readable by others
            Files.createFile(secret, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(secret, json.toString() + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.writeString(dir.resolve(PUBLIC_FILE), publicJson(keys).toString() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException(e.getFile() + " already exists; not overwriting it");
        } catch (IOException | UnsupportedOperationException e) {
            throw new KeyFileException("cannot write the key into " + dir + ": "
                    + (e instanceof IOException io ? ClientCli.why(io) : "the file system has no POSIX permissions"));
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        return keys;
    }

    /** {@code {"sig_scheme", "public_key"}} of {@code keys}: the enrolment body without the DID. */
    static ObjectNode publicJson(ClientKeyPair keys) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("sig_scheme", keys.scheme().wireName());
        json.put("public_key", Bytes.of(keys.publicKey()).hex());
        return json;
    }

    /**
     * Reads the key pair from {@code path}: a key directory (its {@value #SECRET_FILE}) or the secret
     * file itself. Checks that the stored public key, if any, is the one the seed gives.
     */
    static ClientKeyPair read(Path path) throws KeyFileException {
        Path file = Files.isDirectory(path) ? path.resolve(SECRET_FILE) : path;
        if (!Files.isRegularFile(file)) {
            throw new KeyFileException("no client key at " + file + " (make one with: client keygen --scheme S --out DIR)");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new KeyFileException("cannot read the client key " + file + ": " + ClientCli.why(e));
        }
        if (json == null || !json.isObject() || !json.path("sig_scheme").isTextual() || !json.path("seed").isTextual()) {
            throw new KeyFileException(file + " is not a client key file ({\"sig_scheme\", \"seed\", \"public_key\"} as client keygen writes it)");
        }
        SigScheme scheme = SigScheme.fromWireName(json.path("sig_scheme").textValue())
                .orElseThrow(() -> new KeyFileException(file + ": unknown sig_scheme '" + json.path("sig_scheme").textValue() + "'"));
        byte[] seed;
        try {
            seed = Bytes.fromHex(json.path("seed").textValue()).toArray();
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(file + ": seed is not hex");
        }
        if (seed.length != SEED_LENGTH) {
            throw new KeyFileException(file + ": seed must be " + SEED_LENGTH + " bytes (" + 2 * SEED_LENGTH + " hex digits)");
        }
        ClientKeyPair keys = ClientKeyPair.fromSeed(scheme, seed);
        Arrays.fill(seed, (byte) 0);
        JsonNode stored = json.path("public_key");
        if (stored.isTextual() && !stored.textValue().equalsIgnoreCase(Bytes.of(keys.publicKey()).hex())) {
            throw new KeyFileException(file + ": public_key is not the key its seed gives (a damaged or edited file)");
        }
        return keys;
    }

    /** True when the file at {@code path} (or the secret file of the directory) can be read by others than its owner. */
    static boolean readableByOthers(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(SECRET_FILE) : path;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
