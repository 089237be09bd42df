package network.sovereign.pouw.application.port.in;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.ProofType;

/** Issues a signed challenge to an enrolled, unblocked client. */
public interface IssueChallengeUseCase {

    /**
     * What the client asks for.
     *
     * @param clientDid     the client
     * @param capabilities  proof types the client can do (at least one)
     * @param maxReceipts   fewer receipts than the node's cap, if wanted
     * @param maxBytesTotal fewer bytes than the node's cap, if wanted
     */
    record IssueChallengeCommand(String clientDid, Set<ProofType> capabilities, OptionalInt maxReceipts,
                                 OptionalLong maxBytesTotal) {
        /** Copies the capabilities. */
        public IssueChallengeCommand {
            Objects.requireNonNull(clientDid, "clientDid");
            capabilities = Set.copyOf(capabilities);
            Objects.requireNonNull(maxReceipts, "maxReceipts");
            Objects.requireNonNull(maxBytesTotal, "maxBytesTotal");
        }
    }

    /** Why a challenge was refused. */
    enum Refusal { INVALID_REQUEST, UNKNOWN_CLIENT, BLOCKED_DID }

    /** The outcome. */
    sealed interface IssueChallengeResult {
        /** Issued: the signed token and its canonical encoding (what {@code token} carries in base64). */
        record Issued(ChallengeToken token, byte[] encoded) implements IssueChallengeResult {
        }

        /** Refused, with a detail for the client. */
        record Refused(Refusal refusal, String detail) implements IssueChallengeResult {
        }
    }

    /** Issues (and stores) a challenge. */
    IssueChallengeResult issue(IssueChallengeCommand command);
}
