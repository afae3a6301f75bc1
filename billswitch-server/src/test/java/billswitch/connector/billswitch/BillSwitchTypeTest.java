package billswitch.connector.billswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.connector.http.Protocol;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connector type: its name and credentials as the issue fixes them, and what it refuses. */
class BillSwitchTypeTest {
    private final BillSwitchType type = new BillSwitchType(Fixtures.CLOCK);

    @Test
    void itIsTheBillswitchTypeWithAnApiKeyAndSecretAndAnOptionalWebhookSecret() {
        assertThat(type.type()).isEqualTo("billswitch");
        assertThat(type.requiredCredentials()).containsExactly("apiKey", "secret");
        assertThat(type.credentialNames()).containsExactly("apiKey", "secret", "webhookSecret", "currency");
    }

    @Test
    void theProtocolSignsWithTheGivenKeyAndSecretAndReadsTheConfiguredWallet() {
        Protocol protocol = type.create(Map.of("apiKey", "demo-key", "secret", "demo-secret", "currency", "VND"));

        var call = protocol.balance(Fixtures.NOW).orElseThrow();
        assertThat(call.pathAndQuery()).isEqualTo("/v1/wallet?currency=VND");
        assertThat(call.headers()).containsEntry("X-Api-Key", "demo-key").containsEntry("X-Signature",
                NativeProtocolTest.readmeSignature("1796551200000", "GET", "/v1/wallet?currency=VND", null, null, ""));
        assertThat(type.create(Map.of("apiKey", "demo-key", "secret", "demo-secret")).balance(Fixtures.NOW)
                .orElseThrow().pathAndQuery()).isEqualTo("/v1/wallet?currency=INR");
    }

    @Test
    void credentialsMissingBlankUnknownOrUnusableAreRefusedByName() {
        assertRefused(Map.of("apiKey", "demo-key"), "'secret'");
        assertRefused(Map.of("secret", "demo-secret"), "'apiKey'");
        assertRefused(Map.of("apiKey", "demo-key", "secret", " "), "'secret'");
        assertRefused(Map.of("apiKey", "demo-key", "secret", "s", "webhookSecret", ""), "'webhookSecret'");
        assertRefused(Map.of("apiKey", "demo-key", "secret", "s", "accessKey", "x"), "'accessKey'");
        assertRefused(Map.of("apiKey", "demo key", "secret", "s"), "'apiKey'");
        assertRefused(Map.of("apiKey", "demo-key\r\nX-Evil: 1", "secret", "s"), "'apiKey'");
        assertRefused(Map.of("apiKey", "demo-key", "secret", "s", "currency", "USD"), "'currency'");
        Map<String, String> nullSecret = new HashMap<>(Map.of("apiKey", "demo-key"));
        nullSecret.put("secret", null);
        assertRefused(nullSecret, "'secret'");
    }

    private void assertRefused(Map<String, String> credentials, String naming) {
        assertThatThrownBy(() -> type.create(credentials)).as(credentials.toString())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(naming);
    }
}
