package billswitch.shared;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP literal ("127.0.0.1", "::1") or CIDR block ("10.0.0.0/8"): a partner's allow-list entry, a trusted proxy.
 * Addresses are compared as bytes, IPv4-mapped IPv6 folded to IPv4; nothing is ever looked up in DNS.
 */
public final class IpBlock {
    private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$");

    private final byte[] network;
    private final int prefixBits;

    private IpBlock(byte[] network, int prefixBits) {
        this.network = network;
        this.prefixBits = prefixBits;
    }

    /** The block an entry names, or null when it is not an IP literal or CIDR block. */
    public static IpBlock parse(String entry) {
        if (entry == null) {
            return null;
        }
        String text = entry.trim();
        int slash = text.indexOf('/');
        byte[] network = literal(slash < 0 ? text : text.substring(0, slash));
        if (network == null) {
            return null;
        }
        int bits = network.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (bits < 0 || bits > network.length * 8) {
                return null;
            }
        }
        return new IpBlock(network, bits);
    }

    /** True for /0: a block holding every address of its family. */
    public boolean everyAddress() {
        return prefixBits == 0;
    }

    public boolean contains(String address) {
        byte[] bytes = literal(address);
        return bytes != null && contains(bytes);
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }

    /** The bytes of an IP literal, IPv4-mapped IPv6 folded to IPv4; null for anything else (no DNS). */
    public static byte[] literal(String text) {
        if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
