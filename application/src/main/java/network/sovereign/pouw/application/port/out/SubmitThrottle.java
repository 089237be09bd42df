package network.sovereign.pouw.application.port.out;

import java.util.OptionalLong;

/**
 * The limits the submit path applies once it knows who really sent a batch (SPEC §9, issue "hostile
 * clients"): the per-DID permit is spent only by a batch with at least one signature that verified
 * with the DID's key, and rejections anyone could have sent (no verified signature) are stored only up
 * to a budget per client address and per DID, so a flood of garbage never reaches the database.
 * Implementations are thread-safe and never block.
 */
public interface SubmitThrottle {

    /** A throttle that admits everything (tests, tools). */
    SubmitThrottle NONE = new SubmitThrottle() {
        @Override
        public OptionalLong admitDid(String did) {
            return OptionalLong.empty();
        }

        @Override
        public int storableUnauthenticatedRejections(String did, String origin, int count) {
            return count;
        }
    };

    /**
     * Spends one of the DID's permits for an authenticated batch.
     *
     * @return empty when admitted, else the seconds after which to retry
     */
    OptionalLong admitDid(String did);

    /**
     * How many of {@code count} unauthenticated rejections from this client address, naming this DID,
     * may be stored now (the rest are answered but not stored); takes that many from both budgets.
     *
     * @param origin the client address as the web layer resolved it ("" when unknown)
     */
    int storableUnauthenticatedRejections(String did, String origin, int count);
}
