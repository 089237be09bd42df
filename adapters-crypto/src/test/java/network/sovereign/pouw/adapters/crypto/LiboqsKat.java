package network.sovereign.pouw.adapters.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Renders entries the way liboqs's {@code tests/kat_sig.c} prints them ({@code count}, {@code seed},
 * {@code mlen}, {@code msg}, {@code pk}, {@code sk}, {@code smlen}, {@code sm = signature || msg}, upper-case
 * hex, a blank line between entries), so the SHA-256 of the text can be compared with the digests liboqs
 * keeps in {@code tests/KATs/sig/kats.json}.
 */
final class LiboqsKat {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final StringBuilder text = new StringBuilder();

    void entry(int count, byte[] seed, byte[] msg, byte[] pk, byte[] sk, byte[] signature) {
        if (count > 0) {
            text.append('\n');
        }
        byte[] sm = new byte[signature.length + msg.length];
        System.arraycopy(signature, 0, sm, 0, signature.length);
        System.arraycopy(msg, 0, sm, signature.length, msg.length);
        text.append("count = ").append(count).append('\n')
                .append("seed = ").append(HEX.formatHex(seed)).append('\n')
                .append("mlen = ").append(msg.length).append('\n')
                .append("msg = ").append(HEX.formatHex(msg)).append('\n')
                .append("pk = ").append(HEX.formatHex(pk)).append('\n')
                .append("sk = ").append(HEX.formatHex(sk)).append('\n')
                .append("smlen = ").append(sm.length).append('\n')
                .append("sm = ").append(HEX.formatHex(sm)).append('\n');
    }

    String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
