package network.sovereign.pouw.adapters.web.ratelimit;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reverse proxies whose {@code X-Forwarded-For} the node believes ({@code POUW_TRUSTED_PROXIES}):
 * IPv4 and IPv6 addresses and CIDR networks.
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<CidrBlock> blocks;

    private TrustedProxies(List<CidrBlock> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** No trusted proxy: the socket peer is always the client. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses a comma-separated list such as {@code 10.0.0.0/8, 192.0.2.7, fd00::/8}; blank entries are
     * skipped.
     *
     * @throws IllegalArgumentException naming the first entry that is not an address or CIDR
     */
    public static TrustedProxies parse(String commaSeparated) {
        Objects.requireNonNull(commaSeparated, "commaSeparated");
        return of(List.of(commaSeparated.split(",")));
    }

    /**
     * Builds the list from entries already split (blank entries are skipped).
     *
     * @throws IllegalArgumentException naming the first entry that is not an address or CIDR
     */
    public static TrustedProxies of(Collection<String> entries) {
        List<CidrBlock> blocks = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.isBlank()) {
                blocks.add(CidrBlock.parse(entry));
            }
        }
        return blocks.isEmpty() ? NONE : new TrustedProxies(blocks);
    }

    /** True when no proxy is trusted. */
    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** True when the address (a literal, never a host name) lies in a trusted network. */
    public boolean contains(String address) {
        Optional<InetAddress> parsed = IpLiterals.parse(address);
        return parsed.isPresent() && contains(parsed.get());
    }

    boolean contains(InetAddress address) {
        for (CidrBlock block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return blocks.toString();
    }
}
