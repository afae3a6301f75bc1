package billswitch.infra.http;

import static billswitch.support.SocketClient.head;
import static billswitch.support.SocketClient.readToEnd;
import static billswitch.support.SocketClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.SocketClient;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 30: slow bodies at the server's default limits (200 request threads, 64 connections per address, half the
 * threads reading a body at once, a body at 1024 bytes a second at least and within 30 s). Senders just above the
 * minimum rate with a known key, more of them than there are request threads, from several addresses: an honest
 * request and payment are still answered. Before, one address could hold 256 connections and every slow body a thread.
 */
@TestPropertySource(properties = "billswitch.http.max-connections-per-address=64") // application.yml's default; the test profile turns it off
class SlowBodiesAtDefaultLimitsTest extends IntegrationTest {
    private static final String RECHARGE = "/v1/recharges";
    /** Generous for a request on loopback, and shorter than the 30 s body deadline the slow senders would be cut at. */
    private static final int CLIENT_TIMEOUT_MILLIS = 20_000;

    @Test
    void sendersJustAboveTheMinimumRateDoNotStopAnHonestRequestOrPayment() throws Exception {
        NativeClient attacker = newPartner(0);
        NativeClient honest = newPartner(100_000);
        try (SlowSenders senders = new SlowSenders()) {
            // More than the threads from one address, and some from another: the per-address limit keeps them to 94.
            senders.open("127.0.0.21", port, 210, () -> slowRechargeHead(attacker))
                    .open("127.0.0.22", port, 30, () -> slowRechargeHead(attacker));
            assertThat(status(wallet(honest))).isEqualTo(200);
            String payment = pay(honest);
            assertThat(status(payment)).as(payment).isEqualTo(200);
            assertThat(payment).contains("SUCCESS");

            // 64 more from each of three more addresses, 286 in all, more than the request threads: past the body
            // readers they are answered BUSY, and the threads left serve everyone else.
            for (String from : new String[] {"127.0.0.23", "127.0.0.24", "127.0.0.25"}) {
                senders.open(from, port, 64, () -> slowRechargeHead(attacker));
            }
            String wallet = wallet(honest);
            assertThat(status(wallet)).as(wallet).isEqualTo(200);
            String busyOrPaid = pay(honest);
            assertThat(status(busyOrPaid)).as(busyOrPaid).isIn(200, 503);
            if (status(busyOrPaid) == 503) {
                assertThat(busyOrPaid).contains("BUSY").containsIgnoringCase("Retry-After: 1");
            }
        }
    }

    private String wallet(NativeClient honest) throws IOException {
        return answer("GET", "/v1/wallet?currency=INR", new LinkedHashMap<>(EdgeServer.signed(honest, "GET",
                "/v1/wallet?currency=INR", null)), null);
    }

    private String pay(NativeClient honest) throws IOException {
        String body = """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""";
        Map<String, String> headers = new LinkedHashMap<>(EdgeServer.signed(honest, "POST", RECHARGE, body));
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", "honest-" + System.nanoTime());
        return answer("POST", RECHARGE, headers, body);
    }

    /** The head of a signed recharge announcing a 64 KB body (sent slowly; it never completes in time). */
    private static String slowRechargeHead(NativeClient client) {
        Map<String, String> headers = new LinkedHashMap<>(EdgeServer.signed(client, "POST", RECHARGE, "{}"));
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", "slow-" + System.nanoTime());
        headers.put("Content-Length", "65536");
        return head("POST", RECHARGE, headers);
    }

    /** One request from 127.0.0.1 and its whole answer; fails when none comes within the client's timeout. */
    private String answer(String method, String target, Map<String, String> headers, String body) throws IOException {
        try (Socket socket = SocketClient.open("127.0.0.1", port)) {
            socket.setSoTimeout(CLIENT_TIMEOUT_MILLIS);
            if (body != null) {
                headers.put("Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
            }
            socket.getOutputStream().write((head(method, target, headers) + (body == null ? "" : body))
                    .getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return readToEnd(socket.getInputStream());
        }
    }
}
