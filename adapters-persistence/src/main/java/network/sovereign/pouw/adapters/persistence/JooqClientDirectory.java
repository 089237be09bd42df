package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.jooq.Tables.BLOCKED_DIDS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENTS;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CLIENT_KEYS;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.SigScheme;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.exception.DataAccessException;

/**
 * Clients and blocks on PostgreSQL and H2: the {@code clients} row holds the current key, every key a
 * client ever had stays in {@code client_keys} ({@code retired_at} set when a rotation replaced it),
 * and a DID is blocked while it has a row in {@code blocked_dids}.
 */
final class JooqClientDirectory implements ClientDirectory {

    /** Tries of an enrolment that lost a race against a concurrent enrolment of the same new DID. */
    private static final int MAX_ATTEMPTS = 3;

    private final DatabaseAccess db;

    JooqClientDirectory(DatabaseAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public Optional<ClientKey> findKey(String did) {
        Objects.requireNonNull(did, "did");
        if (!storable(did)) {
            return Optional.empty();
        }
        return db.call("find client key", dsl -> dsl.select(CLIENTS.SIG_SCHEME, CLIENTS.PUBLIC_KEY)
                .from(CLIENTS)
                .where(CLIENTS.DID.eq(did))
                .fetchOptional()
                .map(r -> new ClientKey(did, scheme(r.value1()), Bytes.of(r.value2()))));
    }

    @Override
    public boolean isBlocked(String did) {
        Objects.requireNonNull(did, "did");
        if (!storable(did)) {
            return false;
        }
        return db.call("check blocked DID", dsl -> dsl.fetchExists(BLOCKED_DIDS, BLOCKED_DIDS.DID.eq(did)));
    }

    @Override
    public boolean enrol(ClientKey key, Instant at) {
        return enrol(key, at, Optional.empty(), Optional.empty()) == EnrolOutcome.CREATED;
    }

    @Override
    public EnrolOutcome enrol(ClientKey key, Instant at, Function<EnrolOutcome, AuditEntry> audit) {
        return enrol(key, at, Optional.of(Objects.requireNonNull(audit, "audit")), Optional.empty());
    }

    @Override
    public EnrolOutcome enrolUnlessTaken(ClientKey key, Instant at, Function<ClientKey, AuditEntry> conflictAudit) {
        return enrol(key, at, Optional.empty(), Optional.of(Objects.requireNonNull(conflictAudit, "conflictAudit")));
    }

    /**
     * @param audit         the admin's entry, made from the outcome (admin path)
     * @param conflictAudit present: never rotate; a different current key is a CONFLICT audited with this
     */
    private EnrolOutcome enrol(ClientKey key, Instant at, Optional<Function<EnrolOutcome, AuditEntry>> audit,
                               Optional<Function<ClientKey, AuditEntry>> conflictAudit) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        if (!storable(key.did())) {
            throw new IllegalArgumentException("a DID of at most 256 characters without NUL characters is required");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return db.dsl().transactionResult(tx -> {
                    EnrolOutcome outcome = enrolOnce(tx.dsl(), key, at, conflictAudit);
                    // The admin's audit entry commits or rolls back with the enrolment.
                    audit.ifPresent(make -> JooqAdminAudit.insert(tx.dsl(), make.apply(outcome)));
                    return outcome;
                });
            } catch (DataAccessException e) {
                // A concurrent enrolment of the same new DID won (H2 may answer its MERGE with a unique
                // violation): run again, which now finds the client row and rotates or keeps the key.
                boolean lostRace = SqlFailures.isUniqueViolation(e) || SqlFailures.isConcurrencyConflict(e);
                if (!lostRace || attempt == MAX_ATTEMPTS) {
                    throw db.failure("enrol client", e);
                }
            }
        }
    }

    private static EnrolOutcome enrolOnce(DSLContext tx, ClientKey key, Instant at, Optional<Function<ClientKey, AuditEntry>> conflictAudit) {
        Record2<String, byte[]> current = currentKeyForUpdate(tx, key.did());
        if (current == null) {
            int inserted = tx.insertInto(CLIENTS)
                    .set(CLIENTS.DID, key.did())
                    .set(CLIENTS.SIG_SCHEME, key.scheme().wireName())
                    .set(CLIENTS.PUBLIC_KEY, key.publicKey().toArray())
                    .set(CLIENTS.ENROLLED_AT, at)
                    .set(CLIENTS.UPDATED_AT, at)
                    .onConflict(CLIENTS.DID).doNothing()
                    .execute();
            if (inserted > 0) {
                addKey(tx, key, at);
                return EnrolOutcome.CREATED;
            }
            // Enrolled concurrently since our read (PostgreSQL waited for that commit): compare with that key.
            current = currentKeyForUpdate(tx, key.did());
            if (current == null) {
                throw new IllegalStateException("client " + key.did() + " neither inserted nor found");
            }
        }
        boolean sameKey = key.scheme().wireName().equals(current.value1())
                && Arrays.equals(key.publicKey().toArray(), current.value2());
        if (sameKey) {
            return EnrolOutcome.UNCHANGED;
        }
        if (conflictAudit.isPresent()) {
            // A self-enrolment never replaces a key: the row stays as it is, the attempt is audited.
            JooqAdminAudit.insert(tx, conflictAudit.get().apply(new ClientKey(key.did(), scheme(current.value1()), Bytes.of(current.value2()))));
            return EnrolOutcome.CONFLICT;
        }
        rotate(tx, key, at);
        return EnrolOutcome.ROTATED;
    }

    /** The client row's scheme and key, locked until the transaction ends; null when not enrolled. */
    private static Record2<String, byte[]> currentKeyForUpdate(DSLContext tx, String did) {
        return tx.select(CLIENTS.SIG_SCHEME, CLIENTS.PUBLIC_KEY)
                .from(CLIENTS)
                .where(CLIENTS.DID.eq(did))
                .forUpdate()
                .fetchOne();
    }

    /** Retires the current key in the history, adds the new one and makes it the client's key. */
    private static void rotate(DSLContext tx, ClientKey key, Instant at) {
        tx.update(CLIENT_KEYS)
                .set(CLIENT_KEYS.RETIRED_AT, at)
                .where(CLIENT_KEYS.DID.eq(key.did()))
                .and(CLIENT_KEYS.RETIRED_AT.isNull())
                .execute();
        addKey(tx, key, at);
        tx.update(CLIENTS)
                .set(CLIENTS.SIG_SCHEME, key.scheme().wireName())
                .set(CLIENTS.PUBLIC_KEY, key.publicKey().toArray())
                .set(CLIENTS.UPDATED_AT, at)
                .where(CLIENTS.DID.eq(key.did()))
                .execute();
    }

    private static void addKey(DSLContext tx, ClientKey key, Instant at) {
        tx.insertInto(CLIENT_KEYS)
                .set(CLIENT_KEYS.DID, key.did())
                .set(CLIENT_KEYS.SIG_SCHEME, key.scheme().wireName())
                .set(CLIENT_KEYS.PUBLIC_KEY, key.publicKey().toArray())
                .set(CLIENT_KEYS.ADDED_AT, at)
                .execute();
    }

    private static SigScheme scheme(String wireName) {
        return SigScheme.fromWireName(wireName)
                .orElseThrow(() -> new IllegalStateException("clients row with unknown sig_scheme '" + wireName + "'"));
    }

    /** True when the DID fits the DID columns: at most 256 characters, no NUL (PostgreSQL refuses it in text). */
    static boolean storable(String did) {
        return did.length() <= 256 && did.indexOf('\0') < 0;
    }
}
