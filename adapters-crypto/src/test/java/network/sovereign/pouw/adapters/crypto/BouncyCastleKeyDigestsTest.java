package network.sovereign.pouw.adapters.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import network.sovereign.pouw.domain.Bytes;
import org.junit.jupiter.api.Test;

class BouncyCastleKeyDigestsTest {

    private final BouncyCastleKeyDigests digests = new BouncyCastleKeyDigests();

    @Test
    void blake3_256_matches_the_reference_vectors() {
        // Official BLAKE3 test vectors (hash mode, 32-byte output).
        assertEquals("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", digests.blake3(Bytes.EMPTY).hex());
        assertEquals("6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
                digests.blake3(Bytes.of("abc".getBytes(StandardCharsets.US_ASCII))).hex());
    }
}
