package network.sovereign.pouw.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.Receipt;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.SignedReceipt;
import network.sovereign.pouw.domain.SigScheme;

/**
 * An enrolled client for the reliability scenarios: takes challenges, signs hash receipts of 2048
 * bytes (reward 10^12 atoms each), builds JSON batches and reads the per-receipt answers.
 */
final class LoadClient {

    static final long REWARD = 1_000_000_000_000L;
    static final long BYTES = 2048;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ACCEPTED = Pattern.compile(
            "\\{\"receipt_nonce\":\"([0-9a-f]+)\",\"receipt_id\":\"([^\"]+)\",\"reward_atoms\":\"(\\d+)\",\"replayed\":(true|false)}");
    // Each rejected item names its stored rejection (receipt_id, null when nothing was stored).
    private static final Pattern REJECTED = Pattern.compile(
            "\\{\"receipt_nonce\":\"([0-9a-f]*)\",\"receipt_id\":(?:null|\"[^\"]+\"),\"reason\":\"([a-z_]+)\"");

    /** An HTTP answer with the headers the scenarios look at and how long it took. */
    record Answer(int status, String body, String retryAfter, String contentType, long millis) {
    }

    /** One receipt's answer inside a 200. */
    record Accepted(String nonce, String receiptId, long reward, boolean replayed) {
    }

    final String did;
    private final ClientKeyPair keys;

    LoadClient(String did) {
        this.did = did;
        this.keys = ClientKeyPair.generate(SigScheme.ED25519, RANDOM);
    }

    /** Enrols the client through the admin API. */
    void enrol(JarNode node, String adminToken) throws IOException {
        JarNode.Response r = node.post("/api/v1/admin/clients", "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\""
                + HexFormat.of().formatHex(keys.publicKey()) + "\"}", adminToken);
        assertEquals(201, r.status(), r.body());
    }

    /** The self-enrolment body of {@code POST /api/v1/pouw/clients}: this client's key and its proof for the node. */
    String selfEnrolment(String nodeIdHex) {
        byte[] proof = keys.sign(("pouw-enroll:v1:" + did + ":" + nodeIdHex).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "{\"did\":\"" + did + "\",\"sig_scheme\":\"ed25519\",\"public_key\":\"" + HexFormat.of().formatHex(keys.publicKey())
                + "\",\"proof\":\"" + HexFormat.of().formatHex(proof) + "\"}";
    }

    /** A dispute filing signed by this client (pouw-dispute:v2, fresh nonce, current time); {@code receiptId} empty for none. */
    String dispute(String receiptId, String type, String description) {
        return DisputeFiling.json(did, receiptId, type, description, DisputeFiling.sign(keys, did, receiptId, type, description));
    }

    /** A fresh challenge: {task_id, challenge_nonce}. */
    Bytes[] challenge(JarNode node) throws IOException {
        JarNode.Response challenge = node.post("/api/v1/pouw/challenges", "{\"client_did\":\"" + did + "\",\"capabilities\":[\"hash\"]}", null);
        assertEquals(201, challenge.status(), challenge.body());
        return new Bytes[] {Bytes.fromHex(JarNode.field(challenge.body(), "task_id")), Bytes.fromHex(JarNode.field(challenge.body(), "challenge_nonce"))};
    }

    /** {@code count} signed receipts under one challenge, each as its SignedReceipt JSON. */
    List<String> receipts(Bytes[] challenge, int count) {
        return signedReceipts(challenge, count).stream().map(LoadClient::json).toList();
    }

    /** {@code count} signed receipts under one challenge. */
    List<SignedReceipt> signedReceipts(Bytes[] challenge, int count) {
        List<SignedReceipt> receipts = new ArrayList<>(count);
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < count; i++) {
            Receipt r = new Receipt(1, challenge[0], did, Bytes.EMPTY, Bytes.EMPTY, random(16), ProofType.HASH, BYTES, true, now, now,
                    random(16), challenge[1], Optional.empty());
            receipts.add(new SignedReceipt(r, "ed25519", Bytes.of(keys.sign(CanonicalEncoding.encode(r)))));
        }
        return receipts;
    }

