package network.sovereign.pouw.domain;

import java.math.BigInteger;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reward arithmetic of SPEC §6, in atoms (1 SOV = 10^18 atoms): an accepted receipt credits
 * {@code weight(proof type) × base}; a client's payable amount for an epoch is
 * {@code min(Σ credits, cap)} plus compensation.
 *
 * @param weights   weight per proof type
 * @param baseAtoms atoms per unit of weight
 * @param capAtoms  per-client, per-epoch cap on receipt credits
 * @param epochs    the epoch schedule
 */
public record RewardSchedule(Map<ProofType, Integer> weights, BigInteger baseAtoms, BigInteger capAtoms, EpochSchedule epochs) {

    /** Atoms in one SOV. */
    public static final BigInteger ATOMS_PER_SOV = BigInteger.TEN.pow(18);

    /** Checks the invariants. */
    public RewardSchedule {
        Objects.requireNonNull(epochs, "epochs");
        if (baseAtoms.signum() <= 0 || capAtoms.signum() <= 0) {
            throw new IllegalArgumentException("base and cap must be positive");
        }
        Map<ProofType, Integer> copy = new EnumMap<>(ProofType.class);
        copy.putAll(weights);
        for (ProofType type : ProofType.values()) {
            Integer weight = copy.get(type);
            if (weight == null || weight < 0) {
                throw new IllegalArgumentException("missing or negative weight for " + type.jsonName());
            }
        }
        weights = Map.copyOf(copy);
    }

    /** The credit one accepted receipt of this proof type earns. */
    public BigInteger creditFor(ProofType type) {
        return baseAtoms.multiply(BigInteger.valueOf(weights.get(type)));
    }

    /** What a client is owed for an epoch: capped receipt credits plus uncapped compensation. */
    public BigInteger payable(BigInteger receiptCredits, BigInteger compensation) {
        return receiptCredits.min(capAtoms).add(compensation);
    }
}
