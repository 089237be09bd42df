package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.util.Objects;
import network.sovereign.pouw.domain.Bytes;

/**
 * An accepted receipt as stored, enough to tell an identical retry from a nonce reuse.
 *
 * @param receiptId      its id
 * @param clientDid      who submitted it
 * @param receiptNonce   its nonce
 * @param canonicalBytes the signed bytes
 * @param rewardAtoms    the credit it earned
 * @param signature      the signature it was accepted with (empty when only the nonce row is left)
 */
public record StoredReceipt(String receiptId, String clientDid, Bytes receiptNonce, Bytes canonicalBytes, BigInteger rewardAtoms,
                            Bytes signature) {

    /** Checks that nothing is null. */
    public StoredReceipt {
        Objects.requireNonNull(receiptId, "receiptId");
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(receiptNonce, "receiptNonce");
        Objects.requireNonNull(canonicalBytes, "canonicalBytes");
        Objects.requireNonNull(rewardAtoms, "rewardAtoms");
        Objects.requireNonNull(signature, "signature");
    }
}
