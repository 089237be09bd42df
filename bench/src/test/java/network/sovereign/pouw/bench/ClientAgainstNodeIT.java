package network.sovereign.pouw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code client} command against the real node jar on H2 (self-enrolment open), as the README uses
 * it: keygen, enrolment of the printed key through the admin API or by the client itself, a saved challenge, receipts from a JSON file submitted
 * against it and against a fresh one, a rejected receipt, a signed batch printed for curl, a signed
 * dispute the operator API then shows, and a replayed dispute refused.
 */
class ClientAgainstNodeIT {

    private static final String ADMIN_TOKEN = "client-it-admin-token-0123456789";

    @TempDir
    static Path temp;

    private static NodeJarProcess node;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Run(int status, String out, String err) {
    }

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeJarProcess.start(temp, ADMIN_TOKEN, Map.of("POUW_ENROLLMENT", "open"));
    }

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (node != null) {
            node.stop();
        }
    }

    private static Run client(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "client";
        System.arraycopy(args, 0, all, 1, args.length);
        int status = Demo.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run ok(String... args) {
        Run run = client(args);
        assertEquals(0, run.status(), String.join(" ", args) + ":\n" + run.out() + run.err() + "\nnode log:\n" + node.output());
        return run;
    }

    private static HttpResponse<String> http(String method, String path, String body, boolean admin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + path)).header("Accept", "application/json");
        if (admin) {
            request.header("Authorization", "Bearer " + ADMIN_TOKEN);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** keygen, then the printed body plus a did as the admin enrolment: the key pair's directory. */
    private static Path enrolled(SigScheme scheme, String did) throws Exception {
        Path dir = temp.resolve("keys-" + did.replace(':', '_'));
        Run keygen = ok("keygen", "--scheme", scheme.wireName(), "--out", dir.toString());
        ObjectNode body = (ObjectNode) WireJson.parse(keygen.out().strip());
        body.put("did", did);
        HttpResponse<String> enrol = http("POST", "/api/v1/admin/clients", body.toString(), true);
        assertEquals(201, enrol.statusCode(), enrol.body());
        return dir;
    }

    @Test
    void keygen_enrol_challenge_submit_and_dispute_against_the_node() throws Exception {
        String did = "did:sov:client-it-mldsa";
        Path keys = enrolled(SigScheme.ML_DSA_65, did);

        // a saved challenge
        Path challengeFile = temp.resolve("challenge.json");
        Run challenge = ok("challenge", "--url", node.url(), "--did", did, "--capabilities", "hash,merkle", "--max-receipts", "5",
                "--out", challengeFile.toString());
        assertTrue(challenge.err().contains("node signature verified"), challenge.err());
        JsonNode issued = WireJson.parse(challenge.out());
        assertTrue(issued.path("token").isTextual(), challenge.out());
        assertEquals(issued, WireJson.parse(Files.readString(challengeFile)));

        // two receipts from a file, against the saved challenge
        Path receipts = Files.writeString(temp.resolve("receipts.json"), """
                {"receipts": [
                  {"proof_type": "merkle", "bytes_verified": 1048576, "aux": {"merkle_root": "%s"}},
                  {"proof_type": "hash", "bytes_verified": 4096}
                ]}""".formatted("ab".repeat(32)));
        Run submit = ok("submit", "--url", node.url(), "--did", did, "--key", keys.toString(), "--receipts", receipts.toString(),
                "--challenge", challengeFile.toString());
        JsonNode answer = WireJson.parse(submit.out());
        assertEquals(2, answer.path("accepted").size(), submit.out());
        assertEquals(0, answer.path("rejected").size(), submit.out());
        assertTrue(submit.err().contains("2 accepted, 0 rejected"), submit.err());
        String receiptId = answer.path("accepted").get(0).path("receipt_id").asText();
        String usedNonce = answer.path("accepted").get(0).path("receipt_nonce").asText();

        // a fresh challenge when none is given
        Run fresh = ok("submit", "--url", node.url(), "--did", did, "--key", keys.toString(), "--receipts", receipts.toString());
        assertEquals(2, WireJson.parse(fresh.out()).path("accepted").size(), fresh.out());

        // a receipt reusing an accepted receipt's nonce: the node's answer is printed, exit 1
        Path reuse = Files.writeString(temp.resolve("reuse.json"), "[{\"proof_type\": \"hash\", \"receipt_nonce\": \"" + usedNonce + "\"}]");
        Run rejected = client("submit", "--url", node.url(), "--did", did, "--key", keys.toString(), "--receipts", reuse.toString(),
                "--challenge", challengeFile.toString());
        assertEquals(1, rejected.status(), rejected.out() + rejected.err());
        assertEquals("duplicate_nonce", WireJson.parse(rejected.out()).path("rejected").get(0).path("reason").asText(), rejected.out());

        // --dry-run prints a signed batch that the node accepts as is (the README's batch.json)
        Run dry = ok("submit", "--url", node.url(), "--did", did, "--key", keys.toString(), "--receipts", receipts.toString(), "--dry-run");
        HttpResponse<String> posted = http("POST", "/api/v1/pouw/receipts", dry.out(), false);
        assertEquals(200, posted.statusCode(), posted.body());
        assertEquals(2, WireJson.parse(posted.body()).path("accepted").size(), posted.body());

        // a signed dispute about the first receipt, which the operator API then shows
        Run dispute = ok("dispute", "--url", node.url(), "--did", did, "--key", keys.toString(), "--receipt-id", receiptId,
                "--type", "IncorrectRewardAmount", "--reason", "reward for 1 MiB looks low", "--nonce", "client-it-nonce-0001");
        JsonNode filed = WireJson.parse(dispute.out());
        assertEquals("open", filed.path("status").asText(), dispute.out());
        assertEquals(receiptId, filed.path("receipt_id").asText());
        HttpResponse<String> shown = http("GET", "/api/v1/pouw/disputes/" + filed.path("dispute_id").asText(), null, true);
        assertEquals(200, shown.statusCode(), shown.body());
        assertEquals("IncorrectRewardAmount", WireJson.parse(shown.body()).path("dispute_type").asText(), shown.body());
        assertEquals("reward for 1 MiB looks low", WireJson.parse(shown.body()).path("description").asText());

        // the same nonce again is a replay: refused in one line, exit 1
        Run replay = client("dispute", "--url", node.url(), "--did", did, "--key", keys.toString(), "--receipt-id", receiptId,
                "--type", "IncorrectRewardAmount", "--reason", "reward for 1 MiB looks low", "--nonce", "client-it-nonce-0001");
        assertEquals(1, replay.status(), replay.err());
        assertTrue(replay.err().contains("HTTP 409") && replay.err().contains("dispute_replayed"), replay.err());
        assertEquals(1, replay.err().strip().lines().count(), replay.err());
        assertEquals("", replay.out());
    }

    @Test
    void every_scheme_the_node_accepts_makes_keys_that_sign_accepted_receipts_and_disputes() throws Exception {
        Path receipts = Files.writeString(temp.resolve("one.json"), "[{}]");
        for (SigScheme scheme : SigScheme.values()) {
            String did = "did:sov:client-it-" + scheme.wireName().replace("-", "");
            Path keys = enrolled(scheme, did);
            Run submit = ok("submit", "--url", node.url(), "--did", did, "--key", keys.toString(), "--receipts", receipts.toString());
            assertEquals(1, WireJson.parse(submit.out()).path("accepted").size(), scheme + ": " + submit.out());
            Run dispute = ok("dispute", "--url", node.url(), "--did", did, "--key", keys.toString(), "--type", "Other",
                    "--reason", "checking " + scheme.wireName());
            assertEquals("open", WireJson.parse(dispute.out()).path("status").asText(), scheme + ": " + dispute.out());
        }
    }

    @Test
    void a_client_enrols_itself_with_proof_of_possession_and_cannot_take_over_an_enrolled_did() throws Exception {
        String did = "did:sov:client-it-self";
        Path keys = temp.resolve("self-keys");
        ok("keygen", "--scheme", "ml-dsa-44", "--out", keys.toString());

        Run enrol = ok("enrol", "--url", node.url(), "--did", did, "--key", keys.toString());
        assertTrue(WireJson.parse(enrol.out()).path("created").asBoolean(), enrol.out());
        Run again = ok("enrol", "--url", node.url(), "--did", did, "--key", keys.toString());
        assertFalse(WireJson.parse(again.out()).path("created").asBoolean(true), again.out());
        Path receipts = Files.writeString(temp.resolve("self.json"), "[{\"proof_type\": \"hash\"}]");
        assertEquals(1, WireJson.parse(ok("submit", "--url", node.url(), "--did", did, "--key", keys.toString(), "--receipts",
                receipts.toString()).out()).path("accepted").size());

        Path other = temp.resolve("self-other-keys");
        ok("keygen", "--out", other.toString());
        Run takeover = client("enrol", "--url", node.url(), "--did", did, "--key", other.toString());
        assertEquals(1, takeover.status(), takeover.err());
        assertTrue(takeover.err().contains("HTTP 409"), takeover.err());
    }

    @Test
    void a_dispute_signed_with_another_key_and_an_unknown_client_are_refused_in_one_line() throws Exception {
        String did = "did:sov:client-it-other-key";
        enrolled(SigScheme.ED25519, did);
        Path stranger = temp.resolve("stranger-keys");
        ok("keygen", "--out", stranger.toString());

        Run wrongKey = client("dispute", "--url", node.url(), "--did", did, "--key", stranger.toString(), "--type", "Other",
                "--reason", "signed with a key nobody enrolled");
        assertEquals(1, wrongKey.status(), wrongKey.err());
        assertTrue(wrongKey.err().contains("HTTP 401"), wrongKey.err());
        assertEquals(1, wrongKey.err().strip().lines().count(), wrongKey.err());

        Run unknown = client("challenge", "--url", node.url(), "--did", "did:sov:client-it-nobody");
        assertEquals(1, unknown.status(), unknown.err());
        assertTrue(unknown.err().contains("HTTP 401 unknown_client"), unknown.err());
        assertFalse(unknown.err().contains("Exception"), unknown.err());
    }

    @Test
    void the_shaded_bench_jar_runs_the_client_command() throws Exception {
        Path benchJar = NodeJarProcess.jar("pouw.bench.jar", "bench/target/pouw-bench.jar", "the bench jar; `package` builds it");
        Path out = temp.resolve("bench-jar-client.out");
        Process process = new ProcessBuilder(NodeJarProcess.JAVA.toString(), "-jar", benchJar.toString(), "client", "keygen",
                "--scheme", "dilithium5", "--out", temp.resolve("jar-keys").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("java -jar pouw-bench.jar client keygen did not finish within 60 s:\n" + Files.readString(out));
        }
        String output = Files.readString(out);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("\"sig_scheme\":\"dilithium5\""), output);
        assertTrue(Files.isRegularFile(temp.resolve("jar-keys").resolve("client.key")), output);
    }
}
