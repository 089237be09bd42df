package network.sovereign.pouw.adapters.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {

    @Test
    void an_ipv4_cidr_holds_exactly_its_range() {
        TrustedProxies proxies = TrustedProxies.parse("192.168.4.0/22");

        assertTrue(proxies.contains("192.168.4.0"));
        assertTrue(proxies.contains("192.168.7.255"));
        assertFalse(proxies.contains("192.168.3.255"));
        assertFalse(proxies.contains("192.168.8.0"));
    }

    @Test
    void an_ipv6_cidr_holds_exactly_its_range() {
        TrustedProxies proxies = TrustedProxies.parse("2001:db8:1::/48");

        assertTrue(proxies.contains("2001:db8:1::"));
        assertTrue(proxies.contains("2001:DB8:1:ffff:ffff:ffff:ffff:ffff"));
        assertFalse(proxies.contains("2001:db8:2::"));
        assertFalse(proxies.contains("2001:db8:0:ffff::1"));
    }

    @Test
    void an_odd_prefix_splits_inside_a_byte() {
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.64/27");

        assertTrue(proxies.contains("10.0.0.64"));
        assertTrue(proxies.contains("10.0.0.95"));
        assertFalse(proxies.contains("10.0.0.63"));
        assertFalse(proxies.contains("10.0.0.96"));
    }

    @Test
    void a_bare_address_is_a_network_of_one() {
        TrustedProxies proxies = TrustedProxies.parse("192.0.2.7, ::1");

        assertTrue(proxies.contains("192.0.2.7"));
        assertFalse(proxies.contains("192.0.2.8"));
        assertTrue(proxies.contains("0:0:0:0:0:0:0:1"));
        assertFalse(proxies.contains("::2"));
    }

    @Test
    void families_never_mix() {
        assertTrue(TrustedProxies.parse("0.0.0.0/0").contains("203.0.113.1"));
        assertFalse(TrustedProxies.parse("0.0.0.0/0").contains("2001:db8::1"));
        assertTrue(TrustedProxies.parse("::/0").contains("2001:db8::1"));
        assertFalse(TrustedProxies.parse("::/0").contains("203.0.113.1"));
        assertTrue(TrustedProxies.parse("10.0.0.0/8").contains("::ffff:10.1.2.3"), "IPv4-mapped is IPv4");
    }

    @Test
    void host_bits_in_a_cidr_are_ignored() {
        TrustedProxies proxies = TrustedProxies.parse("10.1.2.3/8");

        assertTrue(proxies.contains("10.200.0.1"));
        assertEquals("[10.0.0.0/8]", proxies.toString());
    }

    @Test
    void blank_entries_are_skipped_and_an_empty_list_trusts_nobody() {
        assertEquals("[10.0.0.1/32, 10.0.0.2/32]", TrustedProxies.of(List.of("10.0.0.1", " ", "10.0.0.2")).toString());
        assertTrue(TrustedProxies.parse("").isEmpty());
        assertTrue(TrustedProxies.parse(" , ").isEmpty());
        assertFalse(TrustedProxies.none().contains("127.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "proxy.example", "10.0.0", "1", "10.0.0.256", "10.0.0.0/33", "::/129",
            "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/x", "::ffff:10.0.0.0/104", "1.2.3.4.5"})
    void rejects_what_is_not_an_address_or_cidr(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(entry));
        assertTrue(e.getMessage().contains("\"" + entry + "\""), e.getMessage());
    }

    @Test
    void never_treats_a_name_as_an_address() {
        assertFalse(TrustedProxies.parse("127.0.0.0/8").contains("localhost"));
    }
}
