package billswitch.connector.aopay;

import static billswitch.connector.aopay.AopayFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.connector.http.Protocol;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The aopay connector type: its fixed name and credentials, and what it refuses. */
class AopayTypeTest {
    private final AopayType type = new AopayType();

    @Test
    void theTypeAndItsCredentialsAreTheIssues() {
        assertThat(type.type()).isEqualTo("aopay");
        assertThat(type.credentialNames()).containsExactly("registrationId", "signingKey");
        assertThat(type.requiredCredentials()).containsExactly("registrationId");
    }

    @Test
    void aSigningKeySignsWithoutOneNothingIs() {
        Protocol signed = type.create(Map.of("registrationId", "AOP-554", "signingKey", "demo-aopay-secret"));
        Protocol unsigned = type.create(Map.of("registrationId", "AOP-554"));

        assertThat(signed.pay(AopayFixtures.seed001(), NOW).headers())
                .containsEntry("X-AOPay-Signature", AopayFixtures.SEED_001_SIGNATURE);
        assertThat(unsigned.pay(AopayFixtures.seed001(), NOW).headers()).doesNotContainKey("X-AOPay-Signature");
        assertThat(unsigned.pay(AopayFixtures.seed001(), NOW).bodyText()).contains("\"RegistrationID\":\"AOP-554\"");
    }

    @Test
    void refusesWhatIsMissingBlankOrUnknown() {
        assertThatThrownBy(() -> type.create(Map.of())).hasMessageContaining("registrationId");
        assertThatThrownBy(() -> type.create(Map.of("registrationId", " "))).hasMessageContaining("registrationId");
        assertThatThrownBy(() -> type.create(Map.of("registrationId", "AOP-554", "signingKey", "")))
                .hasMessageContaining("signingKey");
        assertThatThrownBy(() -> type.create(Map.of("registrationId", "AOP-554", "apiKey", "x")))
                .hasMessageContaining("apiKey");
    }
}
