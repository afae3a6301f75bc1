package billswitch.api.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.partner.PartnerService;
import billswitch.shared.Secret;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Eko's secret-key is a bearer token for its time window: through the real server, a (secret-key-timestamp,
 * request_hash) pair pays once, request_hash is required unless the partner's credential turns it off (through
 * the admin API), and a timestamp far ahead is refused. Signed as seed 003 tells Eko's clients to.
 */
class EkoReplayTest extends IntegrationTest {
    private static final String INITIATOR = "9962981729";
    private static final String USER_CODE = "20810200";
    private static final String PAY = "/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR;

    private record EkoPartner(String developerKey, String accessKey, NativeClient nativeClient) {
    }

    private RawClient raw() {
        return new RawClient("http://localhost:" + port);
    }

    /** A partner with an Eko credential; {@code attributes} beside the initiator and user code (none: the defaults). */
    private EkoPartner newEkoPartner(long inrMinor, Map<String, Object> attributes) {
        return newEkoPartner(inrMinor, attributes, List.of());
    }

    /** As above, with the credential's own IP allow-list. */
    private EkoPartner newEkoPartner(long inrMinor, Map<String, Object> attributes, List<String> ipAllowList) {
        NativeClient client = newPartner(inrMinor);
        String developerKey = UUID.randomUUID().toString().replace("-", "");
        String accessKey = UUID.randomUUID().toString();
        Map<String, Object> all = new LinkedHashMap<>(Map.of("initiatorId", INITIATOR, "userCodes", List.of(USER_CODE)));
        all.putAll(attributes);
        partners.addCredential(client.partnerId, PartnerService.EKO, developerKey, Secret.of(accessKey), ipAllowList, all);
        return new EkoPartner(developerKey, accessKey, client);
    }

