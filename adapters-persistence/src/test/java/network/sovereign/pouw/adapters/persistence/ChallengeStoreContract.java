package network.sovereign.pouw.adapters.persistence;

import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.T0;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.challenge;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.key;
import static network.sovereign.pouw.adapters.persistence.ProtocolFixtures.unique;
import static network.sovereign.pouw.adapters.persistence.jooq.Tables.CHALLENGES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.sovereign.pouw.adapters.persistence.jooq.tables.records.ChallengesRecord;
import network.sovereign.pouw.application.port.out.ChallengeStore;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.CanonicalEncoding;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.ChallengeToken;
import network.sovereign.pouw.domain.Policy;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ChallengeStore} on every database the node supports: a saved challenge comes
 * back equal, signature and proof-type order included, from any node, with its columns filled in for
 * the queries and the retention job.
 */
abstract class ChallengeStoreContract extends ProtocolStoreContract {

    private static final String DID = "did:sov:alice";

    private ChallengeStore store;

    @BeforeEach
    void enrol() {
        store = node.challengeStore();
        node.clientDirectory().enrol(key(DID, SigScheme.ED25519, 1), T0);
    }

    @Test
    void a_saved_challenge_comes_back_equal_from_every_node() {
        Challenge challenge = challenge(DID, 20, 10_485_760L, List.of(ProofType.SIGNATURE, ProofType.HASH));

        store.save(challenge);

        assertEquals(Optional.of(challenge), store.find(challenge.token().challengeNonce()));
        assertEquals(Optional.of(challenge), otherNode.challengeStore().find(challenge.token().challengeNonce()));
    }

    @Test
    void the_columns_hold_the_token_field_by_field_and_whole() {
        Challenge challenge = challenge(DID, 20, 10_485_760L, List.of(ProofType.SIGNATURE, ProofType.HASH));
        ChallengeToken token = challenge.token();

        store.save(challenge);

        ChallengesRecord row = dsl.fetchSingle(CHALLENGES);
        assertArrayEquals(token.challengeNonce().toArray(), row.getChallengeNonce());
        assertArrayEquals(token.taskId().toArray(), row.getTaskId());
        assertEquals(DID, row.getClientDid());
        assertArrayEquals(token.nodeId().toArray(), row.getNodeId());
        assertEquals(T0, row.getIssuedAt());
        assertEquals(T0.plusSeconds(300), row.getExpiresAt());
        assertEquals(20, row.getMaxReceipts());
        assertEquals(10_485_760L, row.getMaxBytesTotal());
        assertEquals(1024L, row.getMinBytesPerReceipt());
        assertEquals("signature,hash", row.getAllowedProofTypes(), "in the order issued");
        assertEquals(0, row.getUsedReceipts());
        assertEquals(0L, row.getUsedBytes());
        assertArrayEquals(CanonicalEncoding.encode(token), row.getToken(), "the token exactly as issued");
    }

    @Test
    void extreme_policies_and_a_large_signature_survive_the_round_trip() {
        for (Policy policy : List.of(
                new Policy(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, List.of(ProofType.HASH, ProofType.MERKLE, ProofType.SIGNATURE)),
                new Policy(0, 0, 0, List.of()),
                new Policy(1, 1, 0, List.of(ProofType.HASH)))) {
            ChallengeToken token = new ChallengeToken(1, unique(32), unique(32), unique(16), 0, 253_402_300_799L, policy,
                    Bytes.of(ProtocolFixtures.filled(SigScheme.ML_DSA_65.signatureLength(), 5)));
            Challenge challenge = new Challenge(token, DID, 0, 0);

            store.save(challenge);

            assertEquals(Optional.of(challenge), store.find(token.challengeNonce()), policy::toString);
        }
    }

