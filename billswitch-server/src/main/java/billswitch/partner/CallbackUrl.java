package billswitch.partner;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A partner's webhook callback URL, and where its deliveries may go: https (http too in sandbox mode) to a
 * public address. Refused, whatever the spelling of the host: loopback (allowed in sandbox mode, for a receiver
 * on the developer's machine), link-local and the cloud metadata addresses (never), private, shared (CGNAT),
 * unspecified, multicast and reserved addresses. The host is resolved and every address it resolves to checked
 * when the URL is saved, and again at each delivery, which connects to the address it checked (so a DNS answer
 * that changes in between cannot redirect it).
 */
public record CallbackUrl(URI uri, String host, int port, boolean tls) {
    /** A host WHATWG URL parsing reads as IPv4: its last label a number (decimal, octal or 0x hex). */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)^(0x[0-9a-f]*|[0-9]+)$");
    private static final Pattern CANONICAL_IPV4 = Pattern.compile("^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$");
    private static final Pattern HOST_NAME = Pattern.compile("(?i)^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$");

    /** Why a URL or an address is refused; its message is fit to show to whoever set the URL. */
    public static class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The host does not resolve (now): nothing to deliver to, nothing to check yet. */
    public static final class Unresolved extends Refused {
        Unresolved(String message) {
            super(message);
        }
    }

    /**
     * Checks a callback URL as it is saved: its form, and every address its host resolves to now; refused with
     * INVALID_REQUEST naming the reason. A name that does not resolve yet is accepted: each delivery resolves
     * and checks it again. Null stays null (no callback).
     */
    public static String validate(String url, boolean sandbox) {
        if (url == null) {
            return null;
        }
        try {
            CallbackUrl parsed = parse(url, sandbox);
            parsed.resolve(sandbox);
            return url;
        } catch (Unresolved e) {
            return url;
        } catch (Refused e) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "callbackUrl refused: " + e.getMessage(),
                    Map.of("callbackUrl", e.getMessage()));
        }
    }

    /** The URL's form: scheme, host, port; no user info, no fragment, no non-canonical numeric host. */
    public static CallbackUrl parse(String url, boolean sandbox) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        if (!tls && !(scheme.equals("http") && sandbox)) {
            throw new Refused(sandbox ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("must not have a fragment");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new Refused("must name a host (an IPv4 address as four decimal numbers, a.b.c.d)");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
            if (host.contains("%")) {
                throw new Refused("must not name an IPv6 zone");
            }
        } else {
            String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            String[] labels = name.split("\\.", -1);
            if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches() && !CANONICAL_IPV4.matcher(name).matches()) {
                throw new Refused("an IPv4 address must be written as four decimal numbers (a.b.c.d)");
            }
            if (!HOST_NAME.matcher(name).matches()) {
                throw new Refused("has an invalid host name");
            }
            host = name;
        }
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new Refused("has an invalid port");
        }
        return new CallbackUrl(uri, host, port, tls);
    }

    /** How long saving a URL waits for its host to resolve. */
    private static final Duration SAVE_RESOLVE_TIMEOUT = Duration.ofSeconds(5);

    /** Every address the host resolves to, each allowed; refused if any one is not. */
    public List<InetAddress> resolve(boolean sandbox) throws Refused {
        return resolve(sandbox, System.nanoTime() + SAVE_RESOLVE_TIMEOUT.toNanos());
    }

    /**
     * Every address the host resolves to, each allowed, resolved by {@code deadline} (System.nanoTime()): the
     * lookup runs on a virtual thread and is abandoned at the deadline (the system resolver has no timeout of its
     * own), answering Unresolved.
     */
    public List<InetAddress> resolve(boolean sandbox, long deadline) throws Refused {
        InetAddress[] addresses = lookUp(host, deadline);
        check(addresses, sandbox);
        return List.of(addresses);
    }

    private static InetAddress[] lookUp(String host, long deadline) throws Refused {
        FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> InetAddress.getAllByName(host));
        Thread.ofVirtual().name("resolve-" + host).start(lookup);
        try {
            return lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new Unresolved("host " + host + " did not resolve in time");
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new Unresolved("host " + host + " was not resolved (interrupted)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                throw new Unresolved("host " + host + " does not resolve");
            }
            throw new Refused("host " + host + " cannot be resolved");
        }
    }

    private void check(InetAddress[] addresses, boolean sandbox) throws Refused {
        for (InetAddress address : addresses) {
            String why = refusal(address, sandbox);
            if (why != null) {
                throw new Refused(host.equals(address.getHostAddress()) ? "is a " + why
                        : "host " + host + " resolves to a " + why);
            }
        }
    }

    /**
     * Checks an upstream connector's base URL by the same address rules as a callback URL: https (http too in
     * sandbox mode or with {@code allowPrivate}); never a link-local, cloud metadata, unspecified, multicast or
     * reserved address; loopback only in sandbox mode or with {@code allowPrivate}; private and shared addresses
     * only with {@code allowPrivate} (billswitch.routing.allow-private-upstreams). A host that does not resolve
     * is accepted in sandbox mode only. The message is fit to show to the admin who set the URL.
     */
    public static void checkUpstream(String url, boolean sandbox, boolean allowPrivate) throws Refused {
        CallbackUrl parsed = parse(url, sandbox || allowPrivate);
        InetAddress[] addresses;
        try {
            addresses = lookUp(parsed.host, System.nanoTime() + SAVE_RESOLVE_TIMEOUT.toNanos());
        } catch (Unresolved e) {
            if (sandbox) {
                return;
            }
            throw e;
        }
        for (InetAddress address : addresses) {
            String why = refusal(address, sandbox || allowPrivate, allowPrivate);
            if (why != null) {
                throw new Refused((parsed.host.equals(address.getHostAddress()) ? "is a " : "host " + parsed.host
                        + " resolves to a ") + why + (allowPrivate ? "" : UPSTREAM_HINT));
            }
        }
    }

    private static final String UPSTREAM_HINT = " (an upstream on a private network or this machine needs"
            + " billswitch.routing.allow-private-upstreams=true)";

    /** The path and query to request, "/" when the URL has none. */
    public String target() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** Why a delivery may not go to {@code address}, or null when it may. */
    static String refusal(InetAddress address, boolean sandbox) {
        return refusal(address, sandbox, false);
    }

    /** Why an address is refused, or null; loopback and private (and shared) addresses only when allowed. */
    private static String refusal(InetAddress address, boolean loopbackAllowed, boolean privateAllowed) {
        if (address.isAnyLocalAddress()) {
            return "unspecified address";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local (or cloud metadata) address";
        }
        if (address.isLoopbackAddress()) {
            return loopbackAllowed ? null : "loopback address (allowed in sandbox mode only)";
        }
        if (address.isMulticastAddress()) {
            return "multicast address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return refusalV4(b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff, privateAllowed);
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if (first == 0xfd && (b[1] & 0xff) == 0x00 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2) {
                return "cloud metadata address";   // fd00:ec2::/32, AWS's IPv6 instance metadata
            }
            if ((first & 0xfe) == 0xfc) {
                return privateAllowed ? null : "private address";          // fc00::/7, unique local
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return privateAllowed ? null : "site-local address";       // fec0::/10
            }
            if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0
                    && b[5] == 1) {
                return "local-use NAT64 address";  // 64:ff9b:1::/48: where it embeds IPv4 depends on the network
            }
            byte[] v4 = embeddedIpv4(b);
            if (v4 != null) {
                try {
                    String why = refusal(InetAddress.getByAddress(v4), loopbackAllowed, privateAllowed);
                    return why == null ? null : why + " (inside an IPv6 address)";
                } catch (UnknownHostException e) {
                    return "invalid address";
                }
            }
        }
        return null;
    }

    private static String refusalV4(int a, int b, int c, int d, boolean privateAllowed) {
        if (a == 0) {
            return "unspecified address";
        }
        if (a == 168 && b == 63 && c == 129 && d == 16) {
            return "cloud metadata address";   // Azure's WireServer
        }
        if (a >= 240 || (a == 192 && b == 0 && c == 0) || (a == 198 && (b & 0xfe) == 18)) {
            return "reserved address";         // 240/4, IETF 192.0.0/24, benchmarking 198.18/15
        }
        if ((a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)) {
            return "documentation (TEST-NET) address";
        }
        if (privateAllowed) {
            return null;
        }
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
            return "private address";
        }
        if (a == 100 && (b & 0xc0) == 64) {
            return "shared (CGNAT) address";
        }
        return null;
    }

    /**
     * The IPv4 address inside an IPv4-compatible (::/96), IPv4-translated (::ffff:0:0/96), NAT64 (64:ff9b::/96),
     * or 6to4 (2002::/16) address.
     */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean zeros96 = true;
        for (int i = 0; i < 12; i++) {
            zeros96 &= b[i] == 0;
        }
        boolean translated = true;   // ::ffff:0:a.b.c.d
        for (int i = 0; i < 8; i++) {
            translated &= b[i] == 0;
        }
        translated &= (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0;
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (zeros96 || translated || nat64) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }
}
