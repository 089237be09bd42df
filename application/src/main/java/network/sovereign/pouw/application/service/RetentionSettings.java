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
 * @param rejectionRetention rejections older than this are purged (unless an unsettled dispute names them)
 */
public record RetentionSettings(Duration challengeRetention, Duration nonceRetention,
                                Duration receiptArchiveAge, int archiveBatchSize, Duration interval,
                                Duration rejectionRetention) {

    /** Rejections kept when nothing else is said ({@code POUW_REJECTION_RETENTION_DAYS}). */
    public static final Duration DEFAULT_REJECTION_RETENTION = Duration.ofDays(30);

    /** Checks the invariants. */
    public RetentionSettings {
        if (archiveBatchSize < 1) {
            throw new IllegalArgumentException("archiveBatchSize must be positive");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        if (rejectionRetention.isZero() || rejectionRetention.isNegative()) {
            throw new IllegalArgumentException("rejectionRetention must be positive");
        }
    }

    /** Settings with the default rejection retention. */
    public RetentionSettings(Duration challengeRetention, Duration nonceRetention, Duration receiptArchiveAge,
                             int archiveBatchSize, Duration interval) {
        this(challengeRetention, nonceRetention, receiptArchiveAge, archiveBatchSize, interval, DEFAULT_REJECTION_RETENTION);
    }
}