    @Test
    void many_challenges_are_read_in_one_call_with_short_and_long_key_lists() {
        List<Challenge> saved = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Challenge challenge = challenge(DID, 20, 1_000_000L, List.of(ProofType.HASH));
            store.save(challenge);
            saved.add(challenge);
        }
        for (int size : new int[] {1, KeyLists.LITERAL_FROM - 1, KeyLists.LITERAL_FROM, saved.size()}) {
            List<Bytes> nonces = new ArrayList<>(saved.subList(0, size).stream().map(c -> c.token().challengeNonce()).toList());
            nonces.add(unique(32));
            for (ChallengeStore reader : List.of(store, otherNode.challengeStore())) {
                var found = reader.findAll(nonces);
                assertEquals(size, found.size(), size + " known nonces and one unknown");
                saved.subList(0, size).forEach(c -> assertEquals(c, found.get(c.token().challengeNonce())));
            }
        }
    }

    @Test
    void a_live_challenge_reads_alike_on_the_node_that_issued_it_and_on_another_while_find_reads_its_budget_fresh() {
        long now = Instant.now().getEpochSecond();
        ChallengeToken fixture = challenge(DID, 20, 1_000_000L, List.of(ProofType.HASH)).token();
        Challenge live = new Challenge(new ChallengeToken(1, fixture.nodeId(), fixture.taskId(), fixture.challengeNonce(), now,
                now + 300, fixture.policy(), fixture.nodeSignature()), DID, 0, 0);
        Bytes nonce = live.token().challengeNonce();

        store.save(live);
        assertEquals(Map.of(nonce, live), store.findAll(List.of(nonce, unique(32))), "the node that issued it");
        assertEquals(Map.of(nonce, live), otherNode.challengeStore().findAll(List.of(nonce)), "another node, from the database");
        dsl.update(CHALLENGES).set(CHALLENGES.USED_RECEIPTS, 3).set(CHALLENGES.USED_BYTES, 3000L)
                .where(CHALLENGES.CHALLENGE_NONCE.eq(nonce.toArray())).execute();

        Challenge used = new Challenge(live.token(), DID, 3, 3000L);
        assertEquals(Optional.of(used), store.find(nonce), "find reads the budget fresh");
        assertEquals(Optional.of(used), otherNode.challengeStore().find(nonce));
        assertEquals(live.token(), store.findAll(List.of(nonce)).get(nonce).token(), "the token never changes");
        assertEquals(live.token(), otherNode.challengeStore().findAll(List.of(nonce)).get(nonce).token());
        assertEquals(Map.of(), store.findAll(List.of(unique(32))), "an unknown nonce is still read and not found");
    }

    @Test
    void an_unknown_nonce_finds_nothing() {
        store.save(challenge(DID, 20, 1_000_000L, List.of(ProofType.HASH)));

        assertEquals(Optional.empty(), store.find(unique(32)));
        assertEquals(Optional.empty(), store.find(Bytes.EMPTY));
    }

    @Test
    void a_nonce_is_saved_once_and_the_first_challenge_stays() {
        Challenge first = challenge(DID, 20, 1_000_000L, List.of(ProofType.HASH));
        ChallengeToken clash = first.token().withSignature(Bytes.of(new byte[64]));

        store.save(first);

        assertThrows(IllegalStateException.class, () -> store.save(new Challenge(clash, DID, 0, 0)));
        assertEquals(Optional.of(first), store.find(first.token().challengeNonce()));
    }

    @Test
    void times_no_column_can_hold_are_refused_before_reaching_the_database() {
        ChallengeToken token = challenge(DID, 1, 1, List.of()).token();
        ChallengeToken farFuture = new ChallengeToken(1, token.nodeId(), token.taskId(), token.challengeNonce(),
                token.issuedAt(), -1L, token.policy(), token.nodeSignature());

        assertThrows(IllegalArgumentException.class, () -> store.save(new Challenge(farFuture, DID, 0, 0)));
        assertEquals(0, dsl.fetchCount(CHALLENGES));
    }
}