    private static String hmac(String accessKey, String message) {
        try {
            String encodedKey = Base64.getEncoder().encodeToString(accessKey.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(encodedKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Eko's headers for a payment signed at {@code ts}, with its request_hash unless {@code account} is null. */
    private static Map<String, String> payHeaders(EkoPartner p, long ts, String account, String amount) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("developer_key", p.developerKey());
        h.put("secret-key", hmac(p.accessKey(), Long.toString(ts)));
        h.put("secret-key-timestamp", Long.toString(ts));
        if (account != null) {
            h.put("request_hash", hmac(p.accessKey(), ts + account + amount + USER_CODE));
        }
        h.put("Content-Type", "application/x-www-form-urlencoded");
        return h;
    }

    private static String payForm(String ref, String account, String amount) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("user_code", USER_CODE);
        f.put("client_ref_id", ref);
        f.put("utility_acc_no", account);
        f.put("confirmation_mobile_no", "9876543210");
        f.put("sender_name", "Flipkart");
        f.put("operator_id", "400");
        f.put("source_ip", "121.121.1.1");
        f.put("latlong", "77.06794760,77.0687474");
        f.put("amount", amount);
        return f.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void assertPaid(Http answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode j = answer.json();
        assertThat(j.get("status").intValue()).as(answer.body()).isZero();
        assertThat(j.get("data").get("tx_status").intValue()).isZero();
    }

    private static String ref() {
        return "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void aSecretKeyAndRequestHashPairPaysOnceWhateverTheClientRefId() {
        EkoPartner p = newEkoPartner(1_000_000, Map.of());
        long ts = System.currentTimeMillis();
        Map<String, String> signed = payHeaders(p, ts, "9876543210", "10");
        assertPaid(raw().post(PAY, payForm(ref(), "9876543210", "10"), signed));
        long afterOne = p.nativeClient().availableInr();

        Http again = raw().post(PAY, payForm(ref(), "9876543210", "10"), signed);

        assertThat(again.status()).isEqualTo(403);
        assertThat(again.json().get("status").intValue()).isEqualTo(403);
        assertThat(again.json().get("message").stringValue()).contains("already used");
        assertThat(p.nativeClient().availableInr()).isEqualTo(afterOne);
    }

    @Test
    void twoPaymentsSignedInTheSameMillisecondForDifferentAccountsAreBothPaid() {
        EkoPartner p = newEkoPartner(1_000_000, Map.of());
        long ts = System.currentTimeMillis();

        assertPaid(raw().post(PAY, payForm(ref(), "9876543210", "10"), payHeaders(p, ts, "9876543210", "10")));
        assertPaid(raw().post(PAY, payForm(ref(), "9876543211", "10"), payHeaders(p, ts, "9876543211", "10")));
        assertPaid(raw().post(PAY, payForm(ref(), "9876543210", "11"), payHeaders(p, ts, "9876543210", "11")));
    }

    @Test
    void requestHashIsRequiredByDefaultAndAPartnerFlagSetThroughTheAdminApiTurnsItOff() {
        EkoPartner p = newEkoPartner(1_000_000, Map.of(), LOCAL);
        Http refused = raw().post(PAY, payForm(ref(), "9876543210", "10"),
                payHeaders(p, System.currentTimeMillis(), null, null));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000_000);

        Http patched = admin().send("PATCH", "/admin/partners/" + p.nativeClient().partnerId + "/credentials/"
                + p.developerKey(), "{\"attributes\":{\"requireRequestHash\":false}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("attributes").get("requireRequestHash").booleanValue()).isFalse();
        assertThat(patched.json().get("attributes").get("initiatorId").stringValue()).isEqualTo(INITIATOR);

        assertPaid(raw().post(PAY, payForm(ref(), "9876543210", "10"), payHeaders(p, System.currentTimeMillis(), null, null)));

        Http notBoolean = admin().send("PATCH", "/admin/partners/" + p.nativeClient().partnerId + "/credentials/"
                + p.developerKey(), "{\"attributes\":{\"requireRequestHash\":\"no\"}}");
        assertThat(notBoolean.status()).isEqualTo(400);
    }

    /** The addresses a test's requests come from. */
    private static final List<String> LOCAL = List.of("127.0.0.1", "::1");

    /**
     * Without request_hash, a captured payment's secret-key pays anything for its time window: the flag that lets a
     * partner omit it is refused by the admin API unless the credential has its own allow-list, on adding the
     * credential and on changing it.
     */
    @Test
    void theAdminApiRefusesToTurnTheHashOffForACredentialWithoutAnAllowList() {
        EkoPartner p = newEkoPartner(1_000_000, Map.of());
        Http patched = admin().send("PATCH", "/admin/partners/" + p.nativeClient().partnerId + "/credentials/"
                + p.developerKey(), "{\"attributes\":{\"requireRequestHash\":false}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(400);
        assertThat(patched.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(patched.json().get("error").get("fields").has("attributes.requireRequestHash")).isTrue();
        assertThat(raw().post(PAY, payForm(ref(), "9876543210", "10"), payHeaders(p, System.currentTimeMillis(), null, null))
                .status()).isEqualTo(403);

        String partnerId = newPartner(0).partnerId; // one Eko credential a partner
        Http added = admin().send("POST", "/admin/partners/" + partnerId + "/credentials", """
                {"dialect":"EKO","keyId":"nohash-%s","attributes":{"initiatorId":"%s","userCodes":["%s"],"requireRequestHash":false}}"""
                .formatted(UUID.randomUUID(), INITIATOR, USER_CODE));
        assertThat(added.status()).as(added.body()).isEqualTo(400);
        assertThat(added.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(added.json().get("error").get("fields").has("ipAllowList")).isTrue();

        Http withList = admin().send("POST", "/admin/partners/" + partnerId + "/credentials", """
                {"dialect":"EKO","keyId":"nohash-%s","ipAllowList":["203.0.113.7"],
                 "attributes":{"initiatorId":"%s","userCodes":["%s"],"requireRequestHash":false}}"""
                .formatted(UUID.randomUUID(), INITIATOR, USER_CODE));
        assertThat(withList.status()).as(withList.body()).isEqualTo(201);
    }

    /** A credential stored with the flag off and no allow-list (before the admin API refused it) still needs the hash. */
    @Test
    void aCapturedPaymentWithItsRequestHashStrippedDoesNotPayWithoutAnAllowList() {
        EkoPartner p = newEkoPartner(1_000_000, Map.of("requireRequestHash", false));
        long ts = System.currentTimeMillis();
        assertPaid(raw().post(PAY, payForm(ref(), "9876543210", "10"), payHeaders(p, ts, "9876543210", "10")));
        long afterOne = p.nativeClient().availableInr();

        // the captured headers without request_hash, another client_ref_id, account and amount
        Http stripped = raw().post(PAY, payForm(ref(), "9000000001", "500"), payHeaders(p, ts, null, null));

        assertThat(stripped.status()).as(stripped.body()).isEqualTo(403);
        assertThat(stripped.json().get("message").stringValue()).contains("request_hash");
        assertThat(p.nativeClient().availableInr()).isEqualTo(afterOne);
    }

    /** With the flag off (and an allow-list), a request_hash that is sent is still checked and its pair used once. */
    @Test
    void aRequestHashSentIsCheckedAndUsedOnceWhateverTheFlag() {
        EkoPartner p = newEkoPartner(1_000_000, Map.of("requireRequestHash", false), LOCAL);
        long ts = System.currentTimeMillis();
        Map<String, String> signed = payHeaders(p, ts, "9876543210", "10");
        assertPaid(raw().post(PAY, payForm(ref(), "9876543210", "10"), signed));
        long afterOne = p.nativeClient().availableInr();

        Http again = raw().post(PAY, payForm(ref(), "9876543210", "10"), signed);
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.json().get("message").stringValue()).contains("already used");
        Http wrong = raw().post(PAY, payForm(ref(), "9876543210", "11"), payHeaders(p, System.currentTimeMillis(), "9876543210", "10"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(p.nativeClient().availableInr()).isEqualTo(afterOne);
        // without a hash, from an address on the credential's allow-list: paid
        assertPaid(raw().post(PAY, payForm(ref(), "9876543210", "10"), payHeaders(p, System.currentTimeMillis(), null, null)));
    }

    @Test
    void aTimestampMoreThanThirtySecondsAheadIsRefusedAndOneJustAheadIsAccepted() {
        EkoPartner p = newEkoPartner(1_000_000, Map.of());
        long minted = System.currentTimeMillis() + 4 * 60_000;
        Http ahead = raw().post(PAY, payForm(ref(), "9876543210", "10"), payHeaders(p, minted, "9876543210", "10"));
        assertThat(ahead.status()).isEqualTo(403);
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000_000);

        long slightlyAhead = System.currentTimeMillis() + 5_000;
        assertPaid(raw().post(PAY, payForm(ref(), "9876543210", "10"), payHeaders(p, slightlyAhead, "9876543210", "10")));
    }
}
