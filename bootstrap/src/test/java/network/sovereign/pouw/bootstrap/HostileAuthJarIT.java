package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.domain.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Hostile clients", authentication points, attacked through the shipped jar over real sockets
 * (the attacker sends from 127.0.0.2, the victims and operators from 127.0.0.1, which the node sees as
 * two client addresses): a key takeover under open enrolment, a DID locked out by unauthenticated
 * requests naming it, a signed dispute replayed, and a flood of wrong admin tokens.
 */
class HostileAuthJarIT {

    private static final String TOKEN = "hostile-admin-token-0123456789abcdef";
    private static final String ATTACKER = "127.0.0.2";
    private static final String OPERATOR = "127.0.0.1";
    private static final int PER_DID = 5;
    private static final int ADMIN_FAILURES = 10;

    @TempDir
    Path temp;

    /** An HTTP answer with its raw head. */
    record Raw(int status, String head, String body) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ": *([^\r\n]*)").matcher(head);
            return m.find() ? m.group(1) : null;
        }
    }

    @Test
    void takeover_lockout_dispute_replay_and_admin_token_guessing_are_refused() throws Exception {
        try (JarNode node = JarNode.start(temp, Map.of(
                "POUW_DATA_DIR", temp.resolve("data").toString(),
                "POUW_ADMIN_TOKENS", "ops:" + TOKEN,
                "POUW_ENROLLMENT", "open",
                "POUW_RATE_LIMIT_DID", String.valueOf(PER_DID),
                "POUW_RATE_LIMIT_IP", "400",
                "POUW_ADMIN_AUTH_FAILURES_MAX", String.valueOf(ADMIN_FAILURES)))) {
            String nodeId = JarNode.field(node.get("/api/v1/pouw/node").body(), "node_id");
            aKeyTakeoverIsAConflictThatKeepsTheOwnersKey(node, nodeId);
            unauthenticatedRequestsNamingADidCannotLockItOut(node, nodeId);
            aSignedDisputeFiledFiveTimesIsOneDispute(node);
            wrongAdminTokensAreThrottledAndLoggedOncePerWindow(node);
        }
    }

    private void aKeyTakeoverIsAConflictThatKeepsTheOwnersKey(JarNode node, String nodeId) throws Exception {
        LoadClient owner = new LoadClient("did:sov:owner-" + UUID.randomUUID().toString().substring(0, 8));
        LoadClient attacker = new LoadClient(owner.did);
        Raw created = send(node.port, OPERATOR, "POST", "/api/v1/pouw/clients", owner.selfEnrolment(nodeId), null);
        assertEquals(201, created.status(), created.body());
        Raw again = send(node.port, OPERATOR, "POST", "/api/v1/pouw/clients", owner.selfEnrolment(nodeId), null);
        assertEquals(200, again.status(), again.body());
        assertTrue(again.body().contains("\"created\":false"), again.body());

        Raw takeover = send(node.port, ATTACKER, "POST", "/api/v1/pouw/clients", attacker.selfEnrolment(nodeId), null);
        assertEquals(409, takeover.status(), takeover.body());
        assertTrue(takeover.header("Content-Type").startsWith("application/problem+json"), takeover.head());
        assertTrue(takeover.body().contains("\"type\":\"urn:pouw:problem:key_conflict\""), takeover.body());
        assertTrue(takeover.body().contains("\"title\":\"DID already enrolled with another key\""), takeover.body());

        JarNode.Response audit = JarNode.call("GET", node.port, "/api/v1/admin/audit", null, TOKEN);
        assertEquals(200, audit.status(), audit.body());
        assertTrue(audit.body().contains("\"action\":\"self_enrol_conflict\"") && audit.body().contains(owner.did), audit.body());

        Bytes[] challenge = owner.challenge(node);
        LoadClient.Answer mine = LoadClient.submit(node.port, owner.batch(owner.receipts(challenge, 1)), 30_000);
        assertEquals(1, LoadClient.accepted(mine.body()).size(), "the owner's receipt is still accepted: " + mine.body());
        LoadClient.Answer theirs = LoadClient.submit(node.port, attacker.batch(attacker.receipts(attacker.challenge(node), 1)), 30_000);
        assertEquals(List.of("invalid_signature"), List.copyOf(LoadClient.rejected(theirs.body()).values()), theirs.body());
        System.out.println("reliability.hostile.takeover status=" + takeover.status() + " owner_receipt=accepted attacker_receipt=invalid_signature");
    }

    private void unauthenticatedRequestsNamingADidCannotLockItOut(JarNode node, String nodeId) throws Exception {
        LoadClient victim = new LoadClient("did:sov:victim-" + UUID.randomUUID().toString().substring(0, 8));
        victim.enrol(node, TOKEN); // by the operator: spends none of the DID's permits
        LoadClient impostor = new LoadClient(victim.did);
        int hostile = 0;
        for (int i = 0; i < 30; i++) {
            assertEquals(201, send(node.port, ATTACKER, "POST", "/api/v1/pouw/challenges",
                    "{\"client_did\":\"" + victim.did + "\",\"capabilities\":[\"hash\"]}", null).status());
            Raw forged = send(node.port, ATTACKER, "POST", "/api/v1/pouw/disputes", impostor.dispute("", "Other", "forged " + i), null);
            assertEquals(401, forged.status(), forged.body());
            assertEquals(409, send(node.port, ATTACKER, "POST", "/api/v1/pouw/clients", impostor.selfEnrolment(nodeId), null).status());
            hostile += 3;
        }
        // Every permit of the DID is still there for the victim itself.
        for (int i = 0; i < PER_DID; i++) {
            Raw own = send(node.port, OPERATOR, "POST", "/api/v1/pouw/disputes", victim.dispute("", "Other", "mine " + i), null);
            assertEquals(201, own.status(), "the victim's own signed filing " + i + " after " + hostile + " hostile requests: " + own.body());
        }
        assertEquals(201, send(node.port, OPERATOR, "POST", "/api/v1/pouw/challenges",
                "{\"client_did\":\"" + victim.did + "\",\"capabilities\":[\"hash\"]}", null).status(), "challenges spend no DID permit");
        Raw sixth = send(node.port, OPERATOR, "POST", "/api/v1/pouw/disputes", victim.dispute("", "Other", "one too many"), null);
        assertEquals(429, sixth.status(), "the victim's own requests do spend its permits: " + sixth.body());
        assertTrue(sixth.header("Retry-After") != null, sixth.head());
        System.out.println("reliability.hostile.did_lockout hostile_requests=" + hostile + " victim_signed_ok=" + PER_DID + " victim_429_before_own_limit=0");
    }

    private void aSignedDisputeFiledFiveTimesIsOneDispute(JarNode node) throws Exception {
        LoadClient client = new LoadClient("did:sov:disputer-" + UUID.randomUUID().toString().substring(0, 8));
        client.enrol(node, TOKEN);
        String filing = client.dispute("", "RewardNotReceived", "where is my reward?");
        assertEquals(201, send(node.port, OPERATOR, "POST", "/api/v1/pouw/disputes", filing, null).status());
        for (int i = 0; i < 4; i++) {
            Raw replay = send(node.port, ATTACKER, "POST", "/api/v1/pouw/disputes", filing, null);
            assertEquals(409, replay.status(), replay.body());
            assertTrue(replay.body().contains("\"type\":\"urn:pouw:problem:dispute_replayed\""), replay.body());
        }
        JarNode.Response listed = JarNode.call("GET", node.port, "/api/v1/pouw/disputes?client_did=" + client.did, null, TOKEN);
        assertEquals(1, listed.body().split("\"dispute_id\"", -1).length - 1, "five posts, one dispute: " + listed.body());

        String v1 = "{\"client_did\":\"" + client.did + "\",\"dispute_type\":\"Other\",\"description\":\"x\",\"signature\":\"00\"}";
        Raw old = send(node.port, OPERATOR, "POST", "/api/v1/pouw/disputes", v1, null);
        assertEquals(400, old.status(), old.body());
        assertTrue(old.body().contains("nonce and timestamp are required"), old.body());
        String stale = filing.replaceAll("\"timestamp\":\\d+", "\"timestamp\":" + (System.currentTimeMillis() / 1000 - 3600));
        Raw late = send(node.port, OPERATOR, "POST", "/api/v1/pouw/disputes", stale, null);
        assertEquals(400, late.status(), late.body());
        assertTrue(late.body().contains("\"type\":\"urn:pouw:problem:stale_timestamp\""), late.body());
        System.out.println("reliability.hostile.dispute_replay posts=5 disputes=1");
    }

    private void wrongAdminTokensAreThrottledAndLoggedOncePerWindow(JarNode node) throws Exception {
        int forbidden = 0;
        int throttled = 0;
        String retryAfter = null;
        for (int i = 0; i < 50; i++) {
            Raw r = send(node.port, ATTACKER, "GET", "/api/v1/admin/blocked-dids", null, "guess-" + i + "-0123456789abcdef");
            if (r.status() == 403) {
                forbidden++;
            } else {
                assertEquals(429, r.status(), r.body());
                assertTrue(r.header("Content-Type").startsWith("application/problem+json"), r.head());
                retryAfter = r.header("Retry-After");
                throttled++;
            }
        }
        assertEquals(ADMIN_FAILURES, forbidden, "only the allowed failures were even looked at");
        assertEquals(50 - ADMIN_FAILURES, throttled);
        assertTrue(retryAfter != null && Long.parseLong(retryAfter) >= 1, "Retry-After " + retryAfter);
        assertEquals(429, send(node.port, ATTACKER, "GET", "/api/v1/admin/blocked-dids", null, TOKEN).status(),
                "the throttled address waits out its window, whatever it sends");
        assertEquals(200, send(node.port, OPERATOR, "GET", "/api/v1/admin/blocked-dids", null, TOKEN).status(),
                "the right token from another address still works");

        long warnLines = Files.readAllLines(node.log).stream().filter(l -> l.contains("invalid bearer token")).count();
        assertTrue(warnLines >= 1 && warnLines <= 2, warnLines + " log lines for 50 wrong tokens");
        System.out.println("reliability.hostile.admin_tokens wrong=50 forbidden=" + forbidden + " throttled=" + throttled + " log_lines=" + warnLines);
    }

    /** One HTTP/1.1 request from {@code localAddress} (a loopback alias) to the node on 127.0.0.1. */
    static Raw send(int port, String localAddress, String method, String path, String json, String bearer) throws IOException {
        byte[] bytes = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n")
                + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "\r\n";
        String answer = JarNode.exchange(localAddress, port, request, bytes);
        int split = answer.indexOf("\r\n\r\n") + 4;
        return new Raw(Integer.parseInt(answer.substring(9, 12)), answer.substring(0, split), answer.substring(split));
    }
}
