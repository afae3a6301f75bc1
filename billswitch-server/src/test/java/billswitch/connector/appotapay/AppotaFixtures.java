package billswitch.connector.appotapay;

import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.shared.Currency;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the AppotaPay connector's tests share: credentials, the catalog's AppotaPay operators, instructions, and
 * signatures computed with the JDK's own Mac over signing texts written out by hand (never by the code under test).
 */
final class AppotaFixtures {
    static final String PARTNER_CODE = "APPOTA-DEMO";
    static final String API_KEY = "demo-appota-key";
    static final String SECRET = "demo-appota-secret";
    /** 2024-04-10 10:10:10 in Vietnam, unix seconds 1712718610. */
    static final Instant NOW = Instant.parse("2024-04-10T03:10:10Z");

    static final Operator EVNHN = operator("evnhn", Operator.Kind.UTILITY, Currency.VND, "EVNHN", null);
    static final Operator VIETTEL = operator("viettel", Operator.Kind.PREPAID, Currency.VND, null, "viettel");
    static final Operator BSES = operator("bses-rajdhani", Operator.Kind.UTILITY, Currency.INR, "BSES", null);

    /** Seed 002's billDetail, compact. */
    static final String SEED_BILL_DETAIL = "[{\"billNumber\":\"117934\",\"period\":\"4/2020\",\"amount\":100000,\"billCreated\":\"\","
            + "\"billExpiry\":\"\",\"billType\":\"\",\"billOtherInfo\":\"\",\"isPartialPaymentAllowed\":false,\"extraInfo\":\"\"}]";

    private AppotaFixtures() {
    }

    static AppotaProtocol protocol() {
        return new AppotaProtocol(new AppotaKeys(PARTNER_CODE, API_KEY, SECRET));
    }

    static Operator operator(String id, Operator.Kind kind, Currency currency, String serviceCode, String telco) {
        return new Operator(id, id.toUpperCase(), "c", null, kind, "VN", currency, Operator.FetchOption.MANDATORY,
                Operator.Exactness.EXACT, 1, 50_000_000, false, List.of(Operator.Channel.INSTANT), 0, 0, 0, false,
                "appotapay", true, new Operator.ProviderCodes(null, null, null, serviceCode, telco),
                List.of(new Param("acc", "Account", Param.Type.AlphaNumeric, null, "any", true, true, null)));
    }

    static BillQuery check(String reference, String account) {
        return new BillQuery(reference, EVNHN, "EVNHN", account, Map.of());
    }

    /** A bill payment of seed 002's bill, reference BS1001. */
    static PaymentInstruction billPayment(String upstreamContext) {
        Bill bill = new Bill(100_000, "NGUYEN VAN AN", "117934", "4/2020", null, null, false, upstreamContext);
        return new PaymentInstruction(1000L, 1001L, "BS1001", EVNHN, "EVNHN", "PD12121", Map.of(), 100_000,
                Operator.Channel.INSTANT, null, bill, NOW);
    }

    static PaymentInstruction topup(String upstreamCode, String productCode, long amountDong) {
        return new PaymentInstruction(2000L, 2001L, "BS2001", VIETTEL, upstreamCode, "0987654321", Map.of(), amountDong,
                Operator.Channel.INSTANT, productCode, null, NOW);
    }

    /** HMAC-SHA256 of the text with the secret, lowercase hex, by the JDK. */
    static String hmacHex(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** X-APPOTAPAY-AUTH for a request sent at {@link #NOW}, put together by hand from the documented parts. */
    static String authorizationAtNow() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"appotapay-api;v=1\"}"
                .getBytes(StandardCharsets.UTF_8));
        String payload = url.encodeToString(("{\"iss\":\"" + PARTNER_CODE + "\",\"jti\":\"" + API_KEY + "-1712718610\","
                + "\"api_key\":\"" + API_KEY + "\",\"exp\":1712718910}").getBytes(StandardCharsets.UTF_8));
        String signature = url.encodeToString(HexFormat.of().parseHex(hmacHex(SECRET, header + "." + payload)));
        return "Bearer " + header + "." + payload + "." + signature;
    }

    /**
     * A bill pay or bill status answer as our own AppotaController renders it (billTransaction): errorCode,
     * message, billDetail, transaction{appotapayTransId, partnerRefId, amount, billAmount, time}, account,
     * signature over amount, appotapayTransId, billAmount, errorCode, time.
     */
    static String billAnswer(int errorCode, String transId, String partnerRefId, long amount, String time, String secret) {
        String signature = hmacHex(secret, "amount=" + amount + "&appotapayTransId=" + transId + "&billAmount=" + amount
                + "&errorCode=" + errorCode + "&time=" + time);
        return "{\"errorCode\":" + errorCode + ",\"message\":\"Thành công\",\"billDetail\":" + SEED_BILL_DETAIL
                + ",\"transaction\":{\"appotapayTransId\":\"" + transId + "\",\"partnerRefId\":\"" + partnerRefId
                + "\",\"amount\":" + amount + ",\"billAmount\":" + amount + ",\"time\":\"" + time
                + "\"},\"account\":{\"balance\":9900000},\"signature\":\"" + signature + "\"}";
    }

    /**
     * A top-up or top-up status answer as our own AppotaController renders it (topupTransaction), signed over
     * amount, appotapayTransId, errorCode, phoneNumber, productCode, time, topupAmount.
     */
    static String topupAnswer(int errorCode, String transId, String partnerRefId, String productCode, long amount,
                              String time, String secret) {
        String signature = hmacHex(secret, "amount=" + amount + "&appotapayTransId=" + transId + "&errorCode=" + errorCode
                + "&phoneNumber=0987654321&productCode=" + productCode + "&time=" + time + "&topupAmount=" + amount);
        return "{\"errorCode\":" + errorCode + ",\"message\":\"Giao dịch đang xử lý (processing)\",\"transaction\":{"
                + "\"appotapayTransId\":\"" + transId + "\",\"partnerRefId\":\"" + partnerRefId + "\",\"telco\":\"viettel\","
                + "\"phoneNumber\":\"0987654321\",\"productCode\":\"" + productCode + "\",\"amount\":" + amount
                + ",\"topupAmount\":" + amount + ",\"time\":\"" + time + "\"},\"account\":{\"balance\":950000},"
                + "\"signature\":\"" + signature + "\"}";
    }
}
