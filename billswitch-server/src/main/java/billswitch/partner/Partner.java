package billswitch.partner;

import java.util.List;

/** An API partner: keeps prepaid wallets with us and calls our APIs. */
public record Partner(String id, String name, Status status, String callbackUrl, List<String> ipAllowList) {

    public enum Status { ACTIVE, SUSPENDED }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    /** An empty allow-list admits any source address. */
    public boolean admits(String remoteAddress) {
        return ipAllowList.isEmpty() || IpAllowList.matches(ipAllowList, remoteAddress);
    }
}
