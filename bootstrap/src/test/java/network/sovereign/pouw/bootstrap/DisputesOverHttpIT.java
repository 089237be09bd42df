package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's "Dispute Handling" end to end on the shipped jar and a fresh PostgreSQL database: a
 * client files a dispute signed with its enrolled Ed25519 key (no token: it is the client API), then
 * the operator runs the runbook's three curl commands (list open disputes, dispute details, resolve
 * with the runbook's exact body) with only an {@code Authorization} header added. The second resolve
 * is a 409; the compensation is one {@code reward_entries} row in the current epoch; the counters count.
 */
class DisputesOverHttpIT {

    private static final String TOKEN = "disputes-admin-token-0123456789";
    private static final String RUNBOOK_RESOLVE_BODY = """
            {
                "resolution_type": "ClaimantCorrect",
                "explanation": "Verified bug in reward calculation",
                "compensation": {
                  "amount": 100,
                  "currency": "SOV"
                }
              }""";

    @TempDir
    Path temp;

    @Test
    void a_signed_dispute_is_filed_by_the_client_and_resolved_with_the_runbook_commands() throws Exception {
        String database = "pouw_disputes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        Map<String, String> settings = Map.of("POUW_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres",
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN, "POUW_DATA_DIR", temp.resolve("data").toString());
        try (JarNode node = JarNode.start(temp, settings)) {
            String did = "did:sov:claimant-" + UUID.randomUUID().toString().substring(0, 8);
            ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, new SecureRandom());
            JarNode.Response enrolled = node.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                    + HexFormat.of().formatHex(keys.publicKey()) + "\"}", TOKEN);
            assertEquals(201, enrolled.status(), enrolled.body());

            // The client files its dispute: no token, signed over the spec's text.
            String description = "My rewards for epoch 5 never arrived — bitte prüfen";
            String filing = filing(did, "RewardNotReceived", description, sign(keys, did, "", "RewardNotReceived", description));
            String filed = raw(node.port, "POST", "/api/v1/pouw/disputes", "application/json", filing, null);
            assertTrue(filed.startsWith("HTTP/1.1 201"), filed);
            String disputeId = JarNode.field(body(filed), "dispute_id");
            assertTrue(Pattern.compile("(?im)^location: /api/v1/pouw/disputes/" + Pattern.quote(disputeId) + "\r?$").matcher(filed).find(), filed);
            assertTrue(body(filed).contains("\"status\":\"open\",") && body(filed).endsWith("\"resolution\":null}"), filed);
            assertTrue(body(filed).contains("\"description\":\"" + description + "\""), filed);

            // Refused filings change nothing.
            String forged = filing(did, "RewardNotReceived", "tampered", sign(keys, did, "", "RewardNotReceived", description));
            assertStatus(401, raw(node.port, "POST", "/api/v1/pouw/disputes", "application/json", forged, null));
            String stranger = "did:sov:stranger-" + UUID.randomUUID().toString().substring(0, 8);
            assertStatus(401, raw(node.port, "POST", "/api/v1/pouw/disputes", "application/json",
                    filing(stranger, "Other", "x", sign(keys, stranger, "", "Other", "x")), null));
            assertStatus(400, raw(node.port, "POST", "/api/v1/pouw/disputes", "application/json",
                    filing(did, "Nonsense", "x", sign(keys, did, "", "Nonsense", "x")), null));
            String unknownReceipt = "{\"client_did\":\"" + did + "\",\"receipt_id\":\"no-such-receipt\",\"dispute_type\":\"Other\","
                    + "\"description\":\"x\"," + sign(keys, did, "no-such-receipt", "Other", "x").fields() + "}";
            assertStatus(400, raw(node.port, "POST", "/api/v1/pouw/disputes", "application/json", unknownReceipt, null));

            // Runbook: curl -s http://localhost:8080/api/v1/pouw/disputes?status=open | jq .
            String open = curlGet(node.port, "/api/v1/pouw/disputes?status=open", TOKEN);
            assertTrue(open.startsWith("HTTP/1.1 200"), open);
            assertTrue(body(open).startsWith("{\"items\":[{\"dispute_id\":\"" + disputeId + "\",\"client_did\":\"" + did + "\","), open);
            assertTrue(body(open).endsWith("],\"next_cursor\":null}"), open);

            // Runbook: curl -s http://localhost:8080/api/v1/pouw/disputes/{dispute_id} | jq .
            String detail = curlGet(node.port, "/api/v1/pouw/disputes/" + disputeId, TOKEN);
            assertTrue(detail.startsWith("HTTP/1.1 200"), detail);
            assertTrue(body(detail).contains("\"events\":[{\"from_status\":null,\"to_status\":\"open\",\"actor\":\"client\",\"note\":null,\"at\":\""),
                    detail);

            // Runbook: curl -X POST .../disputes/{dispute_id}/resolve -H "Content-Type: application/json" -d '{...}'
            long epochBefore = Instant.now().getEpochSecond() / 3600;
            String resolved = raw(node.port, "POST", "/api/v1/pouw/disputes/" + disputeId + "/resolve", "application/json",
                    RUNBOOK_RESOLVE_BODY, TOKEN);
            long epochAfter = Instant.now().getEpochSecond() / 3600;
            assertTrue(resolved.startsWith("HTTP/1.1 200"), resolved);
            assertTrue(body(resolved).contains("\"status\":\"resolved_for_claimant\""), resolved);
            assertTrue(body(resolved).contains("\"resolution\":{\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"Verified bug in reward calculation\","
                    + "\"compensation\":{\"amount\":\"100\",\"currency\":\"SOV\",\"amount_atoms\":\"100000000000000000000\"},\"resolved_by\":\"ops\","), resolved);

            String again = raw(node.port, "POST", "/api/v1/pouw/disputes/" + disputeId + "/resolve", "application/json",
                    RUNBOOK_RESOLVE_BODY, TOKEN);
            assertStatus(409, again);
            assertTrue(again.contains("application/problem+json"), again);

            String credit = JarNode.psql(temp, database, "SELECT client_did || '|' || kind || '|' || amount_atoms || '|' || epoch"
                    + " FROM reward_entries WHERE dispute_id = '" + disputeId + "'");
            assertTrue(credit.equals(did + "|compensation|100000000000000000000|" + epochBefore)
                    || credit.equals(did + "|compensation|100000000000000000000|" + epochAfter), credit);
            assertEquals("1", JarNode.psql(temp, database, "SELECT count(*) FROM reward_entries"), "one credit, whatever the retries");
            assertEquals("ops|resolve_dispute", JarNode.psql(temp, database,
                    "SELECT actor || '|' || action FROM admin_audit WHERE target = '" + disputeId + "'"));
            assertEquals("resolved_for_claimant|ops|100000000000000000000", JarNode.psql(temp, database,
                    "SELECT status || '|' || resolved_by || '|' || compensation_atoms FROM disputes WHERE dispute_id = '" + disputeId + "'"));

            String metrics = node.metrics();
            assertEquals(1.0, JarNode.series(metrics, "pouw_disputes_opened_total"));
            assertEquals(1.0, labelled(metrics, "pouw_disputes_resolved_total", "resolution_type=\"ClaimantCorrect\""));
            assertEquals(0.0, labelled(metrics, "pouw_disputes_resolved_total", "resolution_type=\"NodeCorrect\""));

            // The operator routes need the token; the client's filing route never does.
            assertStatus(401, curlGet(node.port, "/api/v1/pouw/disputes?status=open", null));
            assertStatus(403, curlGet(node.port, "/api/v1/pouw/disputes/" + disputeId, "wrong"));
            assertStatus(401, raw(node.port, "POST", "/api/v1/pouw/disputes/" + disputeId + "/resolve", "application/json",
                    RUNBOOK_RESOLVE_BODY, null));
            assertStatus(404, curlGet(node.port, "/api/v1/pouw/disputes/no-such-dispute", TOKEN));
            assertStatus(201, raw(node.port, "POST", "/api/v1/pouw/disputes", "application/json",
                    filing(did, "Other", "second", sign(keys, did, "", "Other", "second")), null));
            assertStatus(201, raw(node.port, "POST", "/api/v1/pouw/challenges", "application/json",
                    "{\"client_did\":\"" + did + "\",\"capabilities\":[\"hash\"]}", null));
            String receipts = raw(node.port, "POST", "/api/v1/pouw/receipts", "application/json", "{\"version\":1}", null);
            assertStatus(400, receipts);
            assertTrue(receipts.contains("malformed_receipt"), "reached the client API, not the bearer check: " + receipts);

            // A blocked client cannot file.
            assertEquals(200, node.post("/api/v1/admin/block-did", "{\"did\":\"" + did + "\"}", TOKEN).status());
            String blocked = raw(node.port, "POST", "/api/v1/pouw/disputes", "application/json",
                    filing(did, "Other", "third", sign(keys, did, "", "Other", "third")), null);
            assertStatus(403, blocked);
            assertTrue(blocked.contains("\"reason\":\"blocked_did\""), blocked);
            assertEquals("2", JarNode.psql(temp, database, "SELECT count(*) FROM disputes"));
            assertEquals(2.0, JarNode.series(node.metrics(), "pouw_disputes_opened_total"));
        } finally {
            JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static String filing(String did, String type, String description, DisputeFiling signed) {
        return DisputeFiling.json(did, "", type, description, signed);
    }

    /** The client's signature over the spec's dispute text, with a fresh nonce and the current time. */
    private static DisputeFiling sign(ClientKeyPair keys, String did, String receiptId, String type, String description) {
        return DisputeFiling.sign(keys, did, receiptId, type, description);
    }

    private static double labelled(String metrics, String name, String label) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " with " + label + " not in metrics");
    }

    private static void assertStatus(int status, String response) {
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** What {@code curl -s http://host:port/path [-H 'Authorization: Bearer T']} sends; the raw response. */
    private static String curlGet(int port, String path, String bearer) throws IOException {
        return raw(port, "GET", path, null, null, bearer);
    }

    /** What curl sends for {@code -X METHOD [-H "Content-Type: T"] [-H 'Authorization: Bearer B'] [-d 'body']}; the raw response. */
    private static String raw(int port, String method, String path, String contentType, String body, String bearer) throws IOException {
        return JarNode.curl(port, method, path, contentType, body, bearer);
    }
}
