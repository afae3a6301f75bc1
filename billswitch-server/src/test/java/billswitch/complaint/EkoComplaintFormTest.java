package billswitch.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.partner.PartnerService;
import billswitch.shared.Secret;
import billswitch.support.DialectPayments;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Eko's complaint form: registered and read in Eko's envelope, authenticated like Eko's calls, bad input as Eko's 97. */
class EkoComplaintFormTest extends IntegrationTest {

    private record Eko(RawClient raw, String developerKey, String accessKey) {
        Map<String, String> headers(String contentType) {
            String ts = Long.toString(NativeClient.uniqueMillis());
            Map<String, String> h = new LinkedHashMap<>();
            h.put("developer_key", developerKey);
            h.put("secret-key", hmac(accessKey, ts));
            h.put("secret-key-timestamp", ts);
            if (contentType != null) {
                h.put("Content-Type", contentType);
            }
            return h;
        }

        Http complain(String form) {
            return raw.post("/ekoapi/v2/billpayments/complaint?initiator_id=" + DialectPayments.EKO_INITIATOR, form,
                    headers("application/x-www-form-urlencoded"));
        }

        Http read(String id) {
            return raw.get("/ekoapi/v2/billpayments/complaint/" + id + "?initiator_id=" + DialectPayments.EKO_INITIATOR,
                    headers(null));
        }
    }

    static String hmac(String accessKey, String message) {
        try {
            String key = Base64.getEncoder().encodeToString(accessKey.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Eko eko(NativeClient client) {
        String developerKey = UUID.randomUUID().toString().replace("-", "");
        String accessKey = UUID.randomUUID().toString();
        partners.addCredential(client.partnerId, PartnerService.EKO, developerKey, Secret.of(accessKey), List.of(),
                Map.of("initiatorId", DialectPayments.EKO_INITIATOR, "userCodes", List.of(DialectPayments.EKO_USER_CODE),
                        "requireRequestHash", true));
        return new Eko(new RawClient("http://localhost:" + port), developerKey, accessKey);
    }

    @Test
    void aComplaintIsRegisteredAndReadInEkosEnvelope() {
        NativeClient client = newPartner(1_000_000);
        Eko eko = eko(client);
        String tid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":5000,"currency":"INR"}""",
                "eko-cmp-1").text("id");

        Http registered = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE
                + "&client_ref_id=eko-cmp-1&complaint_type=D22&description=Debited+twice");
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().get("status").intValue()).isEqualTo(0);
        assertThat(registered.json().get("response_status_id").intValue()).isEqualTo(-1);
        assertThat(registered.json().get("response_type_id").intValue()).isEqualTo(1701);
        String id = registered.json().get("data").get("complaint_id").stringValue();
        assertThat(registered.json().get("data").get("complaint_status").stringValue()).isEqualTo("INITIALIZED");
        assertThat(registered.json().get("data").get("complaint_type").stringValue()).isEqualTo("PAID_TWICE");
        assertThat(registered.json().get("data").get("tid").stringValue()).isEqualTo(tid);
        assertThat(registered.json().get("data").get("due_at").stringValue()).endsWith("+05:30");

        // the same complaint, natively
        assertThat(client.get("/v1/complaints/" + id).text("type")).isEqualTo("PAID_TWICE");

        Http read = eko.read(id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("response_type_id").intValue()).isEqualTo(1702);
        assertThat(read.json().get("data").get("complaint_id").stringValue()).isEqualTo(id);

        // JSON body and tid work too
        Http byTid = eko.raw().post("/ekoapi/v2/billpayments/complaint?initiator_id=" + DialectPayments.EKO_INITIATOR,
                """
                {"user_code":"%s","tid":"%s","complaint_type":"NOT_CREDITED","description":"No credit"}"""
                        .formatted(DialectPayments.EKO_USER_CODE, tid), eko.headers("application/json"));
        assertThat(byTid.json().get("data").get("disposition").stringValue()).isEqualTo("D11");
    }

    @Test
    void badFormsAndStrangersAreRefusedInEkosWords() {
        NativeClient client = newPartner(1_000_000);
        Eko eko = eko(client);
        String tid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":5000,"currency":"INR"}""",
                "eko-cmp-2").text("id");
        long available = client.availableInr();

