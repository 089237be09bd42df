package network.sovereign.pouw.adapters.web.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * Counts the receipts of a batch body without decoding them, and stops counting one past a limit, so
 * a body of millions of tiny elements costs a scan of its bytes and no allocation per element: the
 * transport answers 413 before it decodes anything. A body the scan cannot read is left to the
 * decoder, which names what is wrong.
 */
public final class BatchCount {

    /** {@code ReceiptBatch.receipts} (pouw.proto). */
    private static final int RECEIPTS_FIELD = 4;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private BatchCount() {
    }

    /**
     * The number of {@code receipts} entries of a binary {@code ReceiptBatch}, or {@code stopAfter + 1}
     * as soon as there are more than {@code stopAfter}; {@code -1} when the bytes cannot be scanned.
     */
    public static int protobuf(byte[] body, int stopAfter) {
        CodedInputStream in = CodedInputStream.newInstance(body);
        int count = 0;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == RECEIPTS_FIELD) {
                    if (++count > stopAfter) {
                        return count;
                    }
                }
                if (!in.skipField(tag)) {
                    return -1;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return count;
    }

    /**
     * The number of elements of the top-level {@code receipts} array of a JSON body (all such arrays,
     * should the key repeat), or {@code stopAfter + 1} as soon as there are more than
     * {@code stopAfter}; {@code -1} when the body is not a JSON object the scan can read.
     */
    public static int json(byte[] body, int stopAfter) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            int count = 0;
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                boolean receipts = "receipts".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (receipts && value == JsonToken.START_ARRAY) {
                    for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                        if (item == null) {
                            return -1;
                        }
                        if (++count > stopAfter) {
                            return count;
                        }
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return count;
        } catch (IOException e) {
            return -1;
        }
    }
}
