package billswitch.api.dialect.appotapay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Vectors computed independently (with the JDK's Mac and by hand), not by the code under test. */
class AppotaSignaturesTest {

    private static String hex(String key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        StringBuilder s = new StringBuilder();
        for (byte b : mac.doFinal(message.getBytes(StandardCharsets.UTF_8))) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }

    @Test
    void theBillPaySignatureSortsItsFields() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("serviceCode", "EVNHN");
        fields.put("partnerRefId", "AB123");
        fields.put("billCode", "PD12121");
        fields.put("amount", "100000");
        fields.put("billDetail", "Array");
        assertThat(AppotaSignatures.signingText(fields))
                .isEqualTo("amount=100000&billCode=PD12121&billDetail=Array&partnerRefId=AB123&serviceCode=EVNHN");
        assertThat(AppotaSignatures.sign("demo-appota-secret", fields))
                .isEqualTo(hex("demo-appota-secret", "amount=100000&billCode=PD12121&billDetail=Array&partnerRefId=AB123&serviceCode=EVNHN"))
                .matches("^[0-9a-f]{64}$");
    }

    @Test
    void theJwtHasTheDocumentedHeaderAndPayloadAndVerifies() throws Exception {
        String token = AppotaSignatures.jwt("APPOTA-DEMO", "demo-appota-key", "demo-appota-secret", 1700000000L, 1700003600L);
        String[] parts = token.split("\\.");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"appotapay-api;v=1\"}");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                .isEqualTo("{\"iss\":\"APPOTA-DEMO\",\"jti\":\"demo-appota-key-1700000000\",\"api_key\":\"demo-appota-key\",\"exp\":1700003600}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("demo-appota-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        assertThat(parts[2]).isEqualTo(expected);
    }
}
