package network.sovereign.pouw.application.port.out;

import java.util.List;
import java.util.OptionalLong;

/**
 * The audit trail of admin actions, shared by every node through the database. Implementations
 * throw {@link StoreUnavailableException} when they cannot answer.
 */
public interface AdminAudit {

    /** Appends one entry. */
    void record(AuditEntry entry);

    /**
     * The newest entries first.
     *
     * @param limit    at most this many (at least 1)
     * @param beforeId only entries with an id below this one (the last id of the previous page); empty for the newest
     */
    List<AuditEvent> list(int limit, OptionalLong beforeId);
}
