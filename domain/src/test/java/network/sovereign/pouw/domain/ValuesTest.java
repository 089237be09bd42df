package network.sovereign.pouw.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void dids_follow_did_method_id_and_are_at_most_256_characters() {
        assertTrue(Did.isValid("did:sov:alice"));
        assertTrue(Did.isValid("did:zhtp:" + "ab".repeat(32)));
        assertTrue(Did.isValid("did:web:example.com:user:1"));
        assertTrue(Did.isValid("did:sov:" + "x".repeat(248)));
        assertFalse(Did.isValid("did:sov:" + "x".repeat(249)));
        assertFalse(Did.isValid("did:sov:"));
        assertFalse(Did.isValid("did:SOV:alice"));
        assertFalse(Did.isValid("alice"));
        assertFalse(Did.isValid("did:sov:al ice"));
        assertFalse(Did.isValid(null));
    }

    @Test
    void bytes_are_values_with_hex() {
        Bytes a = Bytes.fromHex("00ff10");
        assertEquals(a, Bytes.of(new byte[] {0, (byte) 0xff, 0x10}));
        assertEquals("00ff10", a.hex());
        assertEquals(a.hashCode(), Bytes.fromHex("00FF10").hashCode());
        assertNotEquals(a, Bytes.fromHex("00ff11"));
        byte[] raw = {1, 2};
        Bytes copy = Bytes.of(raw);
        raw[0] = 9;
        assertEquals(1, copy.at(0), "defensive copy");
        assertThrows(IllegalArgumentException.class, () -> Bytes.fromHex("abc"));
        assertThrows(IllegalArgumentException.class, () -> Bytes.fromHex("zz"));
        assertTrue(Bytes.fromHex("").isEmpty());
    }

    @Test
    void rewards_are_weight_times_base_and_the_epoch_cap_applies_to_receipt_credits_only() {
        RewardSchedule schedule = new RewardSchedule(Map.of(ProofType.HASH, 1, ProofType.MERKLE, 2, ProofType.SIGNATURE, 3),
                BigInteger.TEN.pow(12), new BigInteger("599315068493150684"), new EpochSchedule(0, 3600));
        assertEquals(new BigInteger("1000000000000"), schedule.creditFor(ProofType.HASH));
        assertEquals(new BigInteger("2000000000000"), schedule.creditFor(ProofType.MERKLE));
        assertEquals(new BigInteger("3000000000000"), schedule.creditFor(ProofType.SIGNATURE));
        assertEquals(new BigInteger("599315068493150684").add(BigInteger.TEN),
                schedule.payable(new BigInteger("900000000000000000"), BigInteger.TEN));
        assertEquals(BigInteger.valueOf(15), schedule.payable(BigInteger.valueOf(5), BigInteger.TEN));
        assertThrows(IllegalArgumentException.class, () -> new RewardSchedule(Map.of(ProofType.HASH, 1),
                BigInteger.ONE, BigInteger.ONE, new EpochSchedule(0, 1)));
    }

    @Test
    void policies_refuse_negative_limits_and_know_their_proof_types() {
        Policy policy = new Policy(3, 100, 10, List.of(ProofType.HASH));
        assertTrue(policy.allows(ProofType.HASH));
        assertFalse(policy.allows(ProofType.MERKLE));
        assertThrows(IllegalArgumentException.class, () -> new Policy(-1, 100, 10, List.of()));
    }
}
