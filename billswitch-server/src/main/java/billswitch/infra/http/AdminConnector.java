package billswitch.infra.http;

import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the admin API listens (billswitch.admin.port, .address). With a port, a connector of its own on that
 * address (loopback by default), and /admin/** is not served on the partners' port; without one (sandbox mode's
 * default), the admin API shares the partners' port.
 */
@ConfigurationProperties(prefix = "billswitch.admin")
public final class AdminConnector {
    private Integer port;
    private String address = "127.0.0.1";
    private volatile ServerConnector connector;

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    /** True when the admin API has a port of its own. */
    public boolean separate() {
        return port != null;
    }

    /** The admin connector's port once listening (the chosen one when billswitch.admin.port is 0); -1 before. */
    public int localPort() {
        ServerConnector listening = connector;
        return listening == null ? -1 : listening.getLocalPort();
    }

    void listening(ServerConnector connector) {
        this.connector = connector;
    }
}
