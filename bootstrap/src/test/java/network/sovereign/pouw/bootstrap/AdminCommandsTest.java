package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.sovereign.pouw.bootstrap.config.ConfigException;
import network.sovereign.pouw.bootstrap.config.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every admin command line and the request it becomes; usage errors; where the CLI finds the node and the token. */
class AdminCommandsTest {

    @TempDir
    Path temp;

    private static String request(String... words) throws AdminCommands.UsageException {
        AdminCommands.Request r = AdminCommands.parse(List.of(words));
        return r.method() + " " + r.path() + r.body().map(b -> " " + b).orElse("") + (r.csv() ? " (csv)" : "");
    }

    @Test
    void blocking_and_audit() throws Exception {
        assertEquals("POST /api/v1/admin/block-did {\"did\":\"did:sov:bad\"}", request("block", "did:sov:bad"));
        assertEquals("POST /api/v1/admin/block-did {\"did\":\"did:sov:bad\",\"reason\":\"spam \\\"x\\\"\"}",
                request("block", "did:sov:bad", "--reason", "spam \"x\""));
        assertEquals("POST /api/v1/admin/block-did {\"did\":\"did:sov:bad\",\"reason\":\"r\"}", request("block", "--reason=r", "did:sov:bad"));
        assertEquals("POST /api/v1/admin/unblock-did {\"did\":\"did:sov:bad\",\"reason\":\"ok now\"}",
                request("unblock", "did:sov:bad", "--reason", "ok now"));
        assertEquals("GET /api/v1/admin/blocked-dids", request("blocked"));
        assertEquals("GET /api/v1/admin/blocked-dids?limit=10&cursor=abc", request("blocked", "--limit", "10", "--cursor", "abc"));
        assertEquals("GET /api/v1/admin/audit", request("audit"));
        assertEquals("GET /api/v1/admin/audit?limit=500", request("audit", "--limit", "500"));
    }

    @Test
    void clients() throws Exception {
        assertEquals("POST /api/v1/admin/clients {\"did\":\"did:sov:a\",\"sig_scheme\":\"ed25519\",\"public_key\":\"00ff\"}",
                request("clients", "enrol", "did:sov:a", "--sig-scheme", "ed25519", "--public-key", "00ff"));
        assertEquals("GET /api/v1/admin/clients/did:sov:a%2Fb%20c", request("clients", "show", "did:sov:a/b c"));
    }

    @Test
    void disputes() throws Exception {
        assertEquals("GET /api/v1/pouw/disputes", request("disputes", "list"));
        assertEquals("GET /api/v1/pouw/disputes?status=open&client_did=did%3Asov%3Aa&limit=5",
                request("disputes", "list", "--status", "open", "--client-did", "did:sov:a", "--limit", "5"));
        assertEquals("GET /api/v1/pouw/disputes/d-1", request("disputes", "show", "d-1"));
        assertEquals("POST /api/v1/pouw/disputes/d-1/investigate {}", request("disputes", "investigate", "d-1"));
        assertEquals("POST /api/v1/pouw/disputes/d-1/investigate {\"note\":\"looking\"}", request("disputes", "investigate", "d-1", "--note", "looking"));
        assertEquals("POST /api/v1/pouw/disputes/d-1/resolve {\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"bug\"}",
                request("disputes", "resolve", "d-1", "--type", "ClaimantCorrect", "--explanation", "bug"));
        assertEquals("POST /api/v1/pouw/disputes/d-1/resolve {\"resolution_type\":\"ClaimantCorrect\",\"explanation\":\"bug\","
                        + "\"compensation\":{\"amount\":\"100\",\"currency\":\"SOV\"}}",
                request("disputes", "resolve", "d-1", "--type", "ClaimantCorrect", "--explanation", "bug", "--compensation", "100"));
        assertEquals("POST /api/v1/pouw/disputes/d-1/reject {\"explanation\":\"no\"}", request("disputes", "reject", "d-1", "--explanation", "no"));
    }

