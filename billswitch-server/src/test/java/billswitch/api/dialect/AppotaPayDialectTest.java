package billswitch.api.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.partner.PartnerService;
import billswitch.shared.Currency;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** AppotaPay's API through the real server, signed as AppotaPay's documentation tells its clients. */
class AppotaPayDialectTest extends IntegrationTest {
    private static final String DEMO_CODE = "APPOTA-DEMO";
    private static final String DEMO_KEY = "demo-appota-key";
    private static final String DEMO_SECRET = "demo-appota-secret";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;

    private RawClient raw() {
        return new RawClient("http://localhost:" + port);
    }

    private record AppotaPartner(String code, String apiKey, String secret, NativeClient nativeClient) {
    }

    private AppotaPartner newAppotaPartner(long vnd, List<String> allowList) {
        NativeClient client = newPartner(0);
        if (vnd > 0) {
            partners.topUp(client.partnerId, Currency.VND, vnd, "vnd-funding");
        }
        String apiKey = "ak-" + UUID.randomUUID();
        String secret = "sk-" + UUID.randomUUID();
        String code = "P-" + client.partnerId;
        partners.addCredential(client.partnerId, PartnerService.APPOTAPAY, apiKey, Secret.of(secret), allowList,
                Map.of("partnerCode", code));
        return new AppotaPartner(code, apiKey, secret, client);
    }

    private long vndBalance(AppotaPartner p) {
        return p.nativeClient().get("/v1/wallet?currency=VND").json().get("wallets").get(0).get("availableMinor").longValue();
    }

    private static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWT exactly as AppotaPay's docs build it. */
    private static String jwt(String code, String apiKey, String secret, long expSeconds) {
        long now = System.currentTimeMillis() / 1000;
        return signedJwt(secret, "{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"appotapay-api;v=1\"}",
                "{\"iss\":\"" + code + "\",\"jti\":\"" + apiKey + "-" + now + "\",\"api_key\":\"" + apiKey
                        + "\",\"exp\":" + expSeconds + "}");
    }

    /** A JWT over the given header and payload JSON, signed HS256 with the secret key. */
    private static String signedJwt(String secret, String headerJson, String payloadJson) {
        String header = b64url(headerJson.getBytes(StandardCharsets.UTF_8));
        String payload = b64url(payloadJson.getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + b64url(hmac(secret, header + "." + payload));
    }

    private static Map<String, String> auth(String code, String apiKey, String secret) {
        return Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt(code, apiKey, secret, System.currentTimeMillis() / 1000 + 600),
                "Content-Type", "application/json");
    }

