package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.Test;

/** The cache's own rules (bounded staleness, invalidation, bounded size), on a recording directory and a fake clock. */
class CachingClientDirectoryTest {

    /** The rows another node would change, and how often they were read. */
    private static final class Rows implements ClientDirectory {
        final Map<String, ClientKey> keys = new HashMap<>();
        final Set<String> blocked = new HashSet<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Optional<ClientKey> findKey(String did) {
            reads.incrementAndGet();
            return Optional.ofNullable(keys.get(did));
        }

        @Override
        public boolean isBlocked(String did) {
            return blocked.contains(did);
        }

        @Override
        public EnrolOutcome enrolUnlessTaken(ClientKey key, Instant at, java.util.function.Function<ClientKey, AuditEntry> conflictAudit) {
            ClientKey old = keys.putIfAbsent(key.did(), key);
            return old == null ? EnrolOutcome.CREATED : old.equals(key) ? EnrolOutcome.UNCHANGED : EnrolOutcome.CONFLICT;
        }

        @Override
        public boolean enrol(ClientKey key, Instant at) {
            return enrol(key, at, outcome -> null) == EnrolOutcome.CREATED;
        }

        @Override
        public EnrolOutcome enrol(ClientKey key, Instant at, java.util.function.Function<EnrolOutcome, AuditEntry> audit) {
            ClientKey old = keys.put(key.did(), key);
            return old == null ? EnrolOutcome.CREATED : old.equals(key) ? EnrolOutcome.UNCHANGED : EnrolOutcome.ROTATED;
        }
    }

    private final Rows rows = new Rows();
    private final AtomicLong now = new AtomicLong(1_000);
    private final CachingClientDirectory cache = new CachingClientDirectory(rows, Duration.ofSeconds(2), 3, now::get);

    private static ClientKey key(String did, int b) {
        return new ClientKey(did, SigScheme.ED25519, Bytes.of(new byte[] {(byte) b}));
    }

    @Test
    void a_change_made_elsewhere_is_seen_within_the_ttl_and_one_made_here_at_once() {
        rows.keys.put("did:sov:a", key("did:sov:a", 1));
        assertFalse(cache.isBlocked("did:sov:a"));
        assertEquals(Optional.of(key("did:sov:a", 1)), cache.findKey("did:sov:a"));
        assertEquals(1, rows.reads.get(), "one read serves both answers");

        rows.blocked.add("did:sov:a"); // another node blocked it
        now.addAndGet(Duration.ofMillis(1_999).toNanos());
        assertFalse(cache.isBlocked("did:sov:a"), "stale within the TTL");
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertTrue(cache.isBlocked("did:sov:a"), "never staler than the TTL");

        rows.blocked.remove("did:sov:a");
        cache.invalidate("did:sov:a"); // this node's block list unblocked it
        assertFalse(cache.isBlocked("did:sov:a"));

        cache.enrol(key("did:sov:a", 2), Instant.EPOCH, outcome -> null); // a rotation on this node
        assertEquals(Optional.of(key("did:sov:a", 2)), cache.findKey("did:sov:a"), "at once on this node");
    }

    @Test
    void unknown_dids_are_cached_too_and_the_cache_holds_a_bounded_number_of_dids() {
        for (int i = 0; i < 10; i++) {
            cache.findKey("did:sov:stranger-" + i);
        }
        assertEquals(10, rows.reads.get());
        cache.findKey("did:sov:stranger-9");
        assertEquals(10, rows.reads.get(), "the most recent DIDs are held");
        cache.findKey("did:sov:stranger-0");
        assertEquals(11, rows.reads.get(), "the oldest were dropped: at most 3 held");
    }
}
