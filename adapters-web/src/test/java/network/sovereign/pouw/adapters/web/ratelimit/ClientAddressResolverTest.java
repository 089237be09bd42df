package network.sovereign.pouw.adapters.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressResolverTest {

    private final ClientAddressResolver behindProxies =
            new ClientAddressResolver(TrustedProxies.parse("10.0.0.0/8, 2001:db8:1::/48"));

    @Test
    void without_trusted_proxies_the_header_is_ignored() {
        ClientAddressResolver direct = new ClientAddressResolver(TrustedProxies.none());

        assertEquals("10.0.0.5", direct.resolve("10.0.0.5", "203.0.113.9"));
    }

    @Test
    void the_header_is_ignored_when_the_peer_is_not_a_trusted_proxy() {
        assertEquals("198.51.100.20", behindProxies.resolve("198.51.100.20", "203.0.113.9"));
        assertEquals("2001:db8:2:0:0:0:0:1", behindProxies.resolve("2001:db8:2::1", "203.0.113.9"));
    }

    @Test
    void the_header_counts_when_the_peer_is_a_trusted_proxy() {
        assertEquals("203.0.113.9", behindProxies.resolve("10.0.0.5", "203.0.113.9"));
        assertEquals("203.0.113.9", behindProxies.resolve("2001:db8:1::5", "203.0.113.9"));
    }

    @Test
    void the_right_most_untrusted_address_wins_so_a_client_cannot_forge_its_way_in() {
        // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the address it saw.
        assertEquals("203.0.113.9", behindProxies.resolve("10.0.0.5", "1.1.1.1, 203.0.113.9"));
    }

    @Test
    void trusted_hops_are_skipped_from_the_right() {
        assertEquals("203.0.113.9", behindProxies.resolve("10.0.0.9", "198.51.100.1, 203.0.113.9, 10.0.0.7, 10.0.0.8"));
        assertEquals("203.0.113.9", behindProxies.resolve("10.0.0.9", "203.0.113.9,2001:db8:1::7"));
    }

    @Test
    void when_every_hop_is_trusted_the_left_most_is_the_client() {
        assertEquals("10.0.0.7", behindProxies.resolve("10.0.0.9", "10.0.0.7, 10.0.0.8"));
    }

    @Test
    void ipv6_addresses_come_back_in_one_canonical_form() {
        assertEquals("2001:db8:abcd:0:0:0:0:1", behindProxies.resolve("10.0.0.5", "2001:DB8:ABCD::1"));
        assertEquals("2001:db8:abcd:0:0:0:0:1", behindProxies.resolve("10.0.0.5", "2001:db8:abcd:0::1"));
        assertEquals("2001:db8:abcd:0:0:0:0:1", behindProxies.resolve("2001:DB8:ABCD::1", (String) null));
        assertEquals("192.0.2.1", behindProxies.resolve("::ffff:192.0.2.1", (String) null));
    }

    @Test
    void ports_and_brackets_in_the_header_are_dropped() {
        assertEquals("203.0.113.9", behindProxies.resolve("10.0.0.5", "203.0.113.9:4711"));
        assertEquals("2001:db8:abcd:0:0:0:0:7", behindProxies.resolve("10.0.0.5", "[2001:db8:abcd::7]:443"));
        assertEquals("2001:db8:abcd:0:0:0:0:7", behindProxies.resolve("10.0.0.5", "[2001:db8:abcd::7]"));
    }

    @Test
    void several_header_lines_are_read_as_one_list() {
        assertEquals("203.0.113.9",
                behindProxies.resolve("10.0.0.5", List.of("198.51.100.1", "203.0.113.9, 10.0.0.7")));
    }

    @Test
    void a_missing_or_empty_header_leaves_the_peer() {
        assertEquals("10.0.0.5", behindProxies.resolve("10.0.0.5", (String) null));
        assertEquals("10.0.0.5", behindProxies.resolve("10.0.0.5", List.of()));
        assertEquals("10.0.0.5", behindProxies.resolve("10.0.0.5", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-ip", "unknown", "999.1.1.1", "1.2.3", "1", "example.com", "1.2.3.4.5", " , ",
            "203.0.113.9,", "<script>", "203.0.113.9, garbage", "0x7f.0.0.1", "::g", "[::1", "1.2.3.4:5:6",
            "203.0.113.9, 10.0.0.7, localhost"})
    void garbage_met_before_an_untrusted_address_falls_back_to_the_peer(String header) {
        assertEquals("10.0.0.5", behindProxies.resolve("10.0.0.5", header));
    }

    @Test
    void garbage_left_of_the_client_does_not_matter() {
        assertEquals("203.0.113.9", behindProxies.resolve("10.0.0.5", "garbage, 203.0.113.9"));
    }

    @Test
    void an_overlong_chain_of_trusted_hops_falls_back_to_the_peer() {
        List<String> hops = new ArrayList<>();
        for (int i = 0; i < ClientAddressResolver.MAX_HOPS + 1; i++) {
            hops.add("10.0.1." + i);
        }
        assertEquals("10.0.0.5", behindProxies.resolve("10.0.0.5", String.join(", ", hops)));
        assertEquals("10.0.1.1", behindProxies.resolve("10.0.0.5", String.join(", ", hops.subList(1, hops.size()))));
    }

    @Test
    void a_peer_that_is_not_an_ip_address_is_used_as_it_is() {
        assertEquals("unix-socket", behindProxies.resolve(" unix-socket ", "203.0.113.9"));
    }
}
