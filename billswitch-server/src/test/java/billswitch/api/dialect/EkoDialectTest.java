package billswitch.api.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Eko's API through the real server, signed as Eko's documentation tells its clients (the signing here is
 * written from seed 003, independently of the server's code).
 */
class EkoDialectTest extends IntegrationTest {
    private static final String INITIATOR = "9962981729";
    private static final String USER_CODE = "20810200";

    private RawClient raw() {
        return new RawClient("http://localhost:" + port);
    }

    /** A partner with its own Eko developer key and access key, so money can be counted exactly. */
    private record EkoPartner(String developerKey, String accessKey, NativeClient nativeClient) {
    }

    private EkoPartner newEkoPartner(long inrMinor, boolean requireHash) {
        NativeClient client = newPartner(inrMinor);
        String developerKey = UUID.randomUUID().toString().replace("-", "");
        String accessKey = UUID.randomUUID().toString();
        // a credential that lets the v3 SDKs omit request_hash needs its own allow-list (the tests' addresses here)
        partners.addCredential(client.partnerId, PartnerService.EKO, developerKey, Secret.of(accessKey),
                requireHash ? List.of() : List.of("127.0.0.1", "::1"),
                Map.of("initiatorId", INITIATOR, "userCodes", List.of(USER_CODE), "requireRequestHash", requireHash));
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

    private static Map<String, String> headers(String developerKey, String accessKey) {
        String ts = Long.toString(System.currentTimeMillis());
        Map<String, String> h = new LinkedHashMap<>();
        h.put("developer_key", developerKey);
        h.put("secret-key", hmac(accessKey, ts));
        h.put("secret-key-timestamp", ts);
        return h;
    }

    private static Map<String, String> payHeaders(EkoPartner p, String account, String amount, boolean form) {
        Map<String, String> h = headers(p.developerKey(), p.accessKey());
        h.put("request_hash", hmac(p.accessKey(), h.get("secret-key-timestamp") + account + amount + USER_CODE));
        h.put("Content-Type", form ? "application/x-www-form-urlencoded" : "application/json");
        return h;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> seedPayFields(String ref, String operatorId, String account, String amount) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("user_code", USER_CODE);
        f.put("client_ref_id", ref);
        f.put("utility_acc_no", account);
        f.put("confirmation_mobile_no", "9876543210");
        f.put("sender_name", "Flipkart");
        f.put("operator_id", operatorId);
        f.put("source_ip", "121.121.1.1");
        f.put("latlong", "77.06794760,77.0687474");
        f.put("amount", amount);
        return f;
    }

    private String fetch(EkoPartner p, String operatorId, String account, Map<String, String> extra) {
        return fetchData(p, operatorId, account, extra).get("amount").stringValue();
    }

    /** A successful v2 fetch's data: the bill and its billfetchresponse (our fetch id). */
    private JsonNode fetchData(EkoPartner p, String operatorId, String account, Map<String, String> extra) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("user_code", USER_CODE);
        f.put("client_ref_id", "F" + UUID.randomUUID().toString().substring(0, 12));
        f.put("utility_acc_no", account);
        f.put("confirmation_mobile_no", "9876543210");
        f.put("sender_name", "Flipkart");
        f.put("operator_id", operatorId);
        f.put("source_ip", "121.121.1.1");
        f.put("latlong", "77.06794760,77.0687474");
        f.putAll(extra);
        Map<String, String> h = headers(p.developerKey(), p.accessKey());
        h.put("Content-Type", "application/x-www-form-urlencoded");
        Http answer = raw().post("/ekoapi/v2/billpayments/fetchbill?initiator_id=" + INITIATOR, form(f), h);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode j = answer.json();
        assertThat(j.get("status").intValue()).as(answer.body()).isZero();
        assertThat(j.get("response_status_id").intValue()).isEqualTo(-1);
        assertThat(j.get("response_type_id").intValue()).isEqualTo(1052);
        assertThat(j.get("data").propertyNames()).contains("amount", "utilitycustomername", "billdate", "customer_id", "billfetchresponse");
        return j.get("data");
    }

    @Test
    void theDemoCredentialsListTheCatalog() {
        Map<String, String> h = headers("becbbce45f79c6f5109f848acd540567", "d2fe1d99-6298-4af2-8cc5-d97dcf46df30");
        Http categories = raw().get("/ekoapi/v2/billpayments/operators_category", h);
        assertThat(categories.json().get("status").intValue()).isZero();
        assertThat(categories.json().get("data").get(0).propertyNames())
                .containsExactly("operator_category_name", "operator_category_id", "operator_category_group", "status");

        Http locations = raw().get("/ekoapi/v2/billpayments/operators_location", headers("becbbce45f79c6f5109f848acd540567",
                "d2fe1d99-6298-4af2-8cc5-d97dcf46df30"));
        assertThat(locations.json().get("data").get(0).propertyNames())
                .containsExactly("operator_location_name", "operator_location_id", "abbreviation");

        Http electricityInDelhi = raw().get("/ekoapi/v2/billpayments/operators?category=8&location=1",
                headers("becbbce45f79c6f5109f848acd540567", "d2fe1d99-6298-4af2-8cc5-d97dcf46df30"));
        List<String> names = new java.util.ArrayList<>();
        electricityInDelhi.json().get("data").forEach(o -> names.add(o.get("name").stringValue()));
        assertThat(names).containsExactlyInAnyOrder("BSES Rajdhani", "Tata Power Delhi Distribution (TPDDL)");
        assertThat(electricityInDelhi.json().get("data").get(0).propertyNames()).containsExactly("operator_id", "name",
                "billFetchResponse", "high_commission_channel", "kyc_required", "operator_category", "location_id");

        Http mseb = raw().get("/ekoapi/v2/billpayments/operators/25", headers("becbbce45f79c6f5109f848acd540567",
                "d2fe1d99-6298-4af2-8cc5-d97dcf46df30"));
        assertThat(mseb.json().get("operator_name").stringValue()).contains("MSEB");
        assertThat(mseb.json().get("fetchBill").intValue()).isEqualTo(1);
        assertThat(mseb.json().get("data").get(1).get("param_name").stringValue()).isEqualTo("postalcode");
        assertThat(mseb.json().get("data").get(0).propertyNames())
                .containsExactly("param_name", "param_label", "param_id", "param_type", "regex", "error_message");

        Http v3 = raw().get("/ekoapi/v3/customer/payment/bbps/operator/60/parameters",
                headers("becbbce45f79c6f5109f848acd540567", "d2fe1d99-6298-4af2-8cc5-d97dcf46df30"));
        assertThat(v3.json().get("data").get(1).get("param_name").stringValue()).isEqualTo("dob");
        assertThat(raw().get("/ekoapi/v2/billpayments/operators/99999", headers("becbbce45f79c6f5109f848acd540567",
                "d2fe1d99-6298-4af2-8cc5-d97dcf46df30")).json().get("status").intValue()).isEqualTo(463);
    }

    @Test
    void seed003PayBillAsAFormWithTheRequestHashAfterAFetch() {
        EkoPartner p = newEkoPartner(10_000_000, true);
        String amount = fetch(p, "22", "151627591", Map.of());
        Map<String, String> f = seedPayFields("seed003-1", "22", "151627591", amount);
        Http paid = raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR, form(f),
                payHeaders(p, "151627591", amount, true));

        assertThat(paid.status()).isEqualTo(200);
        JsonNode j = paid.json();
        assertThat(j.propertyNames()).containsExactly("status", "response_status_id", "response_type_id", "message", "data");
        assertThat(j.get("status").intValue()).isZero();
        assertThat(j.get("response_status_id").intValue()).isZero();
        JsonNode data = j.get("data");
        assertThat(data.propertyNames()).contains("tx_status", "txstatus_desc", "tid", "amount", "totalamount", "fee",
                "commission", "tds", "balance", "operator_name", "account", "bbpstrxnrefid", "timestamp");
        assertThat(data.get("tx_status").intValue()).isZero();
        assertThat(data.get("amount").stringValue()).isEqualTo(amount);
        assertThat(data.get("operator_name").stringValue()).isEqualTo("BSES Rajdhani");
        long paise = new java.math.BigDecimal(amount).movePointRight(2).longValueExact();
        long commission = paise * 40 / 10_000;
        long tds = (commission * 2 + 50) / 100;   // 2%, half up
        assertThat(data.get("commission").stringValue()).isEqualTo(billswitch.shared.Currency.INR.format(commission));
        assertThat(data.get("tds").stringValue()).isEqualTo(billswitch.shared.Currency.INR.format(tds));
        assertThat(data.get("balance").stringValue()).isEqualTo(billswitch.shared.Currency.INR.format(10_000_000 - paise + commission - tds));
        assertThat(p.nativeClient().availableInr()).isEqualTo(10_000_000 - paise + commission - tds);

        Http byTid = raw().get("/ekoapi/v1/transactions/" + data.get("tid").stringValue() + "?initiator_id=" + INITIATOR,
                headers(p.developerKey(), p.accessKey()));
        assertThat(byTid.json().get("data").get("tx_status").intValue()).isZero();
        Http byRef = raw().get("/ekoapi/v1/transactions/client_ref_id:seed003-1?initiator_id=" + INITIATOR,
                headers(p.developerKey(), p.accessKey()));
        assertThat(byRef.json().get("data").get("tid").stringValue()).isEqualTo(data.get("tid").stringValue());

        // the same client_ref_id with another amount is a different request
        String other = new java.math.BigDecimal(amount).add(java.math.BigDecimal.TEN).toPlainString();
        Http dup = raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR,
                form(seedPayFields("seed003-1", "22", "151627591", other)), payHeaders(p, "151627591", other, true));
        assertThat(dup.json().get("status").intValue()).isEqualTo(901);
    }

    @Test
    void v3PaysJsonAndAnswersInquiryAndBalance() {
        EkoPartner p = newEkoPartner(1_000_000, false);
        String body = """
                {"initiator_id":"%s","user_code":"%s","client_ref_id":"v3-airtel-1","utility_acc_no":"9876543210",
                 "confirmation_mobile_no":"9876543210","sender_name":"Test","phone_operator_code":"400","amount":"199",
                 "source_ip":"127.0.0.1","latlong":"28.6,77.2"}""".formatted(INITIATOR, USER_CODE);
        Http paid = raw().post("/ekoapi/v3/customer/payment/bbps", body, payHeaders(p, "9876543210", "199", false));
        assertThat(paid.json().get("data").get("tx_status").intValue()).isZero();

        Http inquiry = raw().get("/ekoapi/v3/tools/reference/transaction/v3-airtel-1?initiator_id=" + INITIATOR,
                headers(p.developerKey(), p.accessKey()));
        assertThat(inquiry.json().get("data").get("tid").stringValue()).isEqualTo(paid.json().get("data").get("tid").stringValue());

        Http balance = raw().get("/ekoapi/v3/user/account/balance?initiator_id=" + INITIATOR + "&user_code=" + USER_CODE,
                headers(p.developerKey(), p.accessKey()));
        assertThat(balance.json().get("data").get("balance").stringValue()).isEqualTo("9805.87");   // 10,000 - 199 + 4.97 commission - 0.10 TDS

        Http fetched = raw().get("/ekoapi/v3/customer/payment/bbps/bill?initiator_id=" + INITIATOR + "&user_code=" + USER_CODE
                + "&client_ref_id=v3fetch01&utility_acc_no=12345678901&operator_id=23", headers(p.developerKey(), p.accessKey()));
        assertThat(fetched.json().get("response_type_id").intValue()).isEqualTo(1052);
    }

    @Test
    void theHighCommissionChannelIsInitiatedAndATimeoutIsNeverFailed() {
        EkoPartner p = newEkoPartner(10_000_000, false);
        String amount = fetch(p, "22", "100000021", Map.of());
        Map<String, String> f = seedPayFields("hc-chan-1", "22", "100000021", amount);
        f.put("hc_channel", "1");
        Http hc = raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR, form(f), payHeaders(p, "100000021", amount, true));
        assertThat(hc.json().get("response_status_id").intValue()).isEqualTo(2);
        assertThat(hc.json().get("data").get("tx_status").intValue()).isEqualTo(2);

        Http timeout = raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR,
                form(seedPayFields("timeout-9", "400", "9876543219", "10")), payHeaders(p, "9876543219", "10", true));
        assertThat(timeout.json().get("data").get("tx_status").intValue()).isEqualTo(2);
        assertThat(timeout.json().get("data").get("txstatus_desc").stringValue()).isEqualTo("Response Awaited");
    }

    @Test
    void aDeclinedPaymentIsRefundedAndTheInquirySaysSo() {
        EkoPartner p = newEkoPartner(100_000, false);
        Http declined = raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR,
                form(seedPayFields("declined-8", "400", "9876543218", "10")), payHeaders(p, "9876543218", "10", true));
        assertThat(declined.json().get("response_status_id").intValue()).isEqualTo(1);
        assertThat(declined.json().get("data").get("tx_status").intValue()).isEqualTo(1);
        assertThat(declined.json().get("data").get("refund_amount").stringValue()).isEqualTo("10.00");
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000);
    }

    @Test
    void operatorParametersAreCheckedAgainstTheCatalog() {
        EkoPartner p = newEkoPartner(0, false);
        Map<String, String> h = headers(p.developerKey(), p.accessKey());
        h.put("Content-Type", "application/json");
        Http noPin = raw().post("/ekoapi/v2/billpayments/fetchbill?initiator_id=" + INITIATOR, """
                {"user_code":"%s","client_ref_id":"mseb-01","utility_acc_no":"123456789012","operator_id":"25"}"""
                .formatted(USER_CODE), h);
        assertThat(noPin.json().get("status").intValue()).isEqualTo(97);
        assertThat(noPin.json().get("invalid_params").get("postalcode").stringValue()).isEqualTo("is required");

        assertThat(fetch(p, "25", "123456789012", Map.of("postalcode", "411001"))).isNotBlank();
        assertThat(fetch(p, "60", "123456781", Map.of("dob", "31/01/1990"))).isNotBlank();
    }

    @Test
    void badRequestsGetEkoCodesAndMoveNoMoney() {
        EkoPartner p = newEkoPartner(1_000, false);
        String path = "/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR;
        Map<String, Integer> statusByCase = new LinkedHashMap<>();

        statusByCase.put("insufficient", raw().post(path, form(seedPayFields("insuff-01", "400", "9876543210", "50")),
                payHeaders(p, "9876543210", "50", true)).json().get("status").intValue());
        statusByCase.put("short ref", raw().post(path, form(seedPayFields("abc", "400", "9876543210", "10")),
                payHeaders(p, "9876543210", "10", true)).json().get("status").intValue());
        statusByCase.put("unknown operator", raw().post(path, form(seedPayFields("unknown-op", "77777", "9876543210", "10")),
                payHeaders(p, "9876543210", "10", true)).json().get("status").intValue());
        statusByCase.put("bad amount", raw().post(path, form(seedPayFields("bad-amount", "400", "9876543210", "1.234")),
                payHeaders(p, "9876543210", "1.234", true)).json().get("status").intValue());
        statusByCase.put("unfetched exact bill", raw().post(path, form(seedPayFields("unfetched1", "23", "12345678901", "5")),
                payHeaders(p, "12345678901", "5", true)).json().get("status").intValue());
        assertThat(statusByCase).containsExactly(Map.entry("insufficient", 347), Map.entry("short ref", 97),
                Map.entry("unknown operator", 463), Map.entry("bad amount", 97), Map.entry("unfetched exact bill", 903));

        EkoPartner rich = newEkoPartner(10_000_000, false);
        String amount = fetch(rich, "23", "12345678901", Map.of());
        String wrong = new java.math.BigDecimal(amount).add(java.math.BigDecimal.ONE).toPlainString();
        Http differs = raw().post(path, form(seedPayFields("differs-01", "23", "12345678901", wrong)),
                payHeaders(rich, "12345678901", wrong, true));
        assertThat(differs.json().get("status").intValue()).isEqualTo(208);
        assertThat(rich.nativeClient().availableInr()).isEqualTo(10_000_000);

        Map<String, String> jsonHeaders = payHeaders(p, "x", "1", false);
        Http broken = raw().post(path, "{\"user_code\":", jsonHeaders);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("status").intValue()).isEqualTo(97);

        Http wrongInitiator = raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=1111111111",
                form(seedPayFields("initiator", "400", "9876543210", "10")), payHeaders(p, "9876543210", "10", true));
        assertThat(wrongInitiator.json().get("status").intValue()).isEqualTo(319);
        Map<String, String> strangerFields = seedPayFields("stranger1", "400", "9876543210", "10");
        strangerFields.put("user_code", "99999999");
        assertThat(raw().post(path, form(strangerFields), payHeaders(p, "9876543210", "10", true))
                .json().get("status").intValue()).isEqualTo(346);

        Http unknownTid = raw().get("/ekoapi/v1/transactions/424242424?initiator_id=" + INITIATOR, headers(p.developerKey(), p.accessKey()));
        assertThat(unknownTid.json().get("status").intValue()).isEqualTo(168);
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000);
    }

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;

    @Test
    void aBillFetchShowsTheBillersConvenienceFeeAndAPaymentModeIsChecked() {
        int code = 900_000 + new java.util.Random().nextInt(99_999);
        String biller = "eko-ccf-" + code;
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params, eko_operator_id)
                select :id, 'CCF ' || :id, category_id, null, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, 'sandbox', params, :code
                from operators where id = 'bescom'""").param("id", biller).param("code", code).update();
        catalog.reload();
        EkoPartner p = newEkoPartner(1_000, false);
        assertThat(fetchData(p, Integer.toString(code), "1234567890", Map.of()).get("ccf").stringValue())
                .as("no slabs: the catalog fee").isEqualTo("0.00");
        assertThat(admin().send("PUT", "/admin/operators/" + biller + "/ccf-slabs",
                "{\"slabs\":[{\"fromMinor\":0,\"flatMinor\":1500},{\"paymentMode\":\"UPI\",\"fromMinor\":0,\"flatMinor\":0}]}")
                .status()).isEqualTo(200);
        assertThat(fetchData(p, Integer.toString(code), "1234567891", Map.of()).get("ccf").stringValue())
                .as("cash: the any-mode slab").isEqualTo("15.00");

        Map<String, String> f = seedPayFields("pmode" + code, "23", "12345678901", "10");
        f.put("payment_mode", "Barter");
        Http refused = raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR, form(f),
                payHeaders(p, "12345678901", "10", true));
        assertThat(refused.body()).contains("payment_mode");
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000);
    }

    @Test
    void aBillFetchIsNotATransactionToTheInquiry() {
        EkoPartner p = newEkoPartner(1_000, false);
        JsonNode fetched = fetchData(p, "23", "12345678901", Map.of("client_ref_id", "fetchinq01"));
        String fetchId = fetched.get("billfetchresponse").stringValue();
        Map<String, Http> inquiries = new LinkedHashMap<>();
        inquiries.put("v1 tid", raw().get("/ekoapi/v1/transactions/" + fetchId + "?initiator_id=" + INITIATOR,
                headers(p.developerKey(), p.accessKey())));
        inquiries.put("v1 client_ref_id", raw().get("/ekoapi/v1/transactions/client_ref_id:fetchinq01?initiator_id=" + INITIATOR,
                headers(p.developerKey(), p.accessKey())));
        inquiries.put("v3 tid", raw().get("/ekoapi/v3/tools/reference/transaction/" + fetchId + "?initiator_id=" + INITIATOR,
                headers(p.developerKey(), p.accessKey())));
        inquiries.put("v3 client_ref_id", raw().get("/ekoapi/v3/tools/reference/transaction/fetchinq01?initiator_id=" + INITIATOR,
                headers(p.developerKey(), p.accessKey())));

        inquiries.forEach((name, answer) -> {
            assertThat(answer.status()).as(name).isEqualTo(200);
            assertThat(answer.json().get("status").intValue()).as(name).isEqualTo(168);
        });
    }

    /**
     * Issue 30, item 4: request_hash signs utility_acc_no + amount with no separator. The hash a client made for
     * account 1516275910 / Rs 50 must not pay account 151627591 / "050" (both accounts fit Airtel Postpaid's
     * rules, so only the amount's one written form tells them apart). The refusal is Eko's 97 and moves no money.
     */
    @Test
    void aRequestHashCannotPayAnAccountShiftedIntoTheAmount() {
        EkoPartner p = newEkoPartner(1_000_000, true);
        String path = "/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR;
        Map<String, String> signedFor1516275910 = payHeaders(p, "1516275910", "50", true);

        Http shifted = raw().post(path, form(seedPayFields("shift-0001", "410", "151627591", "050")), signedFor1516275910);
        assertThat(shifted.status()).isEqualTo(200);
        assertThat(shifted.json().get("status").intValue()).isEqualTo(97);
        assertThat(shifted.json().get("response_status_id").intValue()).isEqualTo(1);
        assertThat(shifted.json().get("invalid_params").get("amount").stringValue()).contains("no leading zeros");
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000_000);

        for (String amount : new String[] {"050", "50.", ".5", "+50", "0050.00", "5e1", "50.000"}) {
            Http odd = raw().post(path, form(seedPayFields("odd-amount", "410", "1516275910", amount)),
                    payHeaders(p, "1516275910", amount, true));
            assertThat(odd.json().get("status").intValue()).as(amount).isEqualTo(97);
        }
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000_000);

        Http meant = raw().post(path, form(seedPayFields("shift-0002", "410", "1516275910", "50")), signedFor1516275910);
        assertThat(meant.json().get("data").get("tx_status").intValue()).isZero();
        assertThat(meant.json().get("data").get("account").stringValue()).isEqualTo("1516275910");
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000_000 - 5_000 + 25 - 1);   // TDS: 2% of 25 paise, half up
    }

    /**
     * Issue 30, item 4, on an open-amount FASTag biller: a hash signed for vehicle DL112341 / Rs 500 must not pay
     * DL11234 / Rs 1500. The account is held to the operator's rule (state, 2-digit RTO code, series, 4 digits)
     * before the hash is checked, so the shifted account is refused as an invalid parameter.
     */
    @Test
    void aFastagHashCannotPayAShorterVehicleNumberWithALargerAmount() {
        EkoPartner p = newEkoPartner(1_000_000, true);
        String path = "/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR;
        Map<String, String> signedForDl112341 = payHeaders(p, "DL112341", "500", true);

        Http shifted = raw().post(path, form(seedPayFields("fastag-01", "70", "DL11234", "1500")), signedForDl112341);
        assertThat(shifted.json().get("status").intValue()).isEqualTo(97);
        assertThat(shifted.json().get("invalid_params").get("utility_acc_no").stringValue()).contains("DL01AB1234");
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000_000);

        Http meant = raw().post(path, form(seedPayFields("fastag-02", "70", "DL112341", "500")), signedForDl112341);
        assertThat(meant.json().get("data").get("tx_status").intValue()).isZero();
        assertThat(meant.json().get("data").get("amount").stringValue()).isEqualTo("500.00");
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000_000 - 50_000 + 50 - 1);   // TDS: 2% of 50 paise
    }

    /**
     * Issue 30, item 11: an unknown developer_key gets exactly the answer a wrong secret-key gets, for a fresh
     * timestamp and for a stale one alike, so the answers do not tell which keys exist.
     */
    @Test
    void anUnknownDeveloperKeyIsAnsweredAsAWrongSecretKey() {
        EkoPartner p = newEkoPartner(0, false);
        String path = "/ekoapi/v2/billpayments/operators_category";
        Http wrongSecret = raw().get(path, headers(p.developerKey(), "not-the-access-key"));
        Http unknownKey = raw().get(path, headers("unknown-" + UUID.randomUUID(), p.accessKey()));
        assertThat(wrongSecret.status()).isEqualTo(403);
        assertThat(wrongSecret.json().get("status").intValue()).isEqualTo(403);
        assertThat(unknownKey.status()).isEqualTo(wrongSecret.status());
        assertThat(unknownKey.body()).isEqualTo(wrongSecret.body());

        String old = Long.toString(System.currentTimeMillis() - 10 * 60_000);
        Http staleKnown = raw().get(path, Map.of("developer_key", p.developerKey(), "secret-key", hmac(p.accessKey(), old),
                "secret-key-timestamp", old));
        Http staleUnknown = raw().get(path, Map.of("developer_key", "unknown-" + UUID.randomUUID(), "secret-key",
                hmac(p.accessKey(), old), "secret-key-timestamp", old));
        assertThat(staleKnown.status()).isEqualTo(403);
        assertThat(staleUnknown.status()).isEqualTo(staleKnown.status());
        assertThat(staleUnknown.body()).isEqualTo(staleKnown.body());
    }

    @Test
    void badKeysTimestampsAndHashesAre403() {
        EkoPartner p = newEkoPartner(100_000, false);
        String path = "/ekoapi/v2/billpayments/operators_category";
        Map<String, String> wrongSecret = headers(p.developerKey(), "not-the-access-key");
        assertThat(raw().get(path, wrongSecret).status()).isEqualTo(403);

        String old = Long.toString(System.currentTimeMillis() - 10 * 60_000);
        Map<String, String> stale = Map.of("developer_key", p.developerKey(), "secret-key", hmac(p.accessKey(), old),
                "secret-key-timestamp", old);
        assertThat(raw().get(path, stale).status()).isEqualTo(403);
        assertThat(raw().get(path, Map.of()).status()).isEqualTo(403);
        assertThat(raw().get(path, headers("unknown-developer-key", p.accessKey())).status()).isEqualTo(403);

        Map<String, String> badHash = payHeaders(p, "9876543210", "10", true);
        badHash.put("request_hash", hmac(p.accessKey(), "something else"));
        Http refused = raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR,
                form(seedPayFields("badhash-1", "400", "9876543210", "10")), badHash);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("status").intValue()).isEqualTo(403);

        EkoPartner strict = newEkoPartner(100_000, true);
        Map<String, String> noHash = payHeaders(strict, "9876543210", "10", true);
        noHash.remove("request_hash");
        assertThat(raw().post("/ekoapi/v2/billpayments/paybill?initiator_id=" + INITIATOR,
                form(seedPayFields("nohash-01", "400", "9876543210", "10")), noHash).status()).isEqualTo(403);
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000);
        assertThat(strict.nativeClient().availableInr()).isEqualTo(100_000);
    }
}
