package network.sovereign.pouw.adapters.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The node key file: created 0600 at first start, reused afterwards, refused when wrong. */
class NodeKeyFilesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = SigScheme.class, names = {"ED25519", "ML_DSA_65"})
    void a_missing_file_is_created_with_mode_0600_and_reused_on_the_next_start(SigScheme scheme) throws IOException {
        Path file = dir.resolve("data/sub/node.key");

        NodeKeyFiles.Loaded first = NodeKeyFiles.loadOrCreate(file, scheme);

        assertTrue(first.created());
        assertEquals(file, first.file());
        assertEquals(scheme, first.key().scheme());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("node.key"), listNames(file.getParent()), "no temporary file left behind");
        String text = Files.readString(file);
        assertTrue(text.contains("\nsig_scheme=" + scheme.wireName() + "\n"), text);
        assertTrue(text.contains("\nnode_id=" + first.key().nodeIdHex() + "\n"), text);
        assertTrue(text.contains("\nsecret_key=" + first.key().encodeSecretBase64() + "\n"), text);

        NodeKeyFiles.Loaded second = NodeKeyFiles.loadOrCreate(file, scheme);

        assertFalse(second.created());
        assertArrayEquals(first.key().nodeId(), second.key().nodeId());
        assertArrayEquals(first.key().publicKey(), second.key().publicKey());
        assertEquals(text, Files.readString(file), "loading never rewrites the file");
    }

    @Test
    void a_file_holding_another_scheme_is_refused() {
        Path file = dir.resolve("node.key");
        NodeKeyFiles.loadOrCreate(file, SigScheme.ED25519);

        NodeKeyFileException e = assertThrows(NodeKeyFileException.class,
                () -> NodeKeyFiles.loadOrCreate(file, SigScheme.ML_DSA_65));

        assertEquals(file, e.file());
        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("holds an ed25519 key but ml-dsa-65 was requested"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw----", "rw------x"})
    void a_file_group_or_others_can_access_is_refused_like_ssh_does(String permissions) throws IOException {
        Path file = dir.resolve("node.key");
        NodeKeyFiles.loadOrCreate(file, SigScheme.ED25519);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));

        NodeKeyFileException e = assertThrows(NodeKeyFileException.class,
                () -> NodeKeyFiles.loadOrCreate(file, SigScheme.ED25519));

        assertOneLineNaming(file, e);
        assertEquals("node key file " + file + " is accessible by group or others (" + permissions
                + "); it holds a secret key: run chmod 600 " + file, e.getMessage());
    }

    @Test
    void a_stricter_mode_is_fine() throws IOException {
        Path file = dir.resolve("node.key");
        NodeKeyFiles.Loaded created = NodeKeyFiles.loadOrCreate(file, SigScheme.ED25519);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertArrayEquals(created.key().nodeId(), NodeKeyFiles.loadOrCreate(file, SigScheme.ED25519).key().nodeId());
    }

    @Test
    void corrupt_files_are_refused_with_one_line_naming_the_file_and_never_the_secret() throws IOException {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(SigScheme.ED25519, new SecureRandom());
        String secret = key.encodeSecretBase64();
        String secretHex = HexFormat.of().formatHex(key.encodeSecret());
        String scheme = "sig_scheme=ed25519\n";
        String nodeId = "node_id=" + key.nodeIdHex() + "\n";
        String good = "secret_key=" + secret + "\n";
        List<String[]> cases = List.of(
                new String[] {"", "sig_scheme is missing"},
                new String[] {"garbage without equals\n", "line 1 is not name=value"},
                new String[] {secret + "\n", "line 1 has an unknown field"},
                new String[] {scheme, "secret_key is missing"},
                new String[] {good, "sig_scheme is missing"},
                new String[] {scheme + scheme + good, "sig_scheme appears twice"},
                new String[] {"sig_scheme=dilithium5\n" + good, "sig_scheme must be ed25519 or ml-dsa-65"},
                new String[] {scheme + "secret_key=" + secret.substring(1) + "\n", "secret_key is not valid base64"},
                new String[] {scheme + "secret_key=" + Base64.getEncoder().encodeToString(new byte[31]) + "\n",
                    "secret_key must hold 32 bytes for ed25519, got 31"},
                new String[] {scheme + "node_id=" + "00".repeat(32) + "\n" + good, "node_id does not match the key"},
                new String[] {scheme + nodeId + good + secretHex + "=x\n", "line 4 has an unknown field"});
        Path file = dir.resolve("node.key");
        for (String[] c : cases) {
            Files.deleteIfExists(file);
            Files.writeString(file, c[0], StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

            NodeKeyFileException e = assertThrows(NodeKeyFileException.class,
                    () -> NodeKeyFiles.loadOrCreate(file, SigScheme.ED25519), c[1]);

            assertOneLineNaming(file, e);
            assertTrue(e.getMessage().startsWith("node key file " + file + " is corrupt: " + c[1]), e.getMessage());
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertFalse(e.getMessage().contains(secret.substring(1, 20)), e.getMessage());
            assertFalse(e.getMessage().contains(secretHex.substring(0, 16)), e.getMessage());
        }
    }

    @Test
    void a_well_formed_file_written_by_hand_loads() throws IOException {
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(SigScheme.ML_DSA_65, new SecureRandom());
        Path file = dir.resolve("node.key");
        Files.writeString(file, "# comment\r\n\r\n sig_scheme = ml-dsa-65 \r\nsecret_key=" + key.encodeSecretBase64() + "\r\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        NodeKeyFiles.Loaded loaded = NodeKeyFiles.loadOrCreate(file, SigScheme.ML_DSA_65);

        assertFalse(loaded.created());
        assertArrayEquals(key.nodeId(), loaded.key().nodeId());
    }

    @Test
    void an_unreadable_path_is_refused_naming_it() throws IOException {
        Path file = dir.resolve("node.key");
        Files.createDirectory(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        NodeKeyFileException e = assertThrows(NodeKeyFileException.class,
                () -> NodeKeyFiles.loadOrCreate(file, SigScheme.ED25519));

        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    }

    @Test
    void create_never_overwrites_an_existing_file() throws IOException {
        Path file = dir.resolve("node.key");
        Files.writeString(file, "keep me");
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(SigScheme.ED25519, new SecureRandom());

        assertFalse(NodeKeyFiles.create(file, key));
        assertEquals("keep me", Files.readString(file));
        assertEquals(List.of("node.key"), listNames(dir));
    }

    @Test
    void nodes_starting_together_agree_on_one_key() throws Exception {
        Path file = dir.resolve("shared/node.key");
        List<Callable<NodeKeyFiles.Loaded>> starts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            starts.add(() -> NodeKeyFiles.loadOrCreate(file, SigScheme.ED25519));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<NodeKeyFiles.Loaded> results = new ArrayList<>();
            for (Future<NodeKeyFiles.Loaded> f : pool.invokeAll(starts)) {
                results.add(f.get());
            }
            assertEquals(1, results.stream().filter(NodeKeyFiles.Loaded::created).count());
            for (NodeKeyFiles.Loaded loaded : results) {
                assertArrayEquals(results.get(0).key().nodeId(), loaded.key().nodeId());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("node.key"), listNames(file.getParent()));
    }

    @Test
    void the_loaded_record_never_shows_the_secret() {
        NodeKeyFiles.Loaded loaded = NodeKeyFiles.loadOrCreate(dir.resolve("node.key"), SigScheme.ED25519);
        assertFalse(loaded.toString().contains(loaded.key().encodeSecretBase64()), loaded.toString());
    }

    private static void assertOneLineNaming(Path file, NodeKeyFileException e) {
        assertTrue(e.getMessage().startsWith("node key file " + file + " "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static List<String> listNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
