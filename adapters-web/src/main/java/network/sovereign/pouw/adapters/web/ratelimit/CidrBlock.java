package network.sovereign.pouw.adapters.web.ratelimit;

import java.net.InetAddress;
import java.util.Arrays;

/** One IPv4 or IPv6 network in CIDR notation; a bare address is a network of one. */
final class CidrBlock {

    private final byte[] network;
    private final int prefixLength;

    private CidrBlock(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code 2001:db8::/32} or {@code ::1}. Host bits
     * set in the address are cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
     *
     * @throws IllegalArgumentException when the text is not an address or CIDR
     */
    static CidrBlock parse(String text) {
        String entry = text.strip();
        int slash = entry.indexOf('/');
        String addressPart = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress address = IpLiterals.parse(addressPart)
                .orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR"));
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixPart = entry.substring(slash + 1);
            if (!prefixPart.matches("\\d{1,3}") || Integer.parseInt(prefixPart) > bits) {
                throw new IllegalArgumentException("\"" + text + "\" has a bad prefix length (0.." + bits + ")");
            }
            prefix = Integer.parseInt(prefixPart);
        }
        return new CidrBlock(mask(bytes, prefix), prefix);
    }

    /** True when the address lies in this network (an IPv4 address never lies in an IPv6 network). */
    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(candidate, prefixLength), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsInThisByte = Math.clamp(prefix - i * 8L, 0, 8);
            masked[i] = (byte) (masked[i] & (0xFF << (8 - bitsInThisByte)));
        }
        return masked;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length is 4 or 16
        }
    }
}
