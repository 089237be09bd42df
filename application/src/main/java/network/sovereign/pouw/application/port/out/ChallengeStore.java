package network.sovereign.pouw.application.port.out;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Challenge;

/** Issued challenges, shared by every node through the database. */
public interface ChallengeStore {

    /** Stores a freshly issued challenge (with no budget used). */
    void save(Challenge challenge);

    /** The challenge with this nonce, with its budget used so far. */
    Optional<Challenge> find(Bytes challengeNonce);

    /**
     * The challenges with these nonces, by nonce (unknown ones absent): one read for a batch, which
     * may be answered from memory. The tokens are immutable; the budget figures are as last read or
     * saved, possibly long ago (the ledger enforces the budget; {@link #find} reads them fresh).
     */
    default Map<Bytes, Challenge> findAll(Collection<Bytes> challengeNonces) {
        Map<Bytes, Challenge> found = new LinkedHashMap<>();
        for (Bytes nonce : challengeNonces) {
            find(nonce).ifPresent(challenge -> found.put(nonce, challenge));
        }
        return found;
    }
}
