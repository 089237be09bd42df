package network.sovereign.pouw.application.port.out;

import java.util.Optional;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Challenge;

/** Issued challenges, shared by every node through the database. */
public interface ChallengeStore {

    /** Stores a freshly issued challenge (with no budget used). */
    void save(Challenge challenge);

    /** The challenge with this nonce, with its budget used so far. */
    Optional<Challenge> find(Bytes challengeNonce);
}
