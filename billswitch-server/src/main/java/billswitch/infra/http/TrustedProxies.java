package billswitch.infra.http;

import billswitch.shared.IpBlock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The proxies in front of BillSwitch (billswitch.proxy.trusted-proxies: IP literals or CIDR blocks). Only a request
 * whose direct peer is one of them has its client address taken from X-Forwarded-For: the rightmost address there
 * that is not itself a trusted proxy (each proxy appends the address it received the request from, so everything to
 * the left of that hop was written by the client and proves nothing). Empty: X-Forwarded-For is never read.
 */
@ConfigurationProperties(prefix = "billswitch.proxy")
record TrustedProxies(List<String> trustedProxies) {
    TrustedProxies {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        for (String entry : trustedProxies) {
            IpBlock block = IpBlock.parse(entry);
            if (block == null) {
                throw new IllegalArgumentException("billswitch.proxy.trusted-proxies entries must be IP addresses or CIDR"
                        + " blocks; got '" + entry + "'");
            }
            if (block.everyAddress()) {
                throw new IllegalArgumentException("billswitch.proxy.trusted-proxies entry '" + entry + "' trusts every"
                        + " address: any caller could then choose its own address; list the proxies' own addresses");
            }
        }
    }

    boolean enabled() {
        return !trustedProxies.isEmpty();
    }

    List<IpBlock> blocks() {
        return trustedProxies.stream().map(IpBlock::parse).toList();
    }

    /** Whether an address is one of the trusted proxies. */
    static boolean trusted(List<IpBlock> proxies, String address) {
        byte[] bytes = IpBlock.literal(address);
        if (bytes == null) {
            return false;
        }
        for (IpBlock block : proxies) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address for a request from the trusted proxy {@code peer}: the rightmost X-Forwarded-For hop that is
     * not a trusted proxy, as written (a hop that is not an IP literal is returned as is and so matches no allow-list);
     * the leftmost hop when every one is a trusted proxy; the peer when there is no header.
     */
    static String client(List<IpBlock> proxies, String peer, Enumeration<String> forwardedFor) {
        List<String> hops = new ArrayList<>();
        while (forwardedFor != null && forwardedFor.hasMoreElements()) {
            for (String hop : forwardedFor.nextElement().split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!trusted(proxies, hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }
}
