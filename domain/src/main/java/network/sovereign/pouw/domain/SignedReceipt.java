package network.sovereign.pouw.domain;

import java.util.Objects;

/**
 * A receipt with the client's signature over its canonical encoding (pouw.v1 {@code SignedReceipt}).
 *
 * @param receipt   the receipt
 * @param sigScheme the {@code sig_scheme} string as sent (may name no known scheme)
 * @param signature the raw signature
 */
public record SignedReceipt(Receipt receipt, String sigScheme, Bytes signature) {

    /** Checks that nothing is null. */
    public SignedReceipt {
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(sigScheme, "sigScheme");
        Objects.requireNonNull(signature, "signature");
    }
}
