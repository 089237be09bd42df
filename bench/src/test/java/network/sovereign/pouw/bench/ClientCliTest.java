package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.adapters.crypto.BouncyCastleSignatureVerifier;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Aux;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@code client} command without a node: its command lines, key files and receipts files. */
class ClientCliTest {

    @TempDir
    Path temp;

    private record Run(int status, String out, String err) {
    }

    private static Run client(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(SigScheme.class)
    void keygen_writes_a_0600_secret_and_prints_the_enrolment_body_for_every_scheme(SigScheme scheme) throws Exception {
        Path dir = temp.resolve("keys-" + scheme.wireName());
        Run run = client("client", "keygen", "--scheme", scheme.wireName(), "--out", dir.toString());

        assertEquals(0, run.status(), run.err());
        JsonNode printed = WireJson.parse(run.out().strip());
        assertEquals(scheme.wireName(), printed.path("sig_scheme").asText());
        assertEquals(2 * scheme.publicKeyLength(), printed.path("public_key").asText().length());
        assertEquals(2, printed.size(), "only sig_scheme and public_key: " + printed);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client.key"))));
        assertEquals(printed, WireJson.parse(Files.readString(dir.resolve("client.pub"))));

        ClientKeyPair keys = ClientKeyFiles.read(dir);
        assertEquals(scheme, keys.scheme());
        assertEquals(printed.path("public_key").asText(), Bytes.of(keys.publicKey()).hex());
        byte[] message = "signed by the key read back".getBytes(StandardCharsets.UTF_8);
        assertTrue(new BouncyCastleSignatureVerifier().verify(scheme, keys.publicKey(), message, keys.sign(message)));
        assertFalse(ClientKeyFiles.readableByOthers(dir));
    }

    @Test
    void keygen_never_overwrites_a_key_and_says_so_in_one_line() {
        Path dir = temp.resolve("keys");
        assertEquals(0, client("client", "keygen", "--out", dir.toString()).status());

        Run again = client("client", "keygen", "--scheme", "ml-dsa-44", "--out", dir.toString());

        assertEquals(64, again.status());
        assertTrue(again.err().contains("not overwriting"), again.err());
        assertEquals("", again.out());
    }

    @Test
    void bad_command_lines_exit_64_with_one_line_and_no_stack_trace() {
        for (String[] args : List.of(
                new String[] {"client"},
                new String[] {"client", "frobnicate"},
                new String[] {"client", "keygen", "--scheme", "rsa", "--out", "x"},
                new String[] {"client", "keygen"},
                new String[] {"client", "keygen", "--out"},
                new String[] {"client", "challenge", "--url", "ftp://x", "--did", "did:sov:a"},
                new String[] {"client", "challenge", "--did", "did:sov:a", "--capabilities", "hash,magic"},
                new String[] {"client", "challenge", "--did", "did:sov:a", "--max-receipts", "0"},
                new String[] {"client", "challenge", "--did", "did:sov:a", "--did", "did:sov:b"},
                new String[] {"client", "submit", "--did", "did:sov:a", "--key", "nowhere", "--receipts", "nowhere.json"},
                new String[] {"client", "dispute", "--did", "did:sov:a", "--key", "k", "--type", "Unhappy", "--reason", "r"},
                new String[] {"client", "dispute", "--did", "did:sov:a", "--key", "k", "--type", "Other", "--reason", "r", "--nonce", "short"},
                new String[] {"client", "dispute", "--did", "did:sov:a", "--key", "k", "--type", "Other"},
                new String[] {"client", "submit", "--dry-run=yes"})) {
            Run run = client(args);
            assertEquals(64, run.status(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().startsWith("client"), String.join(" ", args) + ": " + run.err());
            assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
            assertEquals("", run.out(), String.join(" ", args));
        }
    }

    @Test
    void a_dispute_type_outside_the_list_names_every_type() {
        Run run = client("client", "dispute", "--did", "did:sov:a", "--key", "k", "--type", "Unhappy", "--reason", "r");

        assertTrue(run.err().contains("RewardNotReceived, IncorrectRewardAmount, ReceiptWronglyRejected, ChallengeNotIssued, DoubleSpend, Other"),
                run.err());
    }

    @Test
    void every_command_has_help_on_stdout_with_exit_0() {
        for (String command : List.of("keygen", "enrol", "challenge", "submit", "dispute")) {
            Run run = client("client", command, "--help");
            assertEquals(0, run.status(), command);
            assertTrue(run.out().startsWith("usage: client " + command), command + ":\n" + run.out());
        }
        Run top = client("client", "--help");
        assertEquals(0, top.status());
        assertTrue(top.out().contains("keygen") && top.out().contains("dispute"), top.out());
    }

    @Test
    void an_unreachable_node_exits_69_in_one_line() throws Exception {
        Path dir = temp.resolve("keys");
        client("client", "keygen", "--out", dir.toString());

        Run run = client("client", "dispute", "--url", "http://127.0.0.1:1", "--did", "did:sov:a", "--key", dir.toString(),
                "--type", "Other", "--reason", "nobody listens");

        assertEquals(69, run.status(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void a_key_file_that_is_not_one_or_was_edited_is_refused() throws Exception {
        Path notJson = Files.writeString(temp.resolve("a.key"), "hello");
        assertThrows(ClientKeyFiles.KeyFileException.class, () -> ClientKeyFiles.read(notJson));
        Path dir = temp.resolve("keys");
        ClientKeyFiles.generate(SigScheme.ED25519, dir, new SecureRandom());
        String edited = Files.readString(dir.resolve("client.key")).replaceFirst("\"public_key\":\"..", "\"public_key\":\"00");
        Path file = Files.writeString(temp.resolve("edited.key"), edited);
        ClientKeyFiles.KeyFileException e = assertThrows(ClientKeyFiles.KeyFileException.class, () -> ClientKeyFiles.read(file));
        assertTrue(e.getMessage().contains("not the key its seed gives"), e.getMessage());
    }

    @Test
    void the_receipts_file_fills_the_builder_and_leaves_the_challenge_fields_to_the_challenge() throws Exception {
        ReceiptsFile file = ReceiptsFile.parse("r.json", """
                {"receipts": [
                  {"proof_type": "merkle", "bytes_verified": 18446744073709551615, "result_ok": false,
                   "content_id": "AB01", "provider_id": "02", "client_node_id": "03", "started_at": 100, "finished_at": 160,
                   "receipt_nonce": "00112233445566778899aabbccddeeff", "aux": {"merkle_root": "ff"}},
                  {}
                ]}""");
        IssuedChallenge challenge = challenge(List.of(ProofType.HASH, ProofType.MERKLE));

        assertEquals(2, file.size());
        assertEquals(List.of(ProofType.MERKLE), List.copyOf(file.proofTypes()));
        Receipt r = file.apply(0, ReceiptBuilder.answering(challenge, "did:sov:a")).build();
        assertEquals(ProofType.MERKLE, r.proofType());
        assertEquals(-1L, r.bytesVerified());
        assertFalse(r.resultOk());
        assertEquals("ab01", r.contentId().hex());
        assertEquals("02", r.providerId().hex());
        assertEquals("03", r.clientNodeId().hex());
        assertEquals(100, r.startedAt());
        assertEquals(160, r.finishedAt());
        assertEquals("00112233445566778899aabbccddeeff", r.receiptNonce().hex());
        assertEquals(Optional.of(new Aux(Bytes.fromHex("ff"), Bytes.EMPTY)), r.aux());
        assertEquals(challenge.taskId(), r.taskId());
        assertEquals(challenge.challengeNonce(), r.challengeNonce());
        assertEquals("did:sov:a", r.clientDid());

        Receipt defaults = file.apply(1, ReceiptBuilder.answering(challenge, "did:sov:a")).build();
        assertEquals(ProofType.HASH, defaults.proofType());
        assertEquals(ReceiptBuilder.DEFAULT_BYTES, defaults.bytesVerified());
        assertTrue(defaults.resultOk());
        assertEquals(16, defaults.receiptNonce().length());
        assertEquals(Optional.empty(), defaults.aux());

        assertEquals(1, ReceiptsFile.parse("bare.json", "[{\"proof_type\": \"hash\"}]").size());
    }

    @Test
    void a_bad_receipts_file_names_the_receipt_and_the_field() {
        for (String[] bad : List.of(
                new String[] {"{", "not JSON"},
                new String[] {"{\"receipts\": []}", "at least one receipt"},
                new String[] {"{\"receipts\": [{}], \"extra\": 1}", "only top-level field"},
                new String[] {"[{}, {\"task_id\": \"00\"}]", "receipt 2: task_id comes from the challenge"},
                new String[] {"[{\"bytes_verifed\": 1}]", "unknown field bytes_verifed"},
                new String[] {"[{\"bytes_verified\": -1}]", "bytes_verified must be a whole number"},
                new String[] {"[{\"bytes_verified\": \"12\"}]", "bytes_verified must be a whole number"},
                new String[] {"[{\"proof_type\": \"zk\"}]", "proof_type must be"},
                new String[] {"[{\"content_id\": \"xyz\"}]", "content_id must be a string of hex"},
                new String[] {"[{\"result_ok\": 1}]", "result_ok must be true or false"},
                new String[] {"[{\"aux\": {\"root\": \"00\"}}]", "aux has only merkle_root and proof_digest"})) {
            ReceiptsFile.InvalidReceiptsException e = assertThrows(ReceiptsFile.InvalidReceiptsException.class,
                    () -> ReceiptsFile.parse("r.json", bad[0]), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void a_signed_receipt_from_the_file_verifies_over_its_canonical_encoding() throws Exception {
        ClientKeyPair keys = ClientKeyFiles.generate(SigScheme.ML_DSA_44, temp.resolve("k"), new SecureRandom());
        ReceiptsFile file = ReceiptsFile.parse("r.json", "[{\"bytes_verified\": 65536}]");

        SignedReceipt signed = file.apply(0, ReceiptBuilder.answering(challenge(List.of(ProofType.HASH)), "did:sov:a")).sign(keys);

        assertEquals("ml-dsa-44", signed.sigScheme());
        assertTrue(new BouncyCastleSignatureVerifier().verify(SigScheme.ML_DSA_44, keys.publicKey(),
                CanonicalEncoding.encode(signed.receipt()), signed.signature().toArray()));
    }

    private static IssuedChallenge challenge(List<ProofType> types) {
        ChallengeToken token = new ChallengeToken(1, ReceiptBuilder.random(32), ReceiptBuilder.random(16), ReceiptBuilder.random(32),
                1_000, 1_300, new Policy(10, 1 << 20, 0, types), ReceiptBuilder.random(64));
        return new IssuedChallenge("", token, 1_300);
    }
}
