package billswitch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import billswitch.support.IntegrationTest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 30, item 12: sandbox mode listens on loopback only (its demo keys are public), unless server.address says
 * otherwise. Reached on loopback, refused on this machine's other address.
 */
class SandboxBindTest extends IntegrationTest {

    @Test
    void theSandboxListensOnLoopbackOnly() throws Exception {
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            assertThat(loopback.isConnected()).isTrue();
        }
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeThat(external).as("this machine has an address other than loopback").isPresent();
        assertThatThrownBy(() -> {
            try (Socket outside = new Socket()) {
                outside.connect(new InetSocketAddress(external.get(), port), 5_000);
            }
        }).isInstanceOf(java.net.ConnectException.class);
    }
}
