package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's "increase TTL temporarily" end to end on two node processes of the shipped jar sharing
 * one PostgreSQL database: a challenge_ttl_secs override with an expiry set through node A shapes new
 * challenges on A at once and on B after its refresh, and reverts by itself on both; then maintenance on
 * demand (dry run, real, 409 while another node holds the lease), reload (200, and 409 for a bad
 * configuration file, the node still serving), and every change in the audit trail.
 */
class SettingsOverHttpIT {

    private static final String TOKEN = "settings-admin-token-0123456789";
    private static final long CONFIGURED_TTL = 300;
    private static final long OVERRIDE_TTL = 900;

    @TempDir
    Path temp;

    @Test
    void a_ttl_override_reaches_every_node_and_reverts_by_itself_and_maintenance_and_reload_run_on_demand() throws Exception {
        String database = "pouw_settings_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JarNode.psql(temp, "postgres", "CREATE DATABASE " + database);
        Path configFile = temp.resolve("pouw.conf");
        Files.writeString(configFile, "POUW_LOG_LEVEL=info\n");
        // High rate limits: the test polls new challenges for one DID while it waits for the override to arrive and expire.
        Map<String, String> settings = Map.of("POUW_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres",
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN, "POUW_CONFIG", configFile.toString(),
                "POUW_RATE_LIMIT_IP", "100000", "POUW_RATE_LIMIT_DID", "100000", "POUW_RATE_LIMIT_WINDOW_SECS", "1");
        try (JarNode a = JarNode.start(temp, withDataDir(settings, "a"));
             JarNode b = JarNode.start(temp, withDataDir(settings, "b"))) {
            String did = "did:sov:settings-" + UUID.randomUUID().toString().substring(0, 8);
            ClientKeyPair keys = ClientKeyPair.generate(SigScheme.ED25519, new SecureRandom());
            JarNode.Response enrolled = a.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                    + HexFormat.of().formatHex(keys.publicKey()) + "\"}", TOKEN);
            assertEquals(201, enrolled.status(), enrolled.body());
            assertEquals("1", JarNode.psql(temp, database, "SELECT count(*) FROM admin_audit WHERE action = 'enrol_client' AND actor = 'ops'"
                    + " AND target = '" + did + "' AND details = '{\"sig_scheme\":\"ed25519\",\"created\":true,\"rotated\":false}'"));
            assertEquals(CONFIGURED_TTL, ttl(b, did));

            // The runbook's "expired_challenge: increase TTL temporarily", for 25 s.
            String patched = raw(a.port, "PATCH", "/api/v1/admin/settings", "{\"challenge_ttl_secs\": " + OVERRIDE_TTL
                    + ", \"expires_in_secs\": 25}", TOKEN);
            assertTrue(patched.startsWith("HTTP/1.1 200"), patched);
            assertTrue(patched.contains("\"challenge_ttl_secs\":{\"value\":900,\"source\":\"override\",\"config_value\":300,\"expires_at\":\""),
                    patched);
            assertEquals(OVERRIDE_TTL, ttl(a, did), "at once on the node that set it");
            awaitTtl(b, did, t -> t == OVERRIDE_TTL, "node B picks the override up from the database");
            JarNode.Response shown = JarNode.call("GET", b.port, "/api/v1/admin/settings", null, TOKEN);
            assertEquals(200, shown.status(), shown.body());
            assertTrue(shown.body().contains("\"updated_by\":\"ops\""), shown.body());

            awaitTtl(a, did, t -> t == CONFIGURED_TTL, "the override expires by itself on A");
            awaitTtl(b, did, t -> t == CONFIGURED_TTL, "and on B");
            assertTrue(JarNode.call("GET", a.port, "/api/v1/admin/settings", null, TOKEN).body()
                    .contains("\"challenge_ttl_secs\":{\"value\":300,\"source\":\"config\",\"config_value\":300}"));

            assertTrue(raw(a.port, "PATCH", "/api/v1/admin/settings", "{\"challenge_ttl\": 900}", TOKEN).startsWith("HTTP/1.1 400"));
            assertTrue(raw(a.port, "PATCH", "/api/v1/admin/settings", "{\"rate_limit_ip\": 0}", TOKEN).startsWith("HTTP/1.1 400"));
            assertTrue(raw(a.port, "PATCH", "/api/v1/admin/settings", "{\"rate_limit_ip\": 5}", null).startsWith("HTTP/1.1 401"));
            assertTrue(raw(a.port, "PATCH", "/api/v1/admin/settings", "{\"rate_limit_ip\": 5}", "wrong").startsWith("HTTP/1.1 403"));
            assertEquals(401, JarNode.call("GET", a.port, "/api/v1/admin/settings", null, null).status());
            assertEquals("1", JarNode.psql(temp, database, "SELECT count(*) FROM admin_audit WHERE action = 'update_settings'"),
                    "refused changes are not audited");

            // Maintenance: one challenge expired long ago; a dry run counts it, a real run purges it.
            JarNode.psql(temp, database, "UPDATE challenges SET expires_at = now() - interval '8 days', issued_at = now() - interval '9 days'"
                    + " WHERE challenge_nonce = (SELECT challenge_nonce FROM challenges ORDER BY issued_at LIMIT 1)");
            long challenges = Long.parseLong(JarNode.psql(temp, database, "SELECT count(*) FROM challenges"));
            JarNode.Response dry = b.post("/api/v1/admin/maintenance", "{\"tasks\":[\"purge_challenges\",\"purge_nonces\"],\"dry_run\":true}", TOKEN);
            assertEquals(200, dry.status(), dry.body());
            assertTrue(dry.body().startsWith("{\"dry_run\":true,\"tasks\":{\"purge_challenges\":{\"count\":1},\"purge_nonces\":{\"count\":0}},"
                    + "\"started_at\":\""), dry.body());
            assertEquals(Long.toString(challenges), JarNode.psql(temp, database, "SELECT count(*) FROM challenges"), "a dry run changes nothing");

            JarNode.psql(temp, database, "INSERT INTO leases (name, holder, acquired_at, expires_at)"
                    + " VALUES ('maintenance', 'other-node', now(), now() + interval '1 hour')");
            JarNode.Response busy = b.post("/api/v1/admin/maintenance", "{}", TOKEN);
            assertEquals(409, busy.status(), busy.body());
            assertTrue(busy.body().contains("holds the maintenance lease"), busy.body());
            JarNode.psql(temp, database, "DELETE FROM leases WHERE holder = 'other-node'");

            JarNode.Response real = b.post("/api/v1/admin/maintenance", "{}", TOKEN);
            assertEquals(200, real.status(), real.body());
            assertTrue(real.body().startsWith("{\"dry_run\":false,\"tasks\":{\"purge_challenges\":{\"count\":1},\"purge_nonces\":{\"count\":0},"
                    + "\"archive_receipts\":{\"count\":0},\"purge_rejections\":{\"count\":0}},"), real.body());
            assertEquals(Long.toString(challenges - 1), JarNode.psql(temp, database, "SELECT count(*) FROM challenges"));
            assertEquals(400, b.post("/api/v1/admin/maintenance", "{\"tasks\":[\"vacuum\"]}", TOKEN).status());
            assertEquals(401, b.post("/api/v1/admin/maintenance", "{}", null).status());
            assertEquals(403, b.post("/api/v1/admin/maintenance", "{}", "wrong").status());
            assertEquals("2", JarNode.psql(temp, database, "SELECT count(*) FROM admin_audit WHERE action = 'run_maintenance'"));

            // Reload: what SIGHUP does. A bad configuration file is refused with its setting named; the node keeps serving.
            JarNode.Response reloaded = a.post("/api/v1/admin/reload", "", TOKEN);
            assertEquals(200, reloaded.status(), reloaded.body());
            Files.writeString(configFile, "POUW_CHALLENGE_TTL_SECS=soon\n");
            JarNode.Response refused = a.post("/api/v1/admin/reload", "", TOKEN);
            assertEquals(409, refused.status(), refused.body());
            assertTrue(refused.body().contains("POUW_CHALLENGE_TTL_SECS"), refused.body());
            assertEquals(CONFIGURED_TTL, ttl(a, did), "still serving with the running configuration");
            assertEquals(401, a.post("/api/v1/admin/reload", "", null).status());
            assertEquals(403, a.post("/api/v1/admin/reload", "", "wrong").status());
            assertEquals("ok\nrefused", JarNode.psql(temp, database, "SELECT CASE WHEN details LIKE '{\"ok\":true}' THEN 'ok' ELSE 'refused' END"
                    + " FROM admin_audit WHERE action = 'reload' ORDER BY id"));

            // The other way round: a per-DID limit lowered through A is enforced by B's rate limiter after B's refresh.
            String limited = "did:sov:limited-" + UUID.randomUUID().toString().substring(0, 8);
            assertEquals(201, a.post("/api/v1/admin/clients", "{\"did\":\"" + limited + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                    + HexFormat.of().formatHex(keys.publicKey()) + "\"}", TOKEN).status());
            assertTrue(raw(a.port, "PATCH", "/api/v1/admin/settings", "{\"rate_limit_did\": 2}", TOKEN).startsWith("HTTP/1.1 200"));
            awaitDenied(b, limited, keys);
            String health = b.get("/health").body();
            assertTrue(health.contains("\"name\":\"settings\"") && health.contains("overrides in force: rate_limit_did=2;"), health);
            assertTrue(raw(a.port, "PATCH", "/api/v1/admin/settings", "{\"rate_limit_did\": null}", TOKEN).startsWith("HTTP/1.1 200"));
        } finally {
            JarNode.psql(temp, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private Map<String, String> withDataDir(Map<String, String> settings, String node) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("POUW_DATA_DIR", temp.resolve("data-" + node).toString());
        return all;
    }

    /** The TTL of a new challenge: its expires_at minus its issued_at. */
    private static long ttl(JarNode node, String did) throws IOException {
        JarNode.Response issued = node.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + did + "\",\"capabilities\":[\"hash\"]}", null);
        assertEquals(201, issued.status(), issued.body());
        return Long.parseLong(JarNode.field(issued.body(), "expires_at")) - Long.parseLong(JarNode.field(issued.body(), "issued_at"));
    }