        Http invalid = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE + "&client_ref_id=eko-cmp-2&complaint_type=LOST");
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.json().get("status").intValue()).isEqualTo(97);
        assertThat(invalid.json().get("invalid_params").has("complaint_type")).isTrue();
        assertThat(invalid.json().get("invalid_params").has("description")).isTrue();

        Http both = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE + "&tid=" + tid
                + "&client_ref_id=eko-cmp-2&complaint_type=D21&description=x");
        assertThat(both.json().get("status").intValue()).isEqualTo(97);
        assertThat(both.json().get("invalid_params").has("tid")).isTrue();
        Http neither = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE + "&tid=&complaint_type=D21&description=x");
        assertThat(neither.json().get("invalid_params").has("tid")).isTrue();
        Http letters = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE + "&tid=12ab&complaint_type=D21&description=x");
        assertThat(letters.json().get("invalid_params").get("tid").stringValue()).contains("digits");
        Http tooLong = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE + "&tid=" + tid
                + "&complaint_type=D21&description=" + "x".repeat(257));
        assertThat(tooLong.json().get("invalid_params").has("description")).isTrue();
        Http notJson = eko.raw().post("/ekoapi/v2/billpayments/complaint?initiator_id=" + DialectPayments.EKO_INITIATOR,
                "{\"tid\":", eko.headers("application/json"));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("status").intValue()).isEqualTo(97);
        Http noUser = eko.complain("tid=" + tid + "&complaint_type=D21&description=x");
        assertThat(noUser.json().get("status").intValue()).isEqualTo(97);
        Http otherUser = eko.complain("user_code=99999999&tid=" + tid + "&complaint_type=D21&description=x");
        assertThat(otherUser.json().get("status").intValue()).isEqualTo(346);
        Http otherInitiator = eko.raw().post("/ekoapi/v2/billpayments/complaint?initiator_id=9000000000",
                "user_code=" + DialectPayments.EKO_USER_CODE + "&tid=" + tid + "&complaint_type=D21&description=x",
                eko.headers("application/x-www-form-urlencoded"));
        assertThat(otherInitiator.json().get("status").intValue()).isEqualTo(319);

        Http unknown = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE
                + "&tid=999999999999&complaint_type=D21&description=x");
        assertThat(unknown.json().get("status").intValue()).isEqualTo(168);
        assertThat(unknown.json().get("message").stringValue()).isEqualTo("TID does not exist");

        Http duplicate1 = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE
                + "&client_ref_id=eko-cmp-2&complaint_type=D21&description=x");
        assertThat(duplicate1.json().get("status").intValue()).isEqualTo(0);
        String id = duplicate1.json().get("data").get("complaint_id").stringValue();
        Http duplicate2 = eko.complain("user_code=" + DialectPayments.EKO_USER_CODE
                + "&client_ref_id=eko-cmp-2&complaint_type=WRONG_ACCOUNT&description=again");
        assertThat(duplicate2.json().get("status").intValue()).isEqualTo(909);
        assertThat(duplicate2.json().get("invalid_params").get("complaintId").stringValue()).isEqualTo(id);

        Map<String, String> badKey = eko.headers("application/x-www-form-urlencoded");
        badKey.put("secret-key", "wrong");
        Http unsigned = eko.raw().post("/ekoapi/v2/billpayments/complaint?initiator_id=" + DialectPayments.EKO_INITIATOR,
                "user_code=" + DialectPayments.EKO_USER_CODE + "&client_ref_id=eko-cmp-2&complaint_type=D23&description=x",
                badKey);
        assertThat(unsigned.status()).isEqualTo(403);

        assertThat(eko.read("abc").json().get("status").intValue()).isEqualTo(463);
        assertThat(eko.read("999999999999").json().get("status").intValue()).isEqualTo(463);

        // another partner can neither read this complaint nor complain about this partner's transaction
        NativeClient other = newPartner(0);
        Eko stranger = eko(other);
        Http foreign = stranger.read(id);
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.json().get("status").intValue()).isEqualTo(463);
        assertThat(foreign.body()).doesNotContain("eko-cmp-2");
        Http foreignTid = stranger.complain("user_code=" + DialectPayments.EKO_USER_CODE + "&tid=" + tid
                + "&complaint_type=D23&description=x");
        assertThat(foreignTid.json().get("status").intValue()).isEqualTo(168);
        Http foreignRef = stranger.complain("user_code=" + DialectPayments.EKO_USER_CODE
                + "&client_ref_id=eko-cmp-2&complaint_type=D23&description=x");
        assertThat(foreignRef.json().get("status").intValue()).isEqualTo(168);

        assertThat(client.get("/v1/complaints/" + id).text("status")).isEqualTo("INITIALIZED");
        assertThat(client.availableInr()).isEqualTo(available);
    }
}
