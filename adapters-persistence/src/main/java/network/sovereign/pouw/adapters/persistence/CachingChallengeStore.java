package network.sovereign.pouw.adapters.persistence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Challenge;

/**
 * The challenge store with the submit path's challenge read ({@link #findAll}) answered from memory:
 * a challenge's token and DID never change, so what this node saved (every challenge it issues) or
 * read before is as good as a fresh read. Only the budget figures change, and {@link #findAll} says
 * they are as last read: the ledger enforces the budget in its transaction, and {@link #find} (which
 * explains a refusal by the budget) always reads the database.
 *
 * <p>An entry is used until one hour after its token expires (the clock skew is at most an hour, so
 * by then every receipt answering it is refused as expired whatever the cache says); the retention job
 * purges challenges a day after expiry at the earliest, so a cached challenge is always one the
 * database still has. At most {@code maxEntries} challenges are held, least recently used out first.
 */
final class CachingChallengeStore implements ChallengeStore {

    /** How many challenges are held at most (a token signed with ML-DSA-87 is about 5 KB). */
    static final int DEFAULT_MAX_ENTRIES = 4_096;

    /** How long after its token's expiry an entry is still used, in seconds. */
    static final long USE_AFTER_EXPIRY_SECONDS = 3_600;

    private final ChallengeStore delegate;
    private final LongSupplier epochSeconds;
    private final Map<Bytes, Challenge> entries;

    CachingChallengeStore(ChallengeStore delegate, int maxEntries, LongSupplier epochSeconds) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.epochSeconds = Objects.requireNonNull(epochSeconds, "epochSeconds");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Bytes, Challenge> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public void save(Challenge challenge) {
        delegate.save(challenge);
        remember(challenge);
    }

    @Override
    public Optional<Challenge> find(Bytes challengeNonce) {
        return delegate.find(challengeNonce);
    }

    @Override
    public Map<Bytes, Challenge> findAll(Collection<Bytes> challengeNonces) {
        Objects.requireNonNull(challengeNonces, "challengeNonces");
        Map<Bytes, Challenge> found = new HashMap<>();
        List<Bytes> missing = new ArrayList<>();
        long now = epochSeconds.getAsLong();
        synchronized (entries) {
            for (Bytes nonce : challengeNonces) {
                Challenge cached = entries.get(nonce);
                if (cached != null && usable(cached, now)) {
                    found.put(nonce, cached);
                } else {
                    if (cached != null) {
                        entries.remove(nonce);
                    }
                    missing.add(nonce);
                }
            }
        }
        if (!missing.isEmpty()) {
            Map<Bytes, Challenge> read = delegate.findAll(missing);
            read.values().forEach(this::remember);
            found.putAll(read);
        }
        return found;
    }

    /** Challenges held now (for tests). */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void remember(Challenge challenge) {
        if (!usable(challenge, epochSeconds.getAsLong())) {
            return;
        }
        synchronized (entries) {
            entries.put(challenge.token().challengeNonce(), challenge);
        }
    }

    private static boolean usable(Challenge challenge, long now) {
        long expiresAt = challenge.token().expiresAt();
        // expires_at is a uint64 in the token: a "negative" one is far in the future.
        return expiresAt < 0 || Long.compareUnsigned(now, expiresAt) <= 0 || now - expiresAt <= USE_AFTER_EXPIRY_SECONDS;
    }
}
