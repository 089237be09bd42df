package network.sovereign.pouw.application.service;

import java.util.Objects;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.ListAuditUseCase;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.AdminAudit;
import network.sovereign.pouw.application.port.out.AuditEvent;

/** Pages through the admin audit trail, newest first. */
public final class ListAuditService implements ListAuditUseCase {

    private final AdminAudit audit;

    /** Creates the service. */
    public ListAuditService(AdminAudit audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public Page<AuditEvent> list(OptionalLong beforeId, int limit) {
        Objects.requireNonNull(beforeId, "beforeId");
        Page.checkLimit(limit);
        return Page.of(audit.list(limit + 1, beforeId), limit);
    }
}
