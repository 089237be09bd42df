package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import org.junit.jupiter.api.Test;

/**
 * The challenge cache in front of a store that counts what it is asked (the database side of the same
 * code is in {@link ChallengeStoreContract}, on H2 and PostgreSQL): what this node saved or read is
 * answered from memory until an hour after its expiry, at most {@code maxEntries} of it, and
 * {@code find} always asks the store.
 */
class CachingChallengeStoreTest {

    private static final long NOW = 1_780_000_000L;

    /** A store in memory that records every nonce it was asked for. */
    private static final class Rows implements ChallengeStore {
        final Map<Bytes, Challenge> rows = new HashMap<>();
        final List<Bytes> asked = new ArrayList<>();

        @Override
        public void save(Challenge challenge) {
            rows.put(challenge.token().challengeNonce(), challenge);
        }

        @Override
        public Optional<Challenge> find(Bytes challengeNonce) {
            asked.add(challengeNonce);
            return Optional.ofNullable(rows.get(challengeNonce));
        }

        @Override
        public Map<Bytes, Challenge> findAll(Collection<Bytes> challengeNonces) {
            asked.addAll(challengeNonces);
            Map<Bytes, Challenge> found = new HashMap<>();
            challengeNonces.forEach(n -> Optional.ofNullable(rows.get(n)).ifPresent(c -> found.put(n, c)));
            return found;
        }
    }

    private final Rows rows = new Rows();
    private final AtomicLong now = new AtomicLong(NOW);
    private final CachingChallengeStore cache = new CachingChallengeStore(rows, 3, now::get);

    private static Challenge challenge(long expiresAt) {
        return new Challenge(new ChallengeToken(1, unique(32), unique(16), unique(32), expiresAt - 300, expiresAt,
                new Policy(20, 1_000_000L, 1, List.of(ProofType.HASH)), unique(64)), "did:sov:alice", 0, 0);
    }

    @Test
    void a_challenge_this_node_saved_is_found_without_asking_the_store_and_find_always_asks() {
        Challenge saved = challenge(NOW + 300);
        Bytes nonce = saved.token().challengeNonce();
        cache.save(saved);

        assertEquals(Map.of(nonce, saved), cache.findAll(List.of(nonce)));
        assertEquals(List.of(), rows.asked, "answered from memory");
        rows.rows.put(nonce, new Challenge(saved.token(), saved.clientDid(), 5, 500));
        assertEquals(5, cache.find(nonce).orElseThrow().usedReceipts(), "find reads the budget from the store");
        assertEquals(List.of(nonce), rows.asked);
    }

    @Test
    void a_challenge_read_once_is_remembered_and_an_unknown_one_is_asked_for_every_time() {
        Challenge elsewhere = challenge(NOW + 300);
        rows.save(elsewhere); // issued by another node
        Bytes nonce = elsewhere.token().challengeNonce();
        Bytes unknown = unique(32);

        assertEquals(Map.of(nonce, elsewhere), cache.findAll(List.of(nonce, unknown)));
        assertEquals(Map.of(nonce, elsewhere), cache.findAll(List.of(nonce, unknown)));

        assertEquals(List.of(nonce, unknown, unknown), rows.asked, "the known one once, the unknown one each time");
    }

    @Test
    void an_entry_is_used_until_an_hour_after_its_expiry_and_then_read_again() {
        Challenge saved = challenge(NOW + 300);
        Bytes nonce = saved.token().challengeNonce();
        cache.save(saved);

        now.set(NOW + 300 + CachingChallengeStore.USE_AFTER_EXPIRY_SECONDS);
        assertEquals(Map.of(nonce, saved), cache.findAll(List.of(nonce)));
        assertEquals(List.of(), rows.asked);

        now.incrementAndGet();
        assertEquals(Map.of(nonce, saved), cache.findAll(List.of(nonce)), "still in the database");
        assertEquals(List.of(nonce), rows.asked, "read again once past the hour");
        assertEquals(0, cache.size(), "and not remembered");

        Challenge old = challenge(NOW - 2 * CachingChallengeStore.USE_AFTER_EXPIRY_SECONDS);
        cache.save(old);
        assertEquals(0, cache.size(), "a challenge long expired is not remembered when saved");
    }

    @Test
    void at_most_max_entries_are_held_least_recently_used_out_first() {
        List<Challenge> saved = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            saved.add(challenge(NOW + 300));
        }
        cache.save(saved.get(0));
        cache.save(saved.get(1));
        cache.save(saved.get(2));
        cache.findAll(List.of(saved.get(0).token().challengeNonce())); // 0 is now the most recently used
        cache.save(saved.get(3));

        assertEquals(3, cache.size());
        cache.findAll(saved.stream().map(c -> c.token().challengeNonce()).toList());
        assertEquals(List.of(saved.get(1).token().challengeNonce()), rows.asked, "1 was the least recently used");
    }
}
