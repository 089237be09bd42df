package network.sovereign.pouw.application.port.out;

import java.time.Duration;
import java.util.function.LongSupplier;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;

/**
 * The node's business telemetry. Every meter exists from start (all rejection reasons at zero),
 * and no label ever carries a DID, an IP or a nonce.
 */
public interface ProtocolMetrics {

    /** Where a rate-limit denial applied. */
    enum RateLimitScope {
        IP("ip"), DID("did");

        private final String label;

        RateLimitScope(String label) {
            this.label = label;
        }

        /** The metric label value. */
        public String label() {
            return label;
        }
    }

    /** A receipt (or an unparseable body, counted as one) reached the node. */
    void receiptReceived();

    /** A receipt was accepted and credited. */
    void receiptAccepted();

    /** A receipt was rejected for a reason. */
    void receiptRejected(RejectionReason reason);

    /** A receipt identical to an accepted one was answered as a replay. */
    void receiptReplayed();

    /** A request was denied by a rate limiter. */
    void rateLimitDenied(RateLimitScope scope);

    /** A challenge was issued. */
    void challengeIssued();

    /** One signature verification took this long. */
    void signatureVerified(SigScheme scheme, Duration elapsed);

    /** Processing one receipt, from parse to answer, took this long. */
    void receiptProcessed(Duration elapsed);

    /** Reward atoms were credited to a ledger. */
    void rewardsCredited(long atoms);

    /** A dispute was filed. */
    void disputeOpened();

    /** A dispute was resolved. */
    void disputeResolved(DisputeResolutionType resolution);

    /** Registers the source of the {@code pouw_blocked_dids} gauge. */
    void blockedDidsGauge(LongSupplier currentlyBlocked);
}
