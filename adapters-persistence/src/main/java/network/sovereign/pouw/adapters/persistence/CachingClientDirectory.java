package network.sovereign.pouw.adapters.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;

/**
 * The client directory with the submit path's two hot reads (the DID's key and whether it is blocked)
 * answered from memory for at most {@link #DEFAULT_TTL}, the same staleness as the live settings: a key
 * rotated or a DID blocked on another node applies here within that time; on this node at once, since
 * enrolments through this directory and blocks through this module's block list drop the DID's entry.
 * At most {@code maxEntries} DIDs are held (least recently used first out), so memory does not grow
 * with the number of DIDs asked about.
 */
final class CachingClientDirectory implements ClientDirectory {

    /** How stale a cached key or block status may be. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(2);
    /** How many DIDs are held at most. */
    static final int DEFAULT_MAX_ENTRIES = 20_000;

    private record Cached(Optional<ClientKey> key, boolean blocked, long expiresAtNanos) {
    }

    private final ClientDirectory delegate;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Cached> entries;
    /** Counts invalidations (guarded by {@code entries}). */
    private long generation;

    CachingClientDirectory(ClientDirectory delegate, Duration ttl, int maxEntries, LongSupplier nanoClock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (maxEntries < 1 || ttl.isNegative()) {
            throw new IllegalArgumentException("maxEntries must be positive and ttl not negative");
        }
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public Optional<ClientKey> findKey(String did) {
        return entry(did).key();
    }

    @Override
    public boolean isBlocked(String did) {
        return entry(did).blocked();
    }

    private Cached entry(String did) {
        Objects.requireNonNull(did, "did");
        long now = nanoClock.getAsLong();
        long generationBefore;
        synchronized (entries) {
            Cached cached = entries.get(did);
            if (cached != null && now - cached.expiresAtNanos() < 0) {
                return cached;
            }
            generationBefore = generation;
        }
        // Read outside the lock; what was read is kept only if no invalidation happened meanwhile.
        Optional<ClientKey> key = delegate.findKey(did);
        boolean blocked = delegate.isBlocked(did);
        Cached fresh = new Cached(key, blocked, now + ttlNanos);
        if (ttlNanos > 0) {
            synchronized (entries) {
                if (generation == generationBefore) {
                    entries.put(did, fresh);
                }
            }
        }
        return fresh;
    }

    /** Forgets what is cached of the DID (it was enrolled, rotated, blocked or unblocked on this node). */
    void invalidate(String did) {
        synchronized (entries) {
            entries.remove(did);
            generation++;
        }
    }

    @Override
    public boolean enrol(ClientKey key, Instant at) {
        return invalidating(key, () -> delegate.enrol(key, at));
    }

    @Override
    public EnrolOutcome enrol(ClientKey key, Instant at, Function<EnrolOutcome, AuditEntry> audit) {
        return invalidating(key, () -> delegate.enrol(key, at, audit));
    }

    @Override
    public EnrolOutcome enrolUnlessTaken(ClientKey key, Instant at, Function<ClientKey, AuditEntry> conflictAudit) {
        return invalidating(key, () -> delegate.enrolUnlessTaken(key, at, conflictAudit));
    }

    /** Runs an enrolment and then forgets what is cached of its DID, whether it succeeded or not. */
    private <T> T invalidating(ClientKey key, java.util.function.Supplier<T> enrolment) {
        try {
            return enrolment.get();
        } finally {
            invalidate(key.did());
        }
    }
}
