package network.sovereign.pouw.application.service;

import java.time.Duration;

/**
 * How long the node keeps what (SPEC §11).
 *
 * @param challengeRetention expired challenges older than this are purged
 * @param nonceRetention     used nonces older than this are purged
 * @param receiptArchiveAge  receipts older than this move to the archive
 * @param archiveBatchSize   receipts moved per transaction
 * @param interval           how often the scheduled job runs
 */
public record RetentionSettings(Duration challengeRetention, Duration nonceRetention,
                                Duration receiptArchiveAge, int archiveBatchSize, Duration interval) {

    /** Checks the invariants. */
    public RetentionSettings {
        if (archiveBatchSize < 1) {
            throw new IllegalArgumentException("archiveBatchSize must be positive");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive");
        }
    }
}
