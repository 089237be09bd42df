package network.sovereign.pouw.application.port.out;

import java.time.Duration;
import java.time.Instant;

/**
 * Storage side of retention: purging expired challenges, old nonces and old rejections (each purge runs
 * until no matching row is left), moving old receipts to the
 * archive, and a lease so that only one node of a cluster runs the job at a time.
 */
public interface RetentionStore {

    /** Deletes (or, when {@code dryRun}, counts) challenges that expired before the cut-off. */
    long purgeChallengesExpiredBefore(Instant cutoff, boolean dryRun);

    /** Deletes (or counts) used nonces created before the cut-off. */
    long purgeNoncesCreatedBefore(Instant cutoff, boolean dryRun);

    /**
     * Deletes (or counts) rejections submitted before the cut-off, except those an open or
     * under-investigation dispute names (they stay until it is settled).
     */
    long purgeRejectionsSubmittedBefore(Instant cutoff, boolean dryRun);

    /**
     * Moves (or counts) receipts submitted before the cut-off into the archive, at most
     * {@code batchSize} rows per transaction, until none is left.
     */
    long archiveReceiptsSubmittedBefore(Instant cutoff, int batchSize, boolean dryRun);

    /**
     * Takes or renews the named lease for {@code holder} until {@code now + ttl}; false when another
     * holder has it and it has not expired.
     */
    boolean tryAcquireLease(String lease, String holder, Instant now, Duration ttl);

    /** Gives the lease up if {@code holder} has it. */
    void releaseLease(String lease, String holder);
}