    /** This client's signature over a receipt, as a SignedReceipt. */
    SignedReceipt sign(Receipt receipt) {
        return new SignedReceipt(receipt, "ed25519", Bytes.of(keys.sign(CanonicalEncoding.encode(receipt))));
    }

    /** A signed hash receipt as its SignedReceipt JSON. */
    static String json(SignedReceipt signed) {
        Receipt r = signed.receipt();
        return "{\"receipt\":{\"version\":" + r.version() + ",\"task_id\":\"" + r.taskId().hex() + "\",\"client_did\":\"" + r.clientDid()
                + "\",\"content_id\":\"" + r.contentId().hex() + "\",\"proof_type\":\"" + r.proofType().jsonName() + "\",\"bytes_verified\":"
                + Long.toUnsignedString(r.bytesVerified()) + ",\"result_ok\":" + r.resultOk() + ",\"started_at\":" + Long.toUnsignedString(r.startedAt())
                + ",\"finished_at\":" + Long.toUnsignedString(r.finishedAt())
                + ",\"receipt_nonce\":\"" + r.receiptNonce().hex() + "\",\"challenge_nonce\":\"" + r.challengeNonce().hex()
                + "\"},\"sig_scheme\":\"" + signed.sigScheme() + "\",\"signature\":\"" + signed.signature().hex() + "\"}";
    }

    /** A binary pouw.v1 ReceiptBatch of these receipts. */
    byte[] protobufBatch(List<SignedReceipt> receipts) {
        return CanonicalEncoding.encode(new ReceiptBatch(1, did, random(16), receipts));
    }

    /** A batch body of these receipts. */
    String batch(List<String> receipts) {
        return "{\"version\":1,\"client_did\":\"" + did + "\",\"batch_nonce\":\"" + random(16).hex() + "\",\"receipts\":["
                + String.join(",", receipts) + "]}";
    }

    /** The receipt nonce of a SignedReceipt JSON built by {@link #receipts}. */
    static String nonceOf(String receiptJson) {
        Matcher m = Pattern.compile("\"receipt_nonce\":\"([0-9a-f]+)\"").matcher(receiptJson);
        m.find();
        return m.group(1);
    }

    /** The accepted entries of a 200 answer. */
    static List<Accepted> accepted(String body) {
        List<Accepted> result = new ArrayList<>();
        Matcher m = ACCEPTED.matcher(body);
        while (m.find()) {
            result.add(new Accepted(m.group(1), m.group(2), Long.parseLong(m.group(3)), m.group(4).equals("true")));
        }
        return result;
    }

    /** nonce → reason of the rejected entries of a 200 answer. */
    static Map<String, String> rejected(String body) {
        Map<String, String> result = new LinkedHashMap<>();
        Matcher m = REJECTED.matcher(body);
        while (m.find()) {
            result.put(m.group(1) + "#" + result.size(), m.group(2));
        }
        return result;
    }

    /** One request with its headers and timing; a refused or reset connection throws. */
    static Answer send(int port, String method, String path, String contentType, byte[] body, int readTimeoutMillis) throws IOException {
        return send(port, method, path, contentType, body, readTimeoutMillis, Map.of());
    }

    /** Like {@link #send(int, String, String, String, byte[], int)}, with extra request headers. */
    static Answer send(int port, String method, String path, String contentType, byte[] body, int readTimeoutMillis,
                       Map<String, String> headers) throws IOException {
        long started = System.nanoTime();
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        c.setConnectTimeout(5_000);
        c.setReadTimeout(readTimeoutMillis);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", contentType);
            try (OutputStream os = c.getOutputStream()) {
                os.write(body);
            } catch (IOException e) {
                // The server may answer (413) and close before the whole body is written.
            }
        }
        try {
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(status, text, c.getHeaderField("Retry-After"), c.getContentType(), (System.nanoTime() - started) / 1_000_000);
            }
        } finally {
            c.disconnect();
        }
    }

    /** Posts a JSON batch. */
    static Answer submit(int port, String body, int readTimeoutMillis) throws IOException {
        return send(port, "POST", "/api/v1/pouw/receipts", "application/json", body.getBytes(StandardCharsets.UTF_8), readTimeoutMillis);
    }

    private static Bytes random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return Bytes.of(b);
    }
}
