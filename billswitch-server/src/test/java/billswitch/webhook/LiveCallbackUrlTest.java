package billswitch.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.infra.http.AdminConnector;
import billswitch.support.AdminClient;
import billswitch.support.Http;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Outside sandbox mode (the real server, no sandbox profile): a callback URL must be https to a public address;
 * loopback, by address or by a name that resolves to it, is refused like any other local address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "billswitch.master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "billswitch.admin-token=live-admin-token-0123456789abcdef",
        "billswitch.admin.port=0"})
@ActiveProfiles("test")
class LiveCallbackUrlTest {
    @Autowired
    AdminConnector adminConnector;

    @Test
    void outsideSandboxModeOnlyHttpsToAPublicAddressIsAccepted() throws Exception {
        AdminClient admin = new AdminClient("http://localhost:" + adminConnector.localPort(), "live-admin-token-0123456789abcdef");
        Http created = admin.post("/admin/partners", "{\"id\":\"LIVE-1\",\"name\":\"Live partner\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        int local;
        try (ServerSocket s = new ServerSocket(0)) {
            local = s.getLocalPort();
        }
        for (String url : List.of("http://127.0.0.1:" + local + "/hooks", "https://127.0.0.1:" + local + "/hooks",
                "https://localhost:" + local + "/hooks", "https://[::1]:" + local + "/", "https://2130706433/",
                "https://169.254.169.254/", "https://10.0.0.1/", "http://93.184.215.14/hooks")) {
            Http refused = admin.post("/admin/partners/LIVE-1/webhook", "{\"callbackUrl\":\"" + url + "\"}");
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.errorCode()).as(url).isEqualTo("INVALID_REQUEST");
            assertThat(refused.body()).as(url).contains("callbackUrl");
        }
        Http refused = admin.post("/admin/partners/LIVE-1/webhook", "{\"callbackUrl\":\"https://localhost/hooks\"}");
        assertThat(refused.body()).contains("resolves to a loopback address");
        assertThat(admin.post("/admin/partners/LIVE-1/webhook", "{\"callbackUrl\":\"http://93.184.215.14/\"}").body())
                .contains("must be an https URL");
        Http accepted = admin.post("/admin/partners/LIVE-1/webhook", "{\"callbackUrl\":\"https://93.184.215.14/hooks\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    }
}
