package billswitch.partner;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.shared.IpBlock;
import java.util.List;
import java.util.Map;

/**
 * Allow-list entries are IP literals ("127.0.0.1", "::1") or CIDR blocks ("10.0.0.0/8"), never a /0 block: an
 * allow-list admitting every address is no allow-list (and AOPay's unsigned mode would take any caller).
 */
final class IpAllowList {

    private IpAllowList() {
    }

    /** Validates an entry; INVALID_REQUEST when it is not an IP literal or CIDR block, or is a /0 block. */
    static String validate(String entry) {
        IpBlock block = IpBlock.parse(entry);
        if (block == null) {
            String message = "ipAllowList entries must be IP addresses or CIDR blocks; got '" + entry + "'";
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, message, Map.of("ipAllowList", message));
        }
        if (block.everyAddress()) {
            String message = "ipAllowList entry '" + entry.trim() + "' admits every address; list the partner's own"
                    + " addresses or blocks (an empty allow-list admits any address to a signed request).";
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, message, Map.of("ipAllowList", message));
        }
        return entry.trim();
    }

    /** True when the address is in one of the entries; a /0 entry (stored before they were refused) admits nothing. */
    static boolean matches(List<String> entries, String remoteAddress) {
        byte[] address = IpBlock.literal(remoteAddress);
        if (address == null) {
            return false;
        }
        for (String entry : entries) {
            IpBlock block = IpBlock.parse(entry);
            if (block != null && !block.everyAddress() && block.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
