package billswitch.infra.http;

import billswitch.shared.IpBlock;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code limit} open connections from one client address: the next one is closed as it opens, before it is
 * read. Jetty's own ConnectionLimit counts all connections together, so one address holding many open (a slow-body
 * attack) would shut everyone else out; this shuts out only that address. Trusted proxies are not counted: they
 * carry many clients' connections. An IPv6 client is counted by its /64, the block one host is usually given.
 */
final class ConnectionsPerAddress implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(ConnectionsPerAddress.class);

    private final int limit;
    private final List<IpBlock> exempt;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /**
     * The address each counted connection was counted under, to take it off when it closes: by then its endpoint
     * may no longer know its remote address (a closed channel has none), and a count never taken off would shut the
     * address out for good.
     */
    private final ConcurrentHashMap<Connection, InetAddress> countedAs = new ConcurrentHashMap<>();

    ConnectionsPerAddress(int limit, List<IpBlock> exempt) {
        this.limit = limit;
        this.exempt = exempt;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = counted(connection);
        if (address == null) {
            return;
        }
        countedAs.put(connection, address);
        int now = open.merge(address, 1, Integer::sum);
        if (now > limit) {
            if (now == limit + 1) {
                log.warn("Closing connections from {}: it holds {} open (billswitch.http.max-connections-per-address)",
                        address.getHostAddress(), limit);
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = countedAs.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** The connection's remote address when it is counted: not a trusted proxy's. */
    private InetAddress counted(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return null;
        }
        InetAddress address = inet.getAddress();
        for (IpBlock proxy : exempt) {
            if (proxy.contains(address.getAddress())) {
                return null;
            }
        }
        if (address instanceof Inet6Address) {
            try {
                return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(address.getAddress(), 8), 16));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address;
    }
}
