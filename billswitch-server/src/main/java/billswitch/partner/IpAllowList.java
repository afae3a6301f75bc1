package billswitch.partner;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/** Allow-list entries are IP literals ("127.0.0.1", "::1") or CIDR blocks ("10.0.0.0/8"). */
final class IpAllowList {
    private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$");

    private IpAllowList() {
    }

    /** Validates an entry; INVALID_REQUEST when it is not an IP literal or CIDR block. */
    static String validate(String entry) {
        if (entry == null || parse(entry) == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "ipAllowList entries must be IP addresses or CIDR blocks; got '" + entry + "'");
        }
        return entry.trim();
    }

    static boolean matches(List<String> entries, String remoteAddress) {
        byte[] address = literal(remoteAddress);
        if (address == null) {
            return false;
        }
        for (String entry : entries) {
            Block block = parse(entry);
            if (block != null && block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
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
    }

    private static Block parse(String entry) {
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
        return new Block(network, bits);
    }

    /** The bytes of an IP literal, IPv4-mapped IPv6 folded to IPv4; null for anything else (no DNS). */
    private static byte[] literal(String text) {
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
