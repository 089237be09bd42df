package network.sovereign.pouw.domain;

import java.time.Instant;

/**
 * Reward epochs: {@code epoch = floor((validated_at - genesis) / length)}.
 *
 * @param genesisEpochSecond unix second at which epoch 0 starts
 * @param lengthSeconds      length of one epoch in seconds, at least 1
 */
public record EpochSchedule(long genesisEpochSecond, long lengthSeconds) {

    /** Checks the invariants. */
    public EpochSchedule {
        if (lengthSeconds < 1) {
            throw new IllegalArgumentException("epoch length must be at least 1 second, was " + lengthSeconds);
        }
    }

    /** The epoch an instant falls into (negative before genesis). */
    public long epochOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond() - genesisEpochSecond, lengthSeconds);
    }

    /** The first instant of an epoch. */
    public Instant startOf(long epoch) {
        return Instant.ofEpochSecond(Math.addExact(genesisEpochSecond, Math.multiplyExact(epoch, lengthSeconds)));
    }
}
