package billswitch.connector.eko;

import static billswitch.connector.eko.EkoFixtures.ACCESS_KEY;
import static billswitch.connector.eko.EkoFixtures.DEVELOPER_KEY;
import static billswitch.connector.eko.EkoFixtures.INITIATOR;
import static billswitch.connector.eko.EkoFixtures.USER_CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.connector.http.HttpCall;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The "eko" connector type: its fixed credentials, checked before a protocol is made from them. */
class EkoTypeTest {
    private final EkoType type = new EkoType(EkoFixtures.clock());

    private static Map<String, String> sandbox() {
        Map<String, String> credentials = new HashMap<>();
        credentials.put("developerKey", DEVELOPER_KEY);
        credentials.put("accessKey", ACCESS_KEY);
        credentials.put("initiatorId", INITIATOR);
        credentials.put("userCode", USER_CODE);
        return credentials;
    }

    @Test
    void typeAndCredentialsAreTheIssues() {
        assertThat(type.type()).isEqualTo("eko");
        assertThat(type.credentialNames()).containsExactly("developerKey", "accessKey", "initiatorId", "userCode");
        assertThat(type.requiredCredentials()).containsExactly("developerKey", "accessKey", "initiatorId", "userCode");
    }

    @Test
    void ekosSandboxCredentialsMakeAProtocolThatSignsWithThem() {
        HttpCall call = type.create(sandbox()).status(EkoFixtures.payment(EkoFixtures.BSES, "151627591", 5_000), EkoFixtures.NOW);
        assertThat(call.headers()).containsEntry("developer_key", DEVELOPER_KEY)
                .containsEntry("secret-key", EkoFixtures.SECRET_KEY_AT_NOW);
        assertThat(call.pathAndQuery()).endsWith("?initiator_id=" + INITIATOR);
    }

    @ParameterizedTest(name = "{0} = \"{1}\" is refused")
    @CsvSource({
            "developerKey, ''",
            "developerKey, 'two words'",
            "accessKey, '  '",
            "initiatorId, 99629817",
            "initiatorId, 99629817290",
            "initiatorId, 99629-1729",
            "userCode, ''",
            "userCode, 2081 0200"})
    void malformedCredentialsAreRefusedByName(String name, String value) {
        Map<String, String> credentials = sandbox();
        credentials.put(name, value);
        assertThatThrownBy(() -> type.create(credentials)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
    }

    @Test
    void missingAndUnknownCredentialsAreRefused() {
        Map<String, String> missing = sandbox();
        missing.remove("accessKey");
        assertThatThrownBy(() -> type.create(missing)).hasMessageContaining("accessKey").hasMessageContaining("required");
        Map<String, String> extra = sandbox();
        extra.put("secretKey", "x");
        assertThatThrownBy(() -> type.create(extra)).hasMessageContaining("secretKey");
    }

    @Test
    void aRefusalNeverShowsTheValue() {
        Map<String, String> credentials = sandbox();
        credentials.put("accessKey", "my secret");
        assertThatThrownBy(() -> type.create(credentials)).message().doesNotContain("my secret");
    }
}