    @Test
    void receipts_history_maintenance_reload() throws Exception {
        assertEquals("GET /api/v1/pouw/receipts/r-1", request("receipt", "r-1"));
        assertEquals("GET /api/v1/pouw/clients/did:sov:a/history", request("history", "did:sov:a"));
        assertEquals("GET /api/v1/pouw/clients/did:sov:a/history?format=csv (csv)", request("history", "did:sov:a", "--csv"));
        assertEquals("POST /api/v1/admin/maintenance {}", request("maintenance"));
        assertEquals("POST /api/v1/admin/maintenance {\"tasks\":[\"purge_challenges\",\"purge_nonces\"],\"dry_run\":true}",
                request("maintenance", "--tasks", "purge_challenges, purge_nonces", "--dry-run"));
        assertEquals("POST /api/v1/admin/reload", request("reload"));
    }

    @Test
    void settings() throws Exception {
        assertEquals("GET /api/v1/admin/settings", request("settings"));
        assertEquals("GET /api/v1/admin/settings", request("settings", "get"));
        assertEquals("PATCH /api/v1/admin/settings {\"challenge_ttl_secs\":600,\"rate_limit_ip\":200}",
                request("settings", "set", "challenge_ttl_secs=600", "rate-limit-ip=200"));
        assertEquals("PATCH /api/v1/admin/settings {\"challenge_ttl_secs\":600,\"expires_in_secs\":3600}",
                request("settings", "set", "challenge_ttl_secs=600", "--expires-in", "3600"));
    }

    @Test
    void rewards() throws Exception {
        assertEquals("GET /api/v1/admin/rewards", request("rewards", "list"));
        assertEquals("GET /api/v1/admin/rewards?epoch=42&status=pending&limit=2&cursor=c",
                request("rewards", "list", "--epoch", "42", "--status", "pending", "--limit", "2", "--cursor", "c"));
        assertEquals("POST /api/v1/admin/rewards/w-1/processing {}", request("rewards", "processing", "w-1"));
        assertEquals("POST /api/v1/admin/rewards/w-1/paid {\"tx_hash\":\"0xabc\"}", request("rewards", "paid", "w-1", "--tx-hash", "0xabc"));
        assertEquals("POST /api/v1/admin/rewards/w-1/failed {}", request("rewards", "failed", "w-1"));
        assertEquals("POST /api/v1/admin/rewards/w-1/failed {\"error\":\"rpc down\"}", request("rewards", "failed", "w-1", "--error", "rpc down"));
    }

    @Test
    void wrong_command_lines_are_usage_errors() {
        for (List<String> words : List.of(List.<String>of(), List.of("frobnicate"), List.of("block"), List.of("block", "a", "b"),
                List.of("block", "a", "--reason"), List.of("block", "a", "--bogus", "x"), List.of("blocked", "--limit", "ten"),
                List.of("clients"), List.of("clients", "enrol", "did:a", "--sig-scheme", "ed25519"), List.of("clients", "delete", "x"),
                List.of("disputes", "resolve", "d", "--type", "T"), List.of("disputes", "resolve", "d", "--type", "T", "--explanation", "E",
                        "--compensation", "-5"), List.of("disputes", "reject", "d"), List.of("disputes", "close", "d"),
                List.of("history"), List.of("maintenance", "--tasks", ","), List.of("settings", "set"), List.of("settings", "set", "noequals"),
                List.of("settings", "set", "a=1", "--expires-in", "soon"), List.of("settings", "delete"), List.of("reload", "now"),
                List.of("rewards", "paid", "w"), List.of("rewards", "list", "--epoch", "x"), List.of("rewards"),
                List.of("block", "a", "--reason", "x", "--reason", "y"))) {
            assertThrows(AdminCommands.UsageException.class, () -> AdminCommands.parse(words), words.toString());
        }
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void main_exits_64_on_usage_errors_and_78_without_a_token() {
        Run usage = run(Map.of(), "admin", "frobnicate");
        assertEquals(Main.EXIT_USAGE, usage.status());
        assertTrue(usage.err().startsWith("pouw-node admin: unknown admin command 'frobnicate'"), usage.err());
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "admin", "--url").status());
        assertEquals(Main.EXIT_USAGE, run(Map.of(), "admin", "--url", "ftp://x", "blocked").status());
        Run help = run(Map.of(), "admin", "--help");
        assertEquals(Main.EXIT_OK, help.status());
        assertTrue(help.out().contains("disputes resolve ID --type T --explanation E"), help.out());

