package network.sovereign.pouw.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Enrolled clients and blocks, shared by every node through the database. Implementations throw
 * {@link StoreUnavailableException} when they cannot answer.
 */
public interface ClientDirectory {

    /** The client's current key, if the DID is enrolled. */
    Optional<ClientKey> findKey(String did);

    /** True when the DID is blocked now. */
    boolean isBlocked(String did);

    /**
     * Enrols the DID with this key, or rotates its key (the old one is kept in the key history).
     *
     * @return true when the DID was new, false when its key was rotated or re-enrolled unchanged
     */
    boolean enrol(ClientKey key, Instant at);

    /** What an enrolment did. */
    enum EnrolOutcome {
        /** The DID was new. */
        CREATED,
        /** The DID's key was replaced (the old one stays in the key history). */
        ROTATED,
        /** The DID already had this key. */
        UNCHANGED,
        /** The DID has another key, which stays (only {@link #enrolUnlessTaken} answers this). */
        CONFLICT
    }

    /**
     * Enrols like {@link #enrol(ClientKey, Instant)} and appends the audit entry made from the outcome
     * in the same transaction (the admin path, SPEC §4 {@code POST /clients}).
     *
     * @param audit makes the {@code enrol_client} entry from what the enrolment did
     */
    EnrolOutcome enrol(ClientKey key, Instant at, Function<EnrolOutcome, AuditEntry> audit);

    /**
     * Self-enrolment: enrols the DID with this key if it is new, and never replaces a key. When the DID
     * has this key already nothing changes ({@code UNCHANGED}); when it has another, nothing changes
     * either but the audit entry made from the current key is appended ({@code CONFLICT}). The check
     * and the insert are one transaction with the client row locked, so of two first enrolments racing
     * for one DID exactly one creates it and the other is a conflict (or unchanged, for the same key).
     *
     * @param conflictAudit makes the audit entry of a refused takeover from the DID's current key
     * @return CREATED, UNCHANGED or CONFLICT
     */
    EnrolOutcome enrolUnlessTaken(ClientKey key, Instant at, Function<ClientKey, AuditEntry> conflictAudit);
}
