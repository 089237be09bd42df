package network.sovereign.pouw.adapters.web.api;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import network.sovereign.pouw.adapters.web.BodyMutator;
import network.sovereign.pouw.adapters.web.codec.DecodedBatch;
import network.sovereign.pouw.adapters.web.codec.MalformedMessageException;
import network.sovereign.pouw.adapters.web.codec.ProtobufCodec;
import network.sovereign.pouw.adapters.web.codec.proto.PouwV1;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the two receipt-batch decoders with seeded mutations of valid bodies: whatever the bytes,
 * a decoder either returns a batch (whose domain view can be built) or throws its own checked
 * "malformed" exception, which the HTTP layer answers with 400; never any other exception, which
 * would be a 500. Inputs that ever broke a decoder are kept in {@code fuzz-json.txt} and {@code fuzz-protobuf.txt} beside this class
 * and replayed first. RELIABILITY.md, scenario 4.
 *
 * <p>{@code -Dpouw.fuzz.iterations=N} sets the bodies per decoder (default 20,000 in the build; the
 * reliability run uses 100,000); {@code -Dpouw.fuzz.seed=S} the seed.
 */
class DecoderFuzzTest {

    private static final int ITERATIONS = Integer.getInteger("pouw.fuzz.iterations", 20_000);
    private static final long SEED = Long.getLong("pouw.fuzz.seed", 20261126L);
    private static final HexFormat HEX = HexFormat.of();

    /** What the decoder did with one body. */
    private interface Decoder {
        void decode(byte[] body) throws Exception;
    }

    private static void json(byte[] body) throws Exception {
        try {
            DecodedBatch batch = JsonWire.batch(JsonWire.object(body));
            batch.readable();
        } catch (WireFormatException expected) {
            // Answered 400 malformed_receipt.
        }
    }

    private static void protobuf(byte[] body) throws Exception {
        try {
            DecodedBatch batch = ProtobufCodec.decodeReceiptBatch(body);
            batch.readable();
        } catch (MalformedMessageException expected) {
            // Answered 400 malformed_receipt.
        }
    }

    static String jsonReceipt(String did, String nonce, boolean aux) {
        return "{\"receipt\":{\"version\":1,\"task_id\":\"" + "ab".repeat(16) + "\",\"client_did\":\"" + did
                + "\",\"client_node_id\":\"0102\",\"provider_id\":\"\",\"content_id\":\"" + "cd".repeat(32)
                + "\",\"proof_type\":\"" + (aux ? "merkle" : "hash") + "\",\"bytes_verified\":4096,\"result_ok\":true,"
                + "\"started_at\":1790000000,\"finished_at\":1790000001,\"receipt_nonce\":\"" + nonce
                + "\",\"challenge_nonce\":\"" + "ef".repeat(16) + "\""
                + (aux ? ",\"aux\":{\"merkle_root\":\"" + "11".repeat(32) + "\",\"proof_digest\":\"\"}" : "")
                + "},\"sig_scheme\":\"ed25519\",\"signature\":\"" + "22".repeat(64) + "\"}";
    }

    static List<byte[]> jsonSeeds() {
        String did = "did:sov:fuzz";
        return List.of(
                ("{\"version\":1,\"client_did\":\"" + did + "\",\"batch_nonce\":\"" + "33".repeat(16) + "\",\"receipts\":["
                        + jsonReceipt(did, "44".repeat(16), false) + "," + jsonReceipt(did, "55".repeat(24), true) + "]}").getBytes(StandardCharsets.UTF_8),
                ("{\"version\":1,\"client_did\":\"" + did + "\",\"receipts\":[" + jsonReceipt(did, "66".repeat(32), true) + "]}")
                        .getBytes(StandardCharsets.UTF_8),
                "{\"version\":1,\"client_did\":\"did:zhtp:00\",\"receipts\":[]}".getBytes(StandardCharsets.UTF_8));
    }

