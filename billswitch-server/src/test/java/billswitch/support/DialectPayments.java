package billswitch.support;

import billswitch.infra.crypto.Hmac;
import billswitch.partner.PartnerService;
import billswitch.shared.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A payment in each provider's dialect, signed as that provider's own client signs it, for a partner given a
 * credential in that dialect here: each is a function from the partner's reference to the server's answer.
 */
public final class DialectPayments {
    public static final String EKO_INITIATOR = "9962981729";
    public static final String EKO_USER_CODE = "20810200";

    private DialectPayments() {
    }

    /** A partner's client in one dialect: a payment by reference, and that dialect's balance call. */
    public record Client(Function<String, Http> pay, Supplier<Http> balance) {
    }

    /** AOPay BillPaymentPaybill, Rs 100 to Airtel Postpaid (operator 11), signed (X-AOPay-Signature). */
    public static Function<String, Http> aopay(PartnerService partners, String baseUrl, String partnerId) {
        return aopayClient(partners, baseUrl, partnerId).pay();
    }

    /** As {@link #aopay}, with AOPay's Balance call. */
    public static Client aopayClient(PartnerService partners, String baseUrl, String partnerId) {
        String registrationId = "AOP-" + UUID.randomUUID().toString().substring(0, 6);
        String secret = "aopay-" + UUID.randomUUID();
        partners.addCredential(partnerId, PartnerService.AOPAY, registrationId, Secret.of(secret), List.of(), Map.of());
        RawClient raw = new RawClient(baseUrl);
        Supplier<Http> balance = () -> {
            String body = "{\"RegistrationID\":\"" + registrationId + "\"}";
            return raw.post("/api/AOP/Balance", body, Map.of("Content-Type", "application/json",
                    "X-AOPay-Signature", Hmac.sha256Base64(secret, body)));
        };
        return new Client(ref -> {
            String body = """
                    {"operator":"11","canumber":"102277100","amount":"100","referenceid":"%s","latitude":"27.2232",\
                    "longitude":"78.26535","RegistrationID":"%s","mode":"online"}""".formatted(ref, registrationId);
            return raw.post("/api/AOP/BillPaymentPaybill", body, Map.of("Content-Type", "application/json",
                    "X-AOPay-Signature", Hmac.sha256Base64(secret, body)));
        }, balance);
    }

    /** Eko v2 paybill, Rs 10 to operator 400, form-encoded, with secret-key and request_hash. */
    public static Function<String, Http> eko(PartnerService partners, String baseUrl, String partnerId) {
        return ekoClient(partners, baseUrl, partnerId).pay();
    }

    /** As {@link #eko}, with Eko's v3 balance call. */
    public static Client ekoClient(PartnerService partners, String baseUrl, String partnerId) {
        String developerKey = UUID.randomUUID().toString().replace("-", "");
        String accessKey = UUID.randomUUID().toString();
        partners.addCredential(partnerId, PartnerService.EKO, developerKey, Secret.of(accessKey), List.of(),
                Map.of("initiatorId", EKO_INITIATOR, "userCodes", List.of(EKO_USER_CODE), "requireRequestHash", true));
        RawClient raw = new RawClient(baseUrl);
        Supplier<Http> balance = () -> {
            String ts = Long.toString(NativeClient.uniqueMillis());
            Map<String, String> h = new LinkedHashMap<>();
            h.put("developer_key", developerKey);
            h.put("secret-key", ekoHmac(accessKey, ts));
            h.put("secret-key-timestamp", ts);
            return raw.get("/ekoapi/v3/user/account/balance?initiator_id=" + EKO_INITIATOR + "&user_code=" + EKO_USER_CODE, h);
        };
        return new Client(ref -> {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("user_code", EKO_USER_CODE);
            f.put("client_ref_id", ref);
            f.put("utility_acc_no", "9876543210");
            f.put("confirmation_mobile_no", "9876543210");
            f.put("sender_name", "Flipkart");
            f.put("operator_id", "400");
            f.put("source_ip", "121.121.1.1");
            f.put("latlong", "77.06794760,77.0687474");
            f.put("amount", "10");
            // its own millisecond: a (secret-key-timestamp, request_hash) pair pays once
            String ts = Long.toString(NativeClient.uniqueMillis());
            Map<String, String> h = new LinkedHashMap<>();
            h.put("developer_key", developerKey);
            h.put("secret-key", ekoHmac(accessKey, ts));
            h.put("secret-key-timestamp", ts);
            h.put("request_hash", ekoHmac(accessKey, ts + "9876543210" + "10" + EKO_USER_CODE));
            h.put("Content-Type", "application/x-www-form-urlencoded");
            String form = f.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return raw.post("/ekoapi/v2/billpayments/paybill?initiator_id=" + EKO_INITIATOR, form, h);
        }, balance);
    }

    /** AppotaPay top-up of VND 50,000 (Viettel VTT50), JWT and field signature. The partner needs VND. */
    public static Function<String, Http> appotaPay(PartnerService partners, String baseUrl, String partnerId) {
        return appotaPayClient(partners, baseUrl, partnerId).pay();
    }

    /** As {@link #appotaPay}, with AppotaPay's account balance call. */
    public static Client appotaPayClient(PartnerService partners, String baseUrl, String partnerId) {
        String apiKey = "ak-" + UUID.randomUUID();
        String secret = "sk-" + UUID.randomUUID();
        String code = "P-" + partnerId;
        partners.addCredential(partnerId, PartnerService.APPOTAPAY, apiKey, Secret.of(secret), List.of(),
                Map.of("partnerCode", code));
        RawClient raw = new RawClient(baseUrl);
        Supplier<Http> balance = () -> raw.get("/api/v1/service/accounts/balance",
                Map.of("X-APPOTAPAY-AUTH", "Bearer " + appotaJwt(code, apiKey, secret)));
        return new Client(ref -> {
            Map<String, String> fields = Map.of("partnerRefId", ref, "telco", "viettel", "telcoServiceType", "prepaid",
                    "productCode", "VTT50", "phoneNumber", "0987654321");
            String body = "{\"partnerRefId\":\"" + ref + "\",\"telco\":\"viettel\",\"telcoServiceType\":\"prepaid\","
                    + "\"productCode\":\"VTT50\",\"phoneNumber\":\"0987654321\",\"signature\":\"" + appotaSign(secret, fields) + "\"}";
            return raw.post("/api/v2/service/topup/charging", body, Map.of("Content-Type", "application/json",
                    "X-APPOTAPAY-AUTH", "Bearer " + appotaJwt(code, apiKey, secret)));
        }, balance);
    }

    /** Eko's key is the ASCII text of base64(access key) (seed 003). */
    private static String ekoHmac(String accessKey, String message) {
        String key = Base64.getEncoder().encodeToString(accessKey.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(hmac(key, message));
    }

    private static String appotaJwt(String code, String apiKey, String secret) {
        long now = System.currentTimeMillis() / 1000;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"appotapay-api;v=1\"}"
                .getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"" + code + "\",\"jti\":\"" + apiKey + "-" + now
                + "\",\"api_key\":\"" + apiKey + "\",\"exp\":" + (now + 600) + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + b64.encodeToString(hmac(secret, header + "." + payload));
    }

    private static String appotaSign(String secret, Map<String, String> fields) {
        String text = new TreeMap<>(fields).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return HexFormat.of().formatHex(hmac(secret, text));
    }

    private static byte[] hmac(String key, String message) {
        return Hmac.sha256(key.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8));
    }
}