        Run noToken = run(Map.of("POUW_DATA_DIR", temp.resolve("none").toString()), "admin", "blocked");
        assertEquals(Main.EXIT_CONFIG, noToken.status(), noToken.err());
        assertTrue(noToken.err().contains("no admin token"), noToken.err());
    }

    @Test
    void an_unreachable_node_exits_69_with_one_line() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run(Map.of("POUW_HTTP_PORT", Integer.toString(port), "POUW_ADMIN_TOKEN", "secret-token-0123456789"), "admin", "blocked");
        assertEquals(AdminCli.EXIT_UNAVAILABLE, r.status(), r.err());
        assertTrue(r.err().startsWith("pouw-node admin: cannot connect to http://127.0.0.1:" + port + " ("), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(!r.err().contains("secret-token") && !r.out().contains("secret-token"), "the token is never printed");
    }

    @Test
    void the_node_url_comes_from_url_then_setting_then_the_local_port() throws Exception {
        assertEquals("http://127.0.0.1:8080", AdminCli.target(Optional.empty(), ConfigSource.of(Map.of())).base().toString());
        assertEquals("http://127.0.0.1:9000", AdminCli.target(Optional.empty(),
                ConfigSource.of(Map.of("POUW_HTTP_PORT", "9000", "POUW_HTTP_HOST", "0.0.0.0"))).base().toString());
        assertEquals("http://10.1.2.3:9000", AdminCli.target(Optional.empty(),
                ConfigSource.of(Map.of("POUW_HTTP_PORT", "9000", "POUW_HTTP_HOST", "10.1.2.3"))).base().toString());
        assertEquals("http://[::1]:8080", AdminCli.target(Optional.empty(), ConfigSource.of(Map.of("POUW_HTTP_HOST", "::1"))).base().toString());
        Path cert = Files.writeString(temp.resolve("cert.pem"), "x");
        AdminCli.Target tls = AdminCli.target(Optional.empty(), ConfigSource.of(Map.of("POUW_TLS_CERT", cert.toString())));
        assertEquals("https://127.0.0.1:8080", tls.base().toString());
        assertEquals(Optional.of(cert), tls.pinnedCertificate());
        assertEquals("https://node.example:8443", AdminCli.target(Optional.empty(),
                ConfigSource.of(Map.of("POUW_ADMIN_URL", "https://node.example:8443/"))).base().toString());
        assertEquals("http://h:1", AdminCli.target(Optional.of("http://h:1"),
                ConfigSource.of(Map.of("POUW_ADMIN_URL", "https://node.example:8443"))).base().toString());
        assertThrows(ConfigException.class, () -> AdminCli.target(Optional.empty(), ConfigSource.of(Map.of("POUW_HTTP_PORT", "0"))));
    }

    @Test
    void problem_answers_become_one_error_line() {
        assertEquals("error: 403 Forbidden: the bearer token is not valid",
                AdminCli.problemLine(403, "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"the bearer token is not valid\"}"));
        assertEquals("error: 404 Not Found", AdminCli.problemLine(404, "{\"title\":\"Not Found\",\"status\":404}"));
        assertEquals("error: 502 Bad Gateway", AdminCli.problemLine(502, "Bad Gateway\n<html>"));
        assertEquals("error: 500", AdminCli.problemLine(500, ""));
    }

    @Test
    void json_is_pretty_printed_with_numbers_kept_exactly() {
        String json = "{\"items\":[{\"did\":\"did:sov:a\",\"n\":123456789012345678901234567890,\"ok\":true,\"x\":null,\"e\":[],\"o\":{}}],"
                + "\"next_cursor\":\"a\\\"b\\u00e9\"}";
        assertEquals("""
                {
                  "items": [
                    {
                      "did": "did:sov:a",
                      "n": 123456789012345678901234567890,
                      "ok": true,
                      "x": null,
                      "e": [],
                      "o": {}
                    }
                  ],
                  "next_cursor": "a\\"b\u00e9"
                }""", CliJson.pretty(CliJson.parse(json)));
        assertThrows(IllegalArgumentException.class, () -> CliJson.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> CliJson.parse("{} x"));
    }
}
