package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.ADMIN_AUDIT;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.out.AdminAudit;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.AuditEvent;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The audit trail in {@code admin_audit} on PostgreSQL and H2: one row per admin action, ids from the
 * identity column, listed newest first by id.
 */
final class JooqAdminAudit implements AdminAudit {

    private final DatabaseAccess db;

    JooqAdminAudit(DatabaseAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public void record(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        db.call("record admin action", dsl -> {
            insert(dsl, entry);
            return null;
        });
    }

    @Override
    public List<AuditEvent> list(int limit, OptionalLong beforeId) {
        Objects.requireNonNull(beforeId, "beforeId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        Condition before = beforeId.isPresent() ? ADMIN_AUDIT.ID.lt(beforeId.getAsLong()) : DSL.noCondition();
        return db.call("list admin actions", dsl -> dsl.selectFrom(ADMIN_AUDIT)
                .where(before)
                .orderBy(ADMIN_AUDIT.ID.desc())
                .limit(limit)
                .fetch(r -> new AuditEvent(r.getId(), new AuditEntry(r.getActor(), r.getAction(),
                        Optional.ofNullable(r.getTarget()), Optional.ofNullable(r.getReason()),
                        Optional.ofNullable(r.getDetails()), r.getCreatedAt()))));
    }

    /** Inserts the entry with {@code dsl}, which may be another store's transaction. */
    static void insert(DSLContext dsl, AuditEntry entry) {
        dsl.insertInto(ADMIN_AUDIT)
                .set(ADMIN_AUDIT.ACTOR, entry.actor())
                .set(ADMIN_AUDIT.ACTION, entry.action())
                .set(ADMIN_AUDIT.TARGET, entry.target().orElse(null))
                .set(ADMIN_AUDIT.REASON, entry.reason().orElse(null))
                .set(ADMIN_AUDIT.DETAILS, entry.details().orElse(null))
                .set(ADMIN_AUDIT.CREATED_AT, entry.at())
                .execute();
    }
}
