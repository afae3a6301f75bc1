package billswitch.infra.http;

import static billswitch.support.SocketClient.exchange;
import static billswitch.support.SocketClient.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.partner.PartnerService;
import billswitch.shared.Secret;
import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Issue 30, item 1: on a cloud platform (where Spring Boot trusts forwarded headers by itself) X-Forwarded-For from a
 * caller that is not a trusted proxy changes nothing, through the native allow-list and AOPay's unsigned allow-list
 * mode; from a trusted proxy the client is the rightmost hop that is not a trusted proxy. /0 allow-list entries are
 * refused.
 */
class ForwardedForTest extends EdgeServer {
    private static final String WALLET = "/v1/wallet?currency=INR";

    private String nativeGet(String from, NativeClient client, String forwardedFor) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(signed(client, "GET", WALLET, null));
        if (forwardedFor != null) {
            headers.put("X-Forwarded-For", forwardedFor);
        }
        return exchange(from, port, "GET", WALLET, headers, null);
    }

    @Test
    void aSpoofedForwardedForFromACallerThatIsNoProxyDoesNotPassTheNativeAllowList() throws Exception {
        NativeClient onlyLoopback = newPartner(0, List.of("127.0.0.1"));

        String spoofed = nativeGet(SPOOFER, onlyLoopback, "127.0.0.1");

        assertThat(status(spoofed)).as(spoofed).isEqualTo(403);
        assertThat(spoofed).contains("IP_NOT_ALLOWED").contains("Requests from " + SPOOFER);
        // The same request from the allow-listed address itself passes: the partner and its signature are good.
        assertThat(status(nativeGet("127.0.0.1", onlyLoopback, null))).isEqualTo(200);
    }

    @Test
    void aSpoofedForwardedForFromACallerThatIsNoProxyDoesNotPassAnAopayAllowListUnsigned() throws Exception {
        NativeClient client = newPartner(100_000);
        String registrationId = "AOP-" + UUID.randomUUID().toString().substring(0, 6);
        partners.addCredential(client.partnerId, PartnerService.AOPAY, registrationId, Secret.of("aopay-" + UUID.randomUUID()),
                List.of("127.0.0.1"), Map.of());
        String body = """
                {"RegistrationID": "%s", "ProductID": 518, "Amount": 10, "Geocode": "23.6784,76.8764", "CustomerNumber": 9876543276}"""
                .formatted(registrationId);

        String spoofed = exchange(SPOOFER, port, "POST", "/api/AOP/V2/MobileRecharge",
                Map.of("Content-Type", "application/json", "X-Forwarded-For", "127.0.0.1"), body);

        assertThat(status(spoofed)).as(spoofed).isEqualTo(401);
        assertThat(spoofed).contains("\"response_code\":22").contains("not on the AOPay allow-list");
        assertThat(client.availableInr()).as("nothing debited").isEqualTo(100_000);
    }

    @Test
    void fromATrustedProxyTheClientIsTheRightmostHopThatIsNoTrustedProxy() throws Exception {
        NativeClient behindProxy = newPartner(0, List.of("198.51.100.7"));
        NativeClient onlyLoopback = newPartner(0, List.of("127.0.0.1"));
        // The client wrote "127.0.0.1" itself; the proxy appended the client's real address; 10.1.2.3 is a trusted hop.
        String chain = "127.0.0.1, 198.51.100.7, 10.1.2.3";

        assertThat(status(nativeGet(PROXY, behindProxy, chain))).isEqualTo(200);
        String spoofed = nativeGet(PROXY, onlyLoopback, chain);
        assertThat(status(spoofed)).as(spoofed).isEqualTo(403);
        assertThat(spoofed).contains("Requests from 198.51.100.7");
        // Without the header, a request from the proxy is the proxy's own.
        assertThat(nativeGet(PROXY, behindProxy, null)).contains("Requests from " + PROXY);
    }

    @Test
    void fromATrustedProxyAnAopayAllowListSeesTheClient() throws Exception {
        NativeClient client = newPartner(100_000);
        String registrationId = "AOP-" + UUID.randomUUID().toString().substring(0, 6);
        partners.addCredential(client.partnerId, PartnerService.AOPAY, registrationId, Secret.of("aopay-" + UUID.randomUUID()),
                List.of("198.51.100.7"), Map.of());
        String body = """
                {"RegistrationID": "%s", "ProductID": 518, "Amount": 10, "Geocode": "23.6784,76.8764", "CustomerNumber": 9876543276}"""
                .formatted(registrationId);

        String paid = exchange(PROXY, port, "POST", "/api/AOP/V2/MobileRecharge",
                Map.of("Content-Type", "application/json", "X-Forwarded-For", "198.51.100.7"), body);

        assertThat(status(paid)).as(paid).isEqualTo(200);
        assertThat(client.availableInr()).isEqualTo(100_000 - 1_000 + 25 - 1);   // commission less its TDS (2%, half up)
    }

    @Test
    void anAllowListEntryOfEveryAddressIsRefused() {
        AdminClient admin = new AdminClient("http://localhost:" + adminConnector.localPort(), "demo-admin");
        for (String everything : List.of("0.0.0.0/0", "::/0")) {
            Http answer = admin.post("/admin/partners", """
                    {"id":"EVERY-%s","name":"Everyone","ipAllowList":["%s"]}""".formatted(UUID.randomUUID().toString().substring(0, 6),
                    everything));
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.errorCode()).isEqualTo("INVALID_REQUEST");
            assertThat(answer.body()).contains("admits every address");
        }
    }

    @Test
    void aForwardedHeadersStrategyOtherThanNoneIsRefusedAtStart() {
        for (String strategy : List.of("native", "framework")) {
            MockEnvironment environment = new MockEnvironment().withProperty("server.forward-headers-strategy", strategy);
            assertThatThrownBy(() -> new ProxyConfig().forwardedClientFilter(new TrustedProxies(List.of()), environment))
                    .hasMessageContaining("billswitch.proxy.trusted-proxies");
        }
        assertThatThrownBy(() -> new TrustedProxies(List.of("0.0.0.0/0"))).hasMessageContaining("trusts every address");
    }
}
