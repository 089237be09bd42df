package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCKED_DIDS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCK_EVENTS;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.BlockList;
import network.sovereign.pouw.application.port.out.BlockedDid;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Blocks on PostgreSQL and H2: a DID is blocked while it has a row in {@code blocked_dids}; every
 * change adds a {@code block_events} row, and every call an {@code admin_audit} row, in the same
 * transaction as the change.
 */
final class JooqBlockList implements BlockList {

    /** Tries of a block that lost a race against a concurrent block of the same DID (H2's MERGE may say so). */
    private static final int MAX_ATTEMPTS = 3;

    private final DatabaseAccess db;
    private final java.util.function.Consumer<String> changed;

    JooqBlockList(DatabaseAccess db) {
        this(db, did -> { });
    }

    /** A block list that tells {@code changed} about every DID it blocked or unblocked (after the commit). */
    JooqBlockList(DatabaseAccess db, java.util.function.Consumer<String> changed) {
        this.db = Objects.requireNonNull(db, "db");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    @Override
    public boolean block(String did, Optional<String> reason, String actor, Instant at, AuditEntry audit) {
        check(did, reason, actor, at, audit);
        for (int attempt = 1; ; attempt++) {
            try {
                boolean blocked = db.dsl().transactionResult(tx -> blockOnce(tx.dsl(), did, reason, actor, at, audit));
                changed.accept(did);
                return blocked;
            } catch (DataAccessException e) {
                boolean lostRace = SqlFailures.isUniqueViolation(e) || SqlFailures.isConcurrencyConflict(e);
                if (!lostRace || attempt == MAX_ATTEMPTS) {
                    throw db.failure("block DID", e);
                }
            }
        }
    }

    private static boolean blockOnce(DSLContext tx, String did, Optional<String> reason, String actor, Instant at, AuditEntry audit) {
        int inserted = tx.insertInto(BLOCKED_DIDS)
                .set(BLOCKED_DIDS.DID, did)
                .set(BLOCKED_DIDS.REASON, reason.orElse(null))
                .set(BLOCKED_DIDS.BLOCKED_BY, actor)
                .set(BLOCKED_DIDS.BLOCKED_AT, at)
                .onConflict(BLOCKED_DIDS.DID).doNothing()
                .execute();
        if (inserted > 0) {
            event(tx, did, "block", reason, actor, at);
        }
        JooqAdminAudit.insert(tx, audit);
        return inserted > 0;
    }

    @Override
    public boolean unblock(String did, String actor, Optional<String> reason, Instant at, AuditEntry audit) {
        check(did, reason, actor, at, audit);
        boolean unblocked = db.transaction("unblock DID", tx -> {
            int deleted = tx.deleteFrom(BLOCKED_DIDS).where(BLOCKED_DIDS.DID.eq(did)).execute();
            if (deleted > 0) {
                event(tx, did, "unblock", reason, actor, at);
            }
            JooqAdminAudit.insert(tx, audit);
            return deleted > 0;
        });
        changed.accept(did);
        return unblocked;
    }

    @Override
    public List<BlockedDid> blocked(Optional<String> afterDid, int limit) {
        Objects.requireNonNull(afterDid, "afterDid");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        Condition after = afterDid.isPresent() ? BLOCKED_DIDS.DID.gt(afterDid.get()) : DSL.noCondition();
        return db.call("list blocked DIDs", dsl -> dsl.selectFrom(BLOCKED_DIDS)
                .where(after)
                .orderBy(BLOCKED_DIDS.DID)
                .limit(limit)
                .fetch(r -> new BlockedDid(r.getDid(), Optional.ofNullable(r.getReason()), r.getBlockedBy(), r.getBlockedAt())));
    }

    @Override
    public long count() {
        return db.call("count blocked DIDs", dsl -> (long) dsl.fetchCount(BLOCKED_DIDS));
    }

    private static void event(DSLContext tx, String did, String action, Optional<String> reason, String actor, Instant at) {
        tx.insertInto(BLOCK_EVENTS)
                .set(BLOCK_EVENTS.DID, did)
                .set(BLOCK_EVENTS.ACTION, action)
                .set(BLOCK_EVENTS.REASON, reason.orElse(null))
                .set(BLOCK_EVENTS.ACTOR, actor)
                .set(BLOCK_EVENTS.CREATED_AT, at)
                .execute();
    }

    private static void check(String did, Optional<String> reason, String actor, Instant at, AuditEntry audit) {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(audit, "audit");
        if (!JooqClientDirectory.storable(did)) {
            throw new IllegalArgumentException("a DID of at most 256 characters without NUL characters is required");
        }
    }
}
