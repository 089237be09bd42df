package network.sovereign.pouw.application.port.out;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.RejectionReason;

/** A receipt as the operator looks it up by id (SPEC §4 {@code GET /receipts/{receipt_id}}): accepted or rejected. */
public sealed interface ReceiptRecord {

    /** Its id: the receipt id, or the rejection id of a rejected one. */
    String receiptId();

    /**
     * An accepted receipt, from {@code receipts} or {@code receipts_archive}.
     *
     * @param receiptId      its id
     * @param clientDid      who submitted it
     * @param challengeNonce the challenge it answered
     * @param receiptNonce   its nonce
     * @param taskId         the challenge's task id
     * @param contentId      the content verified
     * @param proofType      JSON name of the proof type
     * @param bytesVerified  bytes verified (uint64 bit pattern)
     * @param resultOk       the client's verdict
     * @param startedAt      unix seconds, as signed (uint64 bit pattern)
     * @param finishedAt     unix seconds, as signed (uint64 bit pattern)
     * @param sigScheme      the verified scheme
     * @param signature      the signature as received
     * @param rewardAtoms    the credit it earned
     * @param epoch          its reward epoch
     * @param submittedAt    when it was submitted
     * @param validatedAt    when it was validated
     * @param nodeId         the node that accepted it
     * @param archived       true when read from {@code receipts_archive}
     */
    record Accepted(String receiptId, String clientDid, Bytes challengeNonce, Bytes receiptNonce, Bytes taskId, Bytes contentId,
                    String proofType, long bytesVerified, boolean resultOk, long startedAt, long finishedAt, String sigScheme,
                    Bytes signature, BigInteger rewardAtoms, long epoch, Instant submittedAt, Instant validatedAt, Bytes nodeId,
                    boolean archived) implements ReceiptRecord {
        /** Checks that nothing is null. */
        public Accepted {
            Objects.requireNonNull(receiptId, "receiptId");
            Objects.requireNonNull(clientDid, "clientDid");
            Objects.requireNonNull(rewardAtoms, "rewardAtoms");
            Objects.requireNonNull(submittedAt, "submittedAt");
        }
    }

    /**
     * A rejected receipt, from {@code rejections}.
     *
     * @param receiptId    the rejection id
     * @param reason       why
     * @param detail       the explanation given to the client
     * @param clientDid    the DID as claimed, when it could be stored
     * @param receiptNonce the nonce, when it could be read
     * @param sigScheme    the scheme as claimed, when the node knows it
     * @param submittedAt  when it was rejected
     * @param authenticated true when the receipt's signature verified with the DID's key (the DID's own
     *                      rejection); false when anyone could have sent it
     */
    record Rejected(String receiptId, RejectionReason reason, String detail, Optional<String> clientDid,
                    Optional<Bytes> receiptNonce, Optional<String> sigScheme, Instant submittedAt,
                    boolean authenticated) implements ReceiptRecord {
        /** Checks that nothing is null. */
        public Rejected {
            Objects.requireNonNull(receiptId, "receiptId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(clientDid, "clientDid");
            Objects.requireNonNull(receiptNonce, "receiptNonce");
            Objects.requireNonNull(sigScheme, "sigScheme");
            Objects.requireNonNull(submittedAt, "submittedAt");
        }
    }
}