    private static String sign(String secret, Map<String, String> fields) {
        String text = new TreeMap<>(fields).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        StringBuilder hex = new StringBuilder();
        for (byte b : hmac(secret, text)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    private Http check(Map<String, String> headers, String secret, String ref, String billCode, String serviceCode) {
        String signature = sign(secret, Map.of("billCode", billCode, "partnerRefId", ref, "serviceCode", serviceCode));
        return raw().post("/api/v1/service/bill/check", """
                {"partnerRefId":"%s","billCode":"%s","serviceCode":"%s","signature":"%s"}"""
                .formatted(ref, billCode, serviceCode, signature), headers);
    }

    @Test
    void seed002BillPayAsDocumentedAfterItsBillCheck() {
        Map<String, String> headers = auth(DEMO_CODE, DEMO_KEY, DEMO_SECRET);
        Http checked = check(headers, DEMO_SECRET, "AB123", "PD12121", "ENVHN");
        assertThat(checked.status()).isEqualTo(200);
        assertThat(checked.json().get("errorCode").intValue()).isZero();
        assertThat(checked.json().get("billDetail").get(0).get("amount").longValue()).isEqualTo(100000);
        assertThat(checked.json().get("billDetail").get(0).get("billNumber").stringValue()).isEqualTo("117934");
        assertThat(checked.json().get("customerInfo").propertyNames()).contains("customerCode", "customerName", "customerAddress");

        // seed 002's request, the signature computed as the docs' worked example does (billDetail signed as "Array")
        String signature = sign(DEMO_SECRET, Map.of("amount", "100000", "billCode", "PD12121", "billDetail", "Array",
                "partnerRefId", "AB123", "serviceCode", "ENVHN"));
        String seedRequest = """
                {
                "amount": 100000,
                "billDetail": [
                {
                "billNumber": "117934",
                "period": "4/2020",
                "amount": 100000,
                "billCreated": "",
                "billExpiry": "",
                "billType": "",
                "billOtherInfo": "",
                "isPartialPaymentAllowed": false,
                "extraInfo": ""
                }
                ],
                "partnerRefId": "AB123",
                "billCode": "PD12121",
                "serviceCode": "ENVHN",
                "signature": "%s"
                }""".formatted(signature);
        Http paid = raw().post("/api/v1/service/bill/pay", seedRequest, headers);

        assertThat(paid.status()).isEqualTo(200);
        JsonNode j = paid.json();
        assertThat(j.propertyNames()).containsExactly("errorCode", "message", "billDetail", "transaction", "account", "signature");
        assertThat(j.get("errorCode").intValue()).isZero();
        assertThat(j.get("message").stringValue()).isEqualTo("Thành công");
        assertThat(j.get("billDetail").get(0).get("billNumber").stringValue()).isEqualTo("117934");
        JsonNode t = j.get("transaction");
        assertThat(t.get("amount").longValue()).isEqualTo(100000);
        assertThat(t.get("billAmount").longValue()).isEqualTo(100000);
        assertThat(t.get("appotapayTransId").isString()).isTrue();
        assertThat(t.get("time").stringValue()).matches("^[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$");
        assertThat(j.get("account").get("balance").isIntegralNumber()).isTrue();
        assertThat(j.get("signature").stringValue()).isEqualTo(sign(DEMO_SECRET, Map.of("amount", "100000",
                "appotapayTransId", t.get("appotapayTransId").stringValue(), "billAmount", "100000", "errorCode", "0",
                "time", t.get("time").stringValue())));

        Http status = raw().get("/api/v1/service/bill/transaction/AB123", headers);
        assertThat(status.json().get("errorCode").intValue()).isZero();
        assertThat(status.json().get("transaction").get("appotapayTransId").stringValue()).isEqualTo(t.get("appotapayTransId").stringValue());
    }

    @Test
    void anEvnBillSignedOverTheJsonAsSentAndAsAUrlencodedForm() {
        AppotaPartner p = newAppotaPartner(10_000_000, List.of());
        Map<String, String> headers = auth(p.code(), p.apiKey(), p.secret());
        Http checked = check(headers, p.secret(), "EVN-1", "PE0400012345", "EVN");
        long bill = checked.json().get("billDetail").get(0).get("amount").longValue();

        String detail = "[{\"billNumber\":\"" + checked.json().get("billDetail").get(0).get("billNumber").stringValue() + "\"}]";
        String signature = sign(p.secret(), Map.of("amount", Long.toString(bill), "billCode", "PE0400012345",
                "billDetail", detail, "partnerRefId", "EVN-1", "serviceCode", "EVN"));
        Http paid = raw().post("/api/v1/service/bill/pay", """
                {"partnerRefId":"EVN-1","billCode":"PE0400012345","serviceCode":"EVN","amount":%d,"billDetail":%s,"signature":"%s"}"""
                .formatted(bill, detail, signature), headers);
        assertThat(paid.json().get("errorCode").intValue()).isZero();
        assertThat(paid.json().get("account").get("balance").longValue()).isEqualTo(10_000_000 - bill);
        assertThat(vndBalance(p)).isEqualTo(10_000_000 - bill);

        check(headers, p.secret(), "EVN-2", "PE0400012346", "EVN");
        long bill2 = raw().get("/api/v1/service/accounts/balance", headers).json().get("account").get("balance").longValue();
        assertThat(bill2).isEqualTo(10_000_000 - bill);
        String amount2 = Long.toString(check(headers, p.secret(), "EVN-2", "PE0400012346", "EVN")
                .json().get("billDetail").get(0).get("amount").longValue());
        String formDetail = "[]";
        String formSignature = sign(p.secret(), Map.of("amount", amount2, "billCode", "PE0400012346",
                "billDetail", formDetail, "partnerRefId", "EVN-2", "serviceCode", "EVN"));
        String form = "partnerRefId=EVN-2&billCode=PE0400012346&serviceCode=EVN&amount=" + amount2 + "&billDetail="
                + URLEncoder.encode(formDetail, StandardCharsets.UTF_8) + "&signature=" + formSignature;
        Map<String, String> formHeaders = new LinkedHashMap<>(headers);
        formHeaders.put("Content-Type", "application/x-www-form-urlencoded");
        Http formPaid = raw().post("/api/v1/service/bill/pay", form, formHeaders);
        assertThat(formPaid.json().get("errorCode").intValue()).as(formPaid.body()).isZero();
    }

    @Test
    void aViettelTopupWithProductCodes() {
        AppotaPartner p = newAppotaPartner(1_000_000, List.of());
        Map<String, String> headers = auth(p.code(), p.apiKey(), p.secret());
        Http products = raw().get("/api/v2/service/topup/productCodes", headers);
        JsonNode viettel = products.json().get("data").get(0);
        assertThat(viettel.propertyNames()).containsExactly("telco", "description", "products");
        assertThat(viettel.get("products").get(0).propertyNames()).containsExactly("id", "productCode", "amount");

        Map<String, String> fields = Map.of("partnerRefId", "TOPUP-1", "telco", "viettel", "telcoServiceType", "prepaid",
                "productCode", "VTT50", "phoneNumber", "0987654321");
        String body = "{\"partnerRefId\":\"TOPUP-1\",\"telco\":\"viettel\",\"telcoServiceType\":\"prepaid\",\"productCode\":\"VTT50\","
                + "\"phoneNumber\":\"0987654321\",\"signature\":\"" + sign(p.secret(), fields) + "\"}";
        Http topup = raw().post("/api/v2/service/topup/charging", body, headers);
        assertThat(topup.json().get("errorCode").intValue()).isZero();
        JsonNode t = topup.json().get("transaction");
        assertThat(t.get("topupAmount").longValue()).isEqualTo(50_000);
        assertThat(topup.json().get("signature").stringValue()).isEqualTo(sign(p.secret(), Map.of("amount", "50000",
                "appotapayTransId", t.get("appotapayTransId").stringValue(), "errorCode", "0", "phoneNumber", "0987654321",
                "productCode", "VTT50", "time", t.get("time").stringValue(), "topupAmount", "50000")));
        assertThat(vndBalance(p)).isEqualTo(950_000);

        Http status = raw().get("/api/v1/service/topup/transaction/TOPUP-1", headers);
        assertThat(status.json().get("errorCode").intValue()).isZero();
        assertThat(status.json().get("transaction").get("productCode").stringValue()).isEqualTo("VTT50");

        Http again = raw().post("/api/v2/service/topup/charging", body, headers);
        assertThat(again.body()).isEqualTo(topup.body());
        Map<String, String> other = new LinkedHashMap<>(fields);
        other.put("productCode", "VTT20");
        Http duplicate = raw().post("/api/v2/service/topup/charging", "{\"partnerRefId\":\"TOPUP-1\",\"telco\":\"viettel\","
                + "\"telcoServiceType\":\"prepaid\",\"productCode\":\"VTT20\",\"phoneNumber\":\"0987654321\",\"signature\":\""
                + sign(p.secret(), other) + "\"}", headers);
        assertThat(duplicate.json().get("errorCode").intValue()).isEqualTo(31);
        assertThat(vndBalance(p)).isEqualTo(950_000);
    }

    @Test
    void theTopupStatusNamesTheProductCodeSentNotAPlanOfTheSameAmount() {
        // A second Viettel product at VTT50's price: by amount alone, the status could not tell them apart.
        jdbc.sql("""
                insert into plans (operator_id, code, location_id, amount_minor, description, validity)
                values ('viettel', 'VTT50B', null, 50000, 'Viettel 50.000đ (B)', null)""").update();
        catalog.reload();
        try {
            AppotaPartner p = newAppotaPartner(1_000_000, List.of());
            Map<String, String> headers = auth(p.code(), p.apiKey(), p.secret());
            Map<String, String> fields = Map.of("partnerRefId", "TOPUP-B", "telco", "viettel", "telcoServiceType", "prepaid",
                    "productCode", "VTT50B", "phoneNumber", "0987654321");
            Http topup = raw().post("/api/v2/service/topup/charging", "{\"partnerRefId\":\"TOPUP-B\",\"telco\":\"viettel\","
                    + "\"telcoServiceType\":\"prepaid\",\"productCode\":\"VTT50B\",\"phoneNumber\":\"0987654321\","
                    + "\"signature\":\"" + sign(p.secret(), fields) + "\"}", headers);
            assertThat(topup.json().get("errorCode").intValue()).as(topup.body()).isZero();
            assertThat(topup.json().get("transaction").get("productCode").stringValue()).isEqualTo("VTT50B");

            Http status = raw().get("/api/v1/service/topup/transaction/TOPUP-B", headers);
            JsonNode t = status.json().get("transaction");
            assertThat(t.get("productCode").stringValue()).isEqualTo("VTT50B");
            // The signature covers it too.
            assertThat(status.json().get("signature").stringValue()).isEqualTo(sign(p.secret(), Map.of("amount", "50000",
                    "appotapayTransId", t.get("appotapayTransId").stringValue(), "errorCode", "0", "phoneNumber", "0987654321",
                    "productCode", "VTT50B", "time", t.get("time").stringValue(), "topupAmount", "50000")));
            assertThat(jdbc.sql("select product_code from orders where partner_id = :partner and reference = 'TOPUP-B'")
                    .param("partner", p.nativeClient().partnerId).query(String.class).single()).isEqualTo("VTT50B");
        } finally {
            jdbc.sql("delete from plans where operator_id = 'viettel' and code = 'VTT50B'").update();
            catalog.reload();
        }
    }

    @Test
    void declinedAndUnansweredTopupsAreFailedAndPendingAndTheFailureIsRefunded() {
        AppotaPartner p = newAppotaPartner(1_000_000, List.of());
        Map<String, String> headers = auth(p.code(), p.apiKey(), p.secret());
        for (String[] c : new String[][] {{"T-8", "0987654328", "33"}, {"T-9", "0987654329", "34"}}) {
            Map<String, String> fields = Map.of("partnerRefId", c[0], "telco", "mobifone", "telcoServiceType", "prepaid",
                    "productCode", "VMS10", "phoneNumber", c[1]);
            String body = "{\"partnerRefId\":\"" + c[0] + "\",\"telco\":\"mobifone\",\"telcoServiceType\":\"prepaid\",\"productCode\":\"VMS10\","
                    + "\"phoneNumber\":\"" + c[1] + "\",\"signature\":\"" + sign(p.secret(), fields) + "\"}";
            assertThat(raw().post("/api/v2/service/topup/charging", body, headers).json().get("errorCode").intValue())
                    .as(c[0]).isEqualTo(Integer.parseInt(c[2]));
        }
        assertThat(vndBalance(p)).isEqualTo(1_000_000 - 10_000);
        assertThat(raw().get("/api/v1/service/topup/transaction/T-8", headers).json().get("message").stringValue()).contains("failed");
    }

    @Test
    void authenticationFailures() {
        AppotaPartner p = newAppotaPartner(0, List.of());
        String path = "/api/v1/service/accounts/balance";
        assertThat(raw().get(path, Map.of("X-APPOTAPAY-AUTH", jwt(p.code(), p.apiKey(), p.secret(),
                System.currentTimeMillis() / 1000 + 60))).status()).as("without Bearer").isEqualTo(200);
        Http missing = raw().get(path, Map.of());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("errorCode").intValue()).isEqualTo(14);
        assertThat(raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt(p.code(), p.apiKey(), "wrong",
                System.currentTimeMillis() / 1000 + 60))).status()).isEqualTo(401);
        assertThat(raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt(p.code(), p.apiKey(), p.secret(),
                System.currentTimeMillis() / 1000 - 1))).status()).as("expired").isEqualTo(401);
        assertThat(raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt("SOMEONE-ELSE", p.apiKey(), p.secret(),
                System.currentTimeMillis() / 1000 + 60))).status()).as("wrong iss").isEqualTo(401);
        assertThat(raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer not.a.jwt")).status()).isEqualTo(401);
        // issue 30, item 11: an unknown api_key gets exactly what a wrong signature gets (errorCode 2, not 11)
        Http wrongSignature = raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt(p.code(), p.apiKey(), "wrong",
                System.currentTimeMillis() / 1000 + 60)));
        Http unknown = raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt(p.code(), "nobody-" + UUID.randomUUID(), "wrong",
                System.currentTimeMillis() / 1000 + 60)));
        assertThat(wrongSignature.json().get("errorCode").intValue()).isEqualTo(2);
        assertThat(unknown.status()).isEqualTo(wrongSignature.status());
        assertThat(unknown.body()).isEqualTo(wrongSignature.body());
        Http unknownSignedWithTheSecret = raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt(p.code(), "nobody", p.secret(),
                System.currentTimeMillis() / 1000 + 60)));
        assertThat(unknownSignedWithTheSecret.body()).isEqualTo(wrongSignature.body());
        Http noApiKey = raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + signedJwt(p.secret(), "{\"typ\":\"JWT\",\"alg\":\"HS256\"}",
                "{\"iss\":\"" + p.code() + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 60) + "}")));
        assertThat(noApiKey.status()).isEqualTo(401);
        assertThat(noApiKey.json().get("errorCode").intValue()).as("API key missing").isEqualTo(14);

        AppotaPartner fenced = newAppotaPartner(0, List.of("10.9.9.9"));
        Http outside = raw().get(path, auth(fenced.code(), fenced.apiKey(), fenced.secret()));
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.json().get("errorCode").intValue()).isEqualTo(92);
    }

    @Test
    void theTokenMustCarryAnExpAtMostAnHourAheadButMayOmitCtyAndReuseItsJti() {
        AppotaPartner p = newAppotaPartner(0, List.of());
        String path = "/api/v1/service/accounts/balance";
        long now = System.currentTimeMillis() / 1000;
        String claims = "\"iss\":\"" + p.code() + "\",\"jti\":\"" + p.apiKey() + "-" + now + "\",\"api_key\":\"" + p.apiKey() + "\"";
        String docsHeader = "{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"appotapay-api;v=1\"}";
        Map<String, String> withoutExp = Map.of("X-APPOTAPAY-AUTH", "Bearer " + signedJwt(p.secret(), docsHeader, "{" + claims + "}"));
        Http noExp = raw().get(path, withoutExp);
        assertThat(noExp.status()).as("no exp").isEqualTo(401);
        assertThat(noExp.json().get("errorCode").intValue()).isEqualTo(2);
        for (long exp : new long[] {now + 7200, 4_102_444_800L}) {
            Http farAhead = raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt(p.code(), p.apiKey(), p.secret(), exp)));
            assertThat(farAhead.status()).as("exp %d, now %d", exp, now).isEqualTo(401);
            assertThat(farAhead.json().get("errorCode").intValue()).isEqualTo(2);
        }

        assertThat(raw().get(path, Map.of("X-APPOTAPAY-AUTH", "Bearer " + jwt(p.code(), p.apiKey(), p.secret(), now + 3000)))
                .status()).as("exp = now + 3000 s, as the public integrations sign it").isEqualTo(200);
        String libraryDefault = signedJwt(p.secret(), "{\"typ\":\"JWT\",\"alg\":\"HS256\"}", "{" + claims + ",\"exp\":" + (now + 3000) + "}");
        Map<String, String> noCty = Map.of("X-APPOTAPAY-AUTH", "Bearer " + libraryDefault);
        assertThat(raw().get(path, noCty).status()).as("no cty").isEqualTo(200);
        assertThat(raw().get(path, noCty).status()).as("the same jti again").isEqualTo(200);
    }

    @Test
    void badRequestsGetAppotaCodesAndMoveNoMoney() {
        AppotaPartner p = newAppotaPartner(20_000, List.of());
        Map<String, String> headers = auth(p.code(), p.apiKey(), p.secret());

        Http badSignature = raw().post("/api/v1/service/bill/check",
                "{\"partnerRefId\":\"X1\",\"billCode\":\"PD12121\",\"serviceCode\":\"EVNHN\",\"signature\":\"00\"}", headers);
        assertThat(badSignature.json().get("errorCode").intValue()).isEqualTo(2);
        Http broken = raw().post("/api/v1/service/bill/check", "{\"partnerRefId\":", headers);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("errorCode").intValue()).isEqualTo(1);
        Http missing = raw().post("/api/v1/service/bill/check", "{\"partnerRefId\":\"X2\"}", headers);
        assertThat(missing.json().get("errorCode").intValue()).isEqualTo(1);
        assertThat(check(headers, p.secret(), "X3", "PD12121", "NO_SUCH_SERVICE").json().get("errorCode").intValue()).isEqualTo(112);
        assertThat(check(headers, p.secret(), "X4", "lowercase!", "EVN").json().get("errorCode").intValue()).isEqualTo(114);
        assertThat(check(headers, p.secret(), "X5", "PE0400012348", "EVN").json().get("errorCode").intValue()).isEqualTo(116);

        long bill = check(headers, p.secret(), "X6", "PE0400012347", "EVN").json().get("billDetail").get(0).get("amount").longValue();
        String sig = sign(p.secret(), Map.of("amount", Long.toString(bill - 1000), "billCode", "PE0400012347", "billDetail", "Array",
                "partnerRefId", "X6", "serviceCode", "EVN"));
        Http wrongAmount = raw().post("/api/v1/service/bill/pay", """
                {"partnerRefId":"X6","billCode":"PE0400012347","serviceCode":"EVN","amount":%d,"billDetail":"Array","signature":"%s"}"""
                .formatted(bill - 1000, sig), headers);
        assertThat(wrongAmount.json().get("errorCode").intValue()).isEqualTo(117);

        Map<String, String> fields = Map.of("partnerRefId", "BIG-1", "telco", "viettel", "telcoServiceType", "prepaid",
                "productCode", "VTT500", "phoneNumber", "0987654321");
        Http insufficient = raw().post("/api/v2/service/topup/charging", "{\"partnerRefId\":\"BIG-1\",\"telco\":\"viettel\","
                + "\"telcoServiceType\":\"prepaid\",\"productCode\":\"VTT500\",\"phoneNumber\":\"0987654321\",\"signature\":\""
                + sign(p.secret(), fields) + "\"}", headers);
        assertThat(insufficient.json().get("errorCode").intValue()).isEqualTo(12);
        Map<String, String> unknownProduct = new LinkedHashMap<>(fields);
        unknownProduct.put("productCode", "VTT7");
        unknownProduct.put("partnerRefId", "BIG-2");
        assertThat(raw().post("/api/v2/service/topup/charging", "{\"partnerRefId\":\"BIG-2\",\"telco\":\"viettel\","
                + "\"telcoServiceType\":\"prepaid\",\"productCode\":\"VTT7\",\"phoneNumber\":\"0987654321\",\"signature\":\""
                + sign(p.secret(), unknownProduct) + "\"}", headers).json().get("errorCode").intValue()).isEqualTo(1);
        assertThat(raw().get("/api/v1/service/topup/transaction/NOPE", headers).json().get("errorCode").intValue()).isEqualTo(36);
        assertThat(vndBalance(p)).isEqualTo(20_000);
    }
}
