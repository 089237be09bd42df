package network.sovereign.pouw.domain;

import java.util.Objects;

/**
 * Auxiliary proof data of a receipt (pouw.v1 {@code Aux}).
 *
 * @param merkleRoot  the Merkle root the content was verified against, possibly empty
 * @param proofDigest a digest of the proof, possibly empty
 */
public record Aux(Bytes merkleRoot, Bytes proofDigest) {

    /** Checks the invariants. */
    public Aux {
        Objects.requireNonNull(merkleRoot, "merkleRoot");
        Objects.requireNonNull(proofDigest, "proofDigest");
    }
}
