package network.sovereign.pouw.application.service;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.in.ReloadNodeUseCase;
import network.sovereign.pouw.application.port.out.AdminAudit;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.NodeReloader;

/** Runs the node's reload for an admin and records the attempt, success or refusal, in the audit trail. */
public final class ReloadNodeService implements ReloadNodeUseCase {

    /** The audit action. */
    public static final String AUDIT_ACTION = "reload";

    private final NodeReloader reloader;
    private final AdminAudit audit;
    private final Clock clock;

    /** Creates the service. */
    public ReloadNodeService(NodeReloader reloader, AdminAudit audit, Clock clock) {
        this.reloader = Objects.requireNonNull(reloader, "reloader");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ReloadResult reload(String actor) {
        Objects.requireNonNull(actor, "actor");
        ReloadResult result;
        try {
            reloader.reload();
            result = new ReloadResult.Reloaded();
        } catch (RuntimeException e) {
            result = new ReloadResult.Failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        String details = switch (result) {
            case ReloadResult.Reloaded ok -> "{\"ok\":true}";
            case ReloadResult.Failed failed -> "{\"ok\":false,\"error\":\"" + jsonText(failed.detail()) + "\"}";
        };
        audit.record(new AuditEntry(actor, AUDIT_ACTION, Optional.empty(), Optional.empty(),
                Optional.of(details),
                clock.instant()));
        return result;
    }

    private static String jsonText(String text) {
        StringBuilder out = new StringBuilder();
        // At most 500 characters, so that even fully escaped the details fit their column.
        for (char c : (text.length() > 500 ? text.substring(0, 500) : text).toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c < 0x20 || c == 0 ? ' ' : c);
            }
        }
        return out.toString();
    }
}
