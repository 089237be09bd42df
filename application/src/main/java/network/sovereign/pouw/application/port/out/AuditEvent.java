package network.sovereign.pouw.application.port.out;

import java.util.Objects;

/**
 * A recorded {@link AuditEntry} with its position in the audit trail (ids grow with every entry).
 *
 * @param id    the entry's id, the cursor of {@link AdminAudit#list}
 * @param entry what was recorded
 */
public record AuditEvent(long id, AuditEntry entry) {

    /** Checks that the entry is present. */
    public AuditEvent {
        Objects.requireNonNull(entry, "entry");
    }
}
