package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a page of a client's receipt history ends: history is ordered newest first by
 * {@code (submitted_at, receipt_id)}, and the next page starts strictly after this pair.
 *
 * @param submittedAt the last item's submission time
 * @param receiptId   the last item's id
 */
public record HistoryCursor(Instant submittedAt, String receiptId) {

    /** Checks that nothing is null. */
    public HistoryCursor {
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(receiptId, "receiptId");
    }
}
