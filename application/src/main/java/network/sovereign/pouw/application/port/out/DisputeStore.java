package network.sovereign.pouw.application.port.out;

import java.util.List;
import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.DisputeStatus;

/**
 * Disputes and their events, shared by every node through the database. Status changes are
 * conditional ({@code UPDATE ... WHERE status = expected}), so of two nodes settling one dispute at
 * once exactly one succeeds. Implementations throw {@link StoreUnavailableException} when they
 * cannot answer.
 */
public interface DisputeStore {

    /**
     * Stores a newly filed dispute (status open) with its signature, the client's nonce and signing
     * time, and its filing event, in one transaction. A unique key on (client DID, nonce) decides
     * replays, across nodes too.
     *
     * @param clientNonce the nonce the client signed, 16..64 characters
     * @param signedAt    the timestamp the client signed, unix seconds
     * @return true when stored; false when this client has used this nonce already (nothing is stored)
     */
    boolean file(Dispute dispute, Bytes signature, String clientNonce, long signedAt);

    /**
     * True when {@code receiptId} names an accepted receipt, an archived one or a rejection of this
     * client.
     */
    boolean isReceiptOf(String receiptId, String clientDid);

    /** The dispute, if it exists. */
    Optional<Dispute> find(String disputeId);

    /** The dispute's events, oldest first. */
    List<DisputeEvent> events(String disputeId);

    /**
     * Disputes newest first.
     *
     * @param status    only disputes in this status
     * @param clientDid only disputes of this client
     * @param after     only disputes after this position (the last of the previous page)
     * @param limit     at most this many (at least 1)
     */
    List<Dispute> list(Optional<DisputeStatus> status, Optional<String> clientDid, Optional<DisputeCursor> after, int limit);

    /**
     * Applies the change if the dispute is still in {@code transition.expected()}: status and
     * settlement, event, compensation credit and audit entry commit together, or nothing does.
     *
     * @return the dispute after the change; empty when it was not in the expected status (or does not exist)
     */
    Optional<Dispute> transition(DisputeTransition transition);
}
