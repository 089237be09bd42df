package network.sovereign.pouw.bootstrap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import network.sovereign.pouw.adapters.crypto.ClientKeyPair;

/**
 * A client's dispute signature as the spec defines it (pouw-dispute:v2, over a fresh nonce and the
 * current time), written by hand so the tests check the node against the documented text.
 *
 * @param signatureHex the signature, hex
 * @param nonce        the client nonce signed
 * @param timestamp    the unix time signed
 */
record DisputeFiling(String signatureHex, String nonce, long timestamp) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Signs with a fresh nonce and the current time. */
    static DisputeFiling sign(ClientKeyPair keys, String did, String receiptId, String type, String description) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return sign(keys, did, receiptId, type, description, HexFormat.of().formatHex(nonce), System.currentTimeMillis() / 1000);
    }

    /** Signs {@code "pouw-dispute:v2:" + did + ":" + receipt_id + ":" + type + ":" + sha256_hex(description) + ":" + nonce + ":" + timestamp}. */
    static DisputeFiling sign(ClientKeyPair keys, String did, String receiptId, String type, String description, String nonce, long timestamp) {
        String text = "pouw-dispute:v2:" + did + ":" + receiptId + ":" + type + ":" + sha256Hex(description) + ":" + nonce + ":" + timestamp;
        return new DisputeFiling(HexFormat.of().formatHex(keys.sign(text.getBytes(StandardCharsets.UTF_8))), nonce, timestamp);
    }

    /** The JSON members {@code "signature":..,"nonce":..,"timestamp":..} (no braces). */
    String fields() {
        return "\"signature\":\"" + signatureHex + "\",\"nonce\":\"" + nonce + "\",\"timestamp\":" + timestamp;
    }

    /** A whole filing body; {@code receiptId} empty for none. */
    static String json(String did, String receiptId, String type, String description, DisputeFiling signed) {
        return "{\"client_did\":\"" + did + "\"" + (receiptId.isEmpty() ? "" : ",\"receipt_id\":\"" + receiptId + "\"")
                + ",\"dispute_type\":\"" + type + "\",\"description\":\"" + description + "\"," + signed.fields() + "}";
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