    /** Polls new challenges until their TTL matches; the deadline only bounds a failing run. */
    private static void awaitTtl(JarNode node, String did, IntPredicate expected, String what) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        long last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = ttl(node, did);
            if (expected.test((int) last)) {
                return;
            }
            Thread.sleep(250);
        }
        fail(what + ": the TTL is still " + last);
    }

    /**
     * Polls bursts of three signed dispute filings of the DID (requests that spend its permits; unsigned
     * challenges do not) until one is refused with 429; the deadline only bounds a failing run.
     */
    private static void awaitDenied(JarNode node, String did, ClientKeyPair keys) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        int n = 0;
        while (Instant.now().isBefore(deadline)) {
            for (int i = 0; i < 3; i++) {
                String description = "limit probe " + n++;
                int status = node.post("/api/v1/pouw/disputes", DisputeFiling.json(did, "", "Other", description,
                        DisputeFiling.sign(keys, did, "", "Other", description)), null).status();
                if (status == 429) {
                    return;
                }
                assertEquals(201, status);
            }
            Thread.sleep(500);
        }
        fail("the lowered per-DID limit never reached the node");
    }

    /** A raw HTTP/1.1 request as curl sends it ({@code curl -X PATCH ... -d '{...}'}, no JSON content type); the raw response. */
    private static String raw(int port, String method, String path, String body, String bearer) throws IOException {
        return JarNode.curl(port, method, path, JarNode.CURL_FORM, body, bearer);
    }
}
