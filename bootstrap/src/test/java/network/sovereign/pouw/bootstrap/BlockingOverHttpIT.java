package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's "Block Malicious Actor" end to end: two node processes of the shipped jar on one fresh
 * PostgreSQL database; a client enrolled and blocked through node A with the runbook's curl command,
 * refused at once by node B, counted by node B's {@code pouw_blocked_dids}, listed, unblocked, audited.
 */
class BlockingOverHttpIT {

    private static final String TOKEN = "blocking-admin-token-0123456789";
    private static final String BLOCKED_DIDS = "/api/v1/admin/blocked-dids";

    @TempDir
    Path temp;

    @Test
    void a_did_blocked_through_one_node_is_refused_by_every_node_until_unblocked() throws Exception {
        String database = "pouw_blocking_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        Map<String, String> settings = Map.of("POUW_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres",
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN);
        try (JarNode a = JarNode.start(temp, withDataDir(settings, "a"));
             JarNode b = JarNode.start(temp, withDataDir(settings, "b"))) {
            String did = "did:sov:malicious-" + UUID.randomUUID().toString().substring(0, 8);
            ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, new SecureRandom());
            JarNode.Response enrolled = a.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                    + HexFormat.of().formatHex(keys.publicKey()) + "\"}", TOKEN);
            assertEquals(201, enrolled.status(), enrolled.body());
            assertEquals(201, challenge(b, did).status(), "not blocked yet");
            assertEquals(0.0, JarNode.series(b.metrics(), "pouw_blocked_dids"));

            // The runbook: curl -X POST http://localhost:8080/api/v1/admin/block-did -d '{"did": "did:sov:malicious"}',
            // with the Authorization header added; curl -d sends application/x-www-form-urlencoded.
            String blocked = curl(a.port, "POST", "/api/v1/admin/block-did", "{\"did\": \"" + did + "\"}", TOKEN);
            assertTrue(blocked.startsWith("HTTP/1.1 200"), blocked);
            assertTrue(blocked.endsWith("{\"did\":\"" + did + "\",\"blocked\":true,\"already_blocked\":false}"), blocked);

            assertEquals(403, challenge(a, did).status(), "at once on the node that made the change");
            JarNode.Response refused = eventually(b, did, 403);
            assertTrue(refused.body().contains("\"reason\":\"blocked_did\""), refused.body());

            JarNode.Response again = JarNode.call("POST", b.port, "/api/v1/admin/block-did", "{\"did\":\"" + did + "\",\"reason\":\"again\"}", TOKEN);
            assertEquals(200, again.status(), again.body());
            assertTrue(again.body().contains("\"already_blocked\":true"), again.body());

            JarNode.Response list = JarNode.call("GET", b.port, BLOCKED_DIDS, null, TOKEN);
            assertEquals(200, list.status(), list.body());
            assertTrue(list.body().contains("{\"did\":\"" + did + "\",\"reason\":null,\"blocked_by\":\"ops\",\"blocked_at\":\""), list.body());
            assertTrue(list.body().endsWith("\"next_cursor\":null}"), list.body());
            assertEquals(1.0, JarNode.series(b.metrics(), "pouw_blocked_dids"), "node B's gauge reads the database");
            assertEquals(1.0, JarNode.series(a.metrics(), "pouw_blocked_dids"));

            JarNode.Response unblocked = JarNode.call("POST", b.port, "/api/v1/admin/unblock-did", "{\"did\":\"" + did + "\"}", TOKEN);
            assertEquals(200, unblocked.status(), unblocked.body());
            assertEquals("{\"did\":\"" + did + "\",\"blocked\":false,\"was_blocked\":true}", unblocked.body());
            assertEquals(201, challenge(b, did).status(), "challenges work again, at once on the node that made the change");
            eventually(a, did, 201);
            assertEquals(0.0, JarNode.series(a.metrics(), "pouw_blocked_dids"));
            assertEquals("{\"items\":[],\"next_cursor\":null}", JarNode.call("GET", a.port, BLOCKED_DIDS, null, TOKEN).body());

            JarNode.Response audit = JarNode.call("GET", a.port, "/api/v1/admin/audit", null, TOKEN);
            assertEquals(200, audit.status(), audit.body());
            Matcher actions = Pattern.compile("\\{\"actor\":\"ops\",\"action\":\"(\\w+)\",\"target\":\"" + Pattern.quote(did) + "\"").matcher(audit.body());
            StringBuilder seen = new StringBuilder();
            while (actions.find()) {
                seen.append(actions.group(1)).append(' ');
            }
            assertEquals("unblock_did block_did block_did enrol_client ", seen.toString(), "newest first, by the token's name: " + audit.body());
            assertEquals("block\nunblock", blockEvents(database, did), "one event per change, none for the repeated block");
            assertEquals("4", JarNode.psql(temp, database, "SELECT count(*) FROM admin_audit WHERE actor = 'ops' AND target = '" + did + "'"));

            // 401 without a token, 403 with a wrong one, on both nodes and every blocking route.
            for (JarNode node : new JarNode[] {a, b}) {
                String noToken = curl(node.port, "POST", "/api/v1/admin/block-did", "{\"did\": \"" + did + "\"}", null);
                assertTrue(noToken.startsWith("HTTP/1.1 401"), noToken);
                String wrongToken = curl(node.port, "POST", "/api/v1/admin/block-did", "{\"did\": \"" + did + "\"}", "wrong");
                assertTrue(wrongToken.startsWith("HTTP/1.1 403"), wrongToken);
                assertEquals(401, JarNode.call("POST", node.port, "/api/v1/admin/unblock-did", "{\"did\":\"" + did + "\"}", null).status());
                assertEquals(403, JarNode.call("POST", node.port, "/api/v1/admin/unblock-did", "{\"did\":\"" + did + "\"}", "wrong").status());
                assertEquals(401, JarNode.call("GET", node.port, BLOCKED_DIDS, null, null).status());
                assertEquals(403, JarNode.call("GET", node.port, BLOCKED_DIDS, null, "wrong").status());
                assertEquals(401, JarNode.call("GET", node.port, "/api/v1/admin/audit", null, null).status());
                assertEquals(403, JarNode.call("GET", node.port, "/api/v1/admin/audit", null, "wrong").status());
            }
            assertEquals(201, challenge(b, did).status(), "refused requests changed nothing");
            String badDid = curl(a.port, "POST", "/api/v1/admin/block-did", "{\"did\": \"malicious\"}", TOKEN);
            assertTrue(badDid.startsWith("HTTP/1.1 400"), badDid);
            assertEquals(400, JarNode.call("GET", a.port, BLOCKED_DIDS + "?limit=501", null, TOKEN).status());
        } finally {
            JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private Map<String, String> withDataDir(Map<String, String> settings, String node) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("POUW_DATA_DIR", temp.resolve("data-" + node).toString());
        return all;
    }

    private String blockEvents(String database, String did) throws Exception {
        return JarNode.psql(temp, database, "SELECT action FROM block_events WHERE did = '" + did + "' ORDER BY event_id");
    }

    /**
     * The answer of a node other than the one that changed the block status: its client cache may be
     * stale for at most {@code CachingClientDirectory.DEFAULT_TTL} (2 s); after that it must agree.
     */
    private static JarNode.Response eventually(JarNode node, String did, int expected) throws Exception {
        long deadline = System.nanoTime() + 3_000_000_000L;
        JarNode.Response last;
        do {
            last = challenge(node, did);
            if (last.status() == expected) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals(expected, last.status(), "within the 2 s staleness bound: " + last.body());
        return last;
    }

    private static JarNode.Response challenge(JarNode node, String did) throws IOException {
        return node.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + did + "\",\"capabilities\":[\"hash\"]}", null);
    }

    /** The runbook's {@code curl -X POST ... -d '{...}'} (a form content type, as curl -d sends it); the raw response. */
    private static String curl(int port, String method, String path, String body, String bearer) throws IOException {
        return JarNode.curl(port, method, path, JarNode.CURL_FORM, body, bearer);
    }
}
