package network.sovereign.pouw.application.port.in;

import java.util.OptionalLong;
import network.sovereign.pouw.application.port.out.AuditEvent;

/** Reads the admin audit trail (SPEC §4 {@code GET /audit}), newest first. */
public interface ListAuditUseCase {

    /**
     * One page of the audit trail.
     *
     * @param beforeId the last id of the previous page, empty for the newest entries
     * @param limit    1..{@link Page#MAX_LIMIT}
     */
    Page<AuditEvent> list(OptionalLong beforeId, int limit);
}
