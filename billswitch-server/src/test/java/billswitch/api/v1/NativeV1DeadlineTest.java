package billswitch.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Past billswitch.api.native-v1-accepted-until only version 2 signatures are accepted. */
@TestPropertySource(properties = "billswitch.api.native-v1-accepted-until=2020-01-01")
class NativeV1DeadlineTest extends IntegrationTest {

    @Test
    void afterTheDeprecationWindowVersion1IsRefusedAndVersion2Accepted() {
        NativeClient client = newPartner(0);

        Http v1 = client.sendV1("GET", "/v1/wallet", "", Map.of());
        Http explicitV1 = client.sendRaw("GET", "/v1/wallet", "", Map.of("X-Signature-Version", "1"),
                "1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        assertThat(v1.status()).isEqualTo(401);
        assertThat(v1.errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(v1.json().get("error").get("message").stringValue()).contains("version 1 is no longer accepted").contains("X-Signature-Version: 2");
        assertThat(explicitV1.errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(client.get("/v1/wallet").status()).isEqualTo(200);
    }
}
