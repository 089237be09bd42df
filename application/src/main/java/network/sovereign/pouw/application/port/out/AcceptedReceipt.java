package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.SignedReceipt;
import network.sovereign.pouw.domain.SigScheme;

/**
 * A receipt that passed every check and is to be stored with its nonce, reward credit and budget use
 * in one transaction.
 *
 * @param receiptId      the id the node gives it
 * @param signed         the receipt and signature as received
 * @param canonicalBytes the bytes the signature covers
 * @param scheme         the verified scheme
 * @param rewardAtoms    the credit it earns
 * @param epoch          the reward epoch it counts in
 * @param submittedAt    when it was accepted
 * @param nodeId         the accepting node
 */
public record AcceptedReceipt(String receiptId, SignedReceipt signed, Bytes canonicalBytes, SigScheme scheme,
                              BigInteger rewardAtoms, long epoch, Instant submittedAt, Bytes nodeId) {

    /** Checks that nothing is null. */
    public AcceptedReceipt {
        Objects.requireNonNull(receiptId, "receiptId");
        Objects.requireNonNull(signed, "signed");
        Objects.requireNonNull(canonicalBytes, "canonicalBytes");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(rewardAtoms, "rewardAtoms");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
