package network.sovereign.pouw.adapters.web.ratelimit;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells the client IP that rate limiting counts (SPEC §8): the socket peer, unless the peer is a
 * trusted proxy, in which case the right-most {@code X-Forwarded-For} address that is not itself a
 * trusted proxy.
 *
 * <p>Reading from the right matters: each proxy appends the address it saw, so entries to the left
 * of the first untrusted one were written by the client and can be forged. When every entry is a
 * trusted proxy, the left-most is the client. A malformed entry met before an untrusted address
 * (garbage, a host name, {@code unknown}) makes the header unusable and the peer is used. The
 * answer is always a canonical address literal ({@link InetAddress#getHostAddress()}) so that one
 * client is one key however its address was spelled.
 */
public final class ClientAddressResolver {

    /** Entries read from the right of {@code X-Forwarded-For} at most; longer chains fall back to the peer. */
    static final int MAX_HOPS = 32;

    private final TrustedProxies trustedProxies;

    /** Creates a resolver that believes {@code X-Forwarded-For} only from these proxies. */
    public ClientAddressResolver(TrustedProxies trustedProxies) {
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
    }

    /**
     * Resolves the client IP.
     *
     * @param peerAddress  the socket peer's address literal (e.g. {@code 192.0.2.7} or {@code 2001:db8::1})
     * @param forwardedFor the {@code X-Forwarded-For} header, or {@code null} when absent
     * @return the client IP to rate-limit
     */
    public String resolve(String peerAddress, String forwardedFor) {
        return resolve(peerAddress, forwardedFor == null ? List.of() : List.of(forwardedFor));
    }

    /**
     * Resolves the client IP when the request carries several {@code X-Forwarded-For} headers, which
     * are read as one list in the order given.
     *
     * @param peerAddress  the socket peer's address literal
     * @param forwardedFor the header values in the order received (empty when absent)
     * @return the client IP to rate-limit
     */
    public String resolve(String peerAddress, List<String> forwardedFor) {
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(forwardedFor, "forwardedFor");
        Optional<InetAddress> peer = IpLiterals.parse(peerAddress.strip());
        if (peer.isEmpty()) {
            return peerAddress.strip(); // not an IP socket: nothing better to key on
        }
        String peerText = IpLiterals.canonical(peer.get());
        if (trustedProxies.isEmpty() || forwardedFor.isEmpty() || !trustedProxies.contains(peer.get())) {
            return peerText;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            if (value != null) {
                hops.addAll(List.of(value.split(",", -1)));
            }
        }
        InetAddress leftmostTrusted = null;
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            Optional<InetAddress> hop = IpLiterals.parseForwarded(hops.get(i));
            if (hop.isEmpty()) {
                return peerText;
            }
            if (!trustedProxies.contains(hop.get())) {
                return IpLiterals.canonical(hop.get());
            }
            leftmostTrusted = hop.get();
        }
        if (leftmostTrusted == null || hops.size() > MAX_HOPS) {
            return peerText; // an empty header, or a chain too long to believe
        }
        return IpLiterals.canonical(leftmostTrusted);
    }
}