    static List<byte[]> protobufSeeds() {
        PouwV1.Receipt.Builder receipt = PouwV1.Receipt.newBuilder().setVersion(1).setTaskId(bytes("ab", 16)).setClientDid("did:sov:fuzz")
                .setClientNodeId(bytes("01", 2)).setContentId(bytes("cd", 32)).setProofType(PouwV1.ProofType.PROOF_MERKLE)
                .setBytesVerified(4096).setResultOk(true).setStartedAt(1_790_000_000L).setFinishedAt(1_790_000_001L)
                .setReceiptNonce(bytes("44", 16)).setChallengeNonce(bytes("ef", 16))
                .setAux(PouwV1.Aux.newBuilder().setMerkleRoot(bytes("11", 32)));
        PouwV1.SignedReceipt signed = PouwV1.SignedReceipt.newBuilder().setReceipt(receipt).setSigScheme("ed25519")
                .setSignature(bytes("22", 64)).build();
        PouwV1.SignedReceipt plain = PouwV1.SignedReceipt.newBuilder()
                .setReceipt(receipt.clearAux().setProofType(PouwV1.ProofType.PROOF_HASH).setReceiptNonce(bytes("55", 32)))
                .setSigScheme("ml-dsa-44").setSignature(bytes("33", 2420)).build();
        return List.of(
                PouwV1.ReceiptBatch.newBuilder().setVersion(1).setClientDid("did:sov:fuzz").setBatchNonce(bytes("77", 16))
                        .addReceipts(signed).addReceipts(plain).build().toByteArray(),
                PouwV1.ReceiptBatch.newBuilder().setVersion(1).setClientDid("did:sov:fuzz").addReceipts(signed).build().toByteArray(),
                PouwV1.ReceiptBatch.newBuilder().setVersion(1).setClientDid("did:sov:fuzz").build().toByteArray());
    }

    private static ByteString bytes(String hexByte, int n) {
        return ByteString.copyFrom(HEX.parseHex(hexByte.repeat(n)));
    }

    @Test
    void the_json_decoder_answers_every_mutated_body_with_a_batch_or_malformed() {
        fuzz("json", jsonSeeds(), DecoderFuzzTest::json);
    }

    @Test
    void the_protobuf_decoder_answers_every_mutated_body_with_a_batch_or_malformed() {
        fuzz("protobuf", protobufSeeds(), DecoderFuzzTest::protobuf);
    }

    @Test
    void kept_inputs_still_decode_or_are_malformed() {
        int replayed = replay("fuzz-json.txt", DecoderFuzzTest::json) + replay("fuzz-protobuf.txt", DecoderFuzzTest::protobuf);
        assertTrue(replayed > 0, "the kept inputs were found");
    }

    private static void fuzz(String name, List<byte[]> seeds, Decoder decoder) {
        BodyMutator mutator = new BodyMutator(SEED, seeds, 64 * 1024);
        List<String> findings = new ArrayList<>();
        for (byte[] seed : seeds) {
            check(decoder, seed, findings);
        }
        for (int i = 0; i < ITERATIONS; i++) {
            check(decoder, mutator.next(), findings);
        }
        System.out.printf(Locale.ROOT, "reliability.fuzz decoder=%s inputs=%d seed=%d findings=%d%n", name, ITERATIONS, SEED, findings.size());
        if (!findings.isEmpty()) {
            Path out = Path.of("target", "fuzz-findings-" + name + ".txt");
            try {
                Files.createDirectories(out.getParent());
                Files.write(out, findings);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fail(findings.size() + " inputs broke the " + name + " decoder (hex in " + out.toAbsolutePath() + "), first: " + findings.getFirst());
        }
    }

    private static void check(Decoder decoder, byte[] body, List<String> findings) {
        try {
            decoder.decode(body);
        } catch (Throwable t) {
            findings.add(HEX.formatHex(body) + " # " + t);
        }
    }

    /** Replays one kept-inputs file: a hex body per line ({@code EMPTY} for none), {@code #} comments. */
    private static int replay(String resource, Decoder decoder) {
        List<String> findings = new ArrayList<>();
        int count = 0;
        try (InputStream in = DecoderFuzzTest.class.getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " on the test class path");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String hex = line.replaceAll("#.*", "").strip();
                if (!hex.isEmpty()) {
                    check(decoder, hex.equals("EMPTY") ? new byte[0] : HEX.parseHex(hex), findings);
                    count++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(findings.isEmpty(), () -> "kept inputs break the decoder again: " + findings);
        return count;
    }
}
