package network.sovereign.pouw.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * One unit of useful work a client claims (pouw.v1 {@code Receipt}). The client signs its canonical
 * encoding. {@code uint64} fields are carried in {@code long}s and compared as unsigned.
 *
 * @param version        protocol version, 1
 * @param taskId         the challenge's task
 * @param clientDid      the client's DID
 * @param clientNodeId   the client's node id (opaque)
 * @param providerId     who provided the content (opaque)
 * @param contentId      what was verified, never empty
 * @param proofType      how it was verified
 * @param bytesVerified  bytes verified (uint64)
 * @param resultOk       whether the content verified
 * @param startedAt      unix seconds (uint64)
 * @param finishedAt     unix seconds (uint64)
 * @param receiptNonce   fresh per receipt, 16..32 bytes
 * @param challengeNonce the challenge answered
 * @param aux            auxiliary proof data; present (even if empty) or absent, as sent
 */
public record Receipt(int version, Bytes taskId, String clientDid, Bytes clientNodeId, Bytes providerId,
                      Bytes contentId, ProofType proofType, long bytesVerified, boolean resultOk, long startedAt,
                      long finishedAt, Bytes receiptNonce, Bytes challengeNonce, Optional<Aux> aux) {

    /** Checks that nothing is null (shape rules are {@link ReceiptRules}' business). */
    public Receipt {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(clientNodeId, "clientNodeId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(proofType, "proofType");
        Objects.requireNonNull(receiptNonce, "receiptNonce");
        Objects.requireNonNull(challengeNonce, "challengeNonce");
        Objects.requireNonNull(aux, "aux");
    }
}
