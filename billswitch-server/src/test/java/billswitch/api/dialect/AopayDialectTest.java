package billswitch.api.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.partner.PartnerService;
import billswitch.infra.crypto.Hmac;
import billswitch.shared.Secret;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** AOPay's seed samples, as printed, and its codes, through the real server. */
class AopayDialectTest extends IntegrationTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    /** Seed 000's curl body, byte for byte. */
    private static final String SEED_000_CURL = """
            {
              "operator": "11",
              "canumber": "102277100",
              "amount": "100",
              "referenceid": "20018575947",
              "latitude": "27.2232",
              "longitude": "78.26535",
              "RegistrationID": "AOP-554",
              "mode": "online",
              "bill_fetch": {
                "billAmount": "820.0",
                "billnetamount": "820.0",
                "billdate": "01Jan1990",
                "dueDate": "2021-01-06",
                "acceptPayment": true,
                "acceptPartPay": false,
                "cellNumber": "102277100",
                "userName": "SALMAN"
              }
            }""";

    /** Seed 001's body as printed: CustomerNumber 98XXXXXX76 is not JSON. */
    private static final String SEED_001 = """
            {
            "RegistrationID": "AOP-554",
            "ProductID": 511,
            "Amount": 10,
            "Geocode": "23.6784,76.8764",
            "CustomerNumber": 98XXXXXX76
            }""";

    private RawClient raw() {
        return new RawClient("http://localhost:" + port);
    }

    /** A partner of our own with an AOPay credential, so tests can count its money exactly. */
    private record AopayPartner(String registrationId, String secret, NativeClient nativeClient) {
    }

    private AopayPartner newAopayPartner(long inrMinor, List<String> allowList) {
        NativeClient client = newPartner(inrMinor);
        String registrationId = "AOP-" + UUID.randomUUID().toString().substring(0, 6);
        String secret = "aopay-" + UUID.randomUUID();
        partners.addCredential(client.partnerId, PartnerService.AOPAY, registrationId, Secret.of(secret), allowList, Map.of());
        return new AopayPartner(registrationId, secret, client);
    }

    private Http signed(String path, String body, String secret) {
        return raw().post(path, body, Map.of("Content-Type", "application/json",
                "X-AOPay-Signature", Hmac.sha256Base64(secret, body)));
    }

    private long demoBalanceMinor() {
        Http b = raw().post("/api/AOP/Balance", "{\"RegistrationID\":\"AOP-554\"}", JSON);
        return new java.math.BigDecimal(b.text("balance")).movePointRight(2).longValueExact();
    }

    @Test
    void seed000PayBillWorksAsPrintedFromAnAllowListedHost() {
        long before = demoBalanceMinor();
        Http paid = raw().post("/api/AOP/BillPaymentPaybill", SEED_000_CURL, JSON);

        assertThat(paid.status()).isEqualTo(200);
        JsonNode j = paid.json();
        assertThat(j.propertyNames()).containsExactly("status", "response_code", "operatorid", "ackno", "opening", "closing", "message");
        assertThat(j.get("status").booleanValue()).isTrue();
        assertThat(j.get("response_code").intValue()).isEqualTo(1);
        assertThat(j.get("operatorid").isString()).isTrue();
        assertThat(j.get("ackno").isIntegralNumber()).isTrue();
        assertThat(j.get("opening").stringValue()).matches("^[0-9]+\\.[0-9]{2}$");
        assertThat(j.get("closing").stringValue()).matches("^[0-9]+\\.[0-9]{2}$");
        assertThat(new java.math.BigDecimal(j.get("opening").stringValue())
                .subtract(new java.math.BigDecimal(j.get("closing").stringValue()))).isEqualByComparingTo("100.00");
        assertThat(j.get("message").stringValue()).isEqualTo("You Bill Payment for Airtel Postpaid of Amount 100 is successful.");
        // a replay of the same seed request is the same answer and no second debit
        Http again = raw().post("/api/AOP/BillPaymentPaybill", SEED_000_CURL, JSON);
        assertThat(again.body()).isEqualTo(paid.body());
        long commission = 10_000 * 50 / 10_000;   // Airtel Postpaid pays 0.50% commission: 50 paise on Rs 100
        long tds = 1;                              // less TDS at 2%, half up: 1 paisa
        assertThat(demoBalanceMinor()).isEqualTo(before - 10_000 + commission - tds);
    }

    @Test
    void seed000PythonBodyToo() {
        String python = "{\"operator\": \"11\", \"canumber\": \"102277100\", \"amount\": \"100\", \"referenceid\": \"py-"
                + UUID.randomUUID().toString().substring(0, 8) + "\", \"latitude\": \"27.2232\", \"longitude\": \"78.26535\", "
                + "\"RegistrationID\": \"AOP-554\", \"mode\": \"online\", \"bill_fetch\": {\"billAmount\": \"820.0\", "
                + "\"billnetamount\": \"820.0\", \"billdate\": \"01Jan1990\", \"dueDate\": \"2021-01-06\", \"acceptPayment\": true, "
                + "\"acceptPartPay\": false, \"cellNumber\": \"102277100\", \"userName\": \"SALMAN\"}}";
        Http paid = raw().post("/api/AOP/BillPaymentPaybill", python, Map.of("Content-type", "application/json"));
        assertThat(paid.json().get("response_code").intValue()).isEqualTo(1);
    }

    @Test
    void seed001AsPrintedIsBrokenJsonAndGetsA400InAopayShape() {
        Http answer = raw().post("/api/AOP/V2/MobileRecharge", SEED_001, JSON);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("status").booleanValue()).isFalse();
        assertThat(answer.json().get("response_code").intValue()).isEqualTo(10);
        assertThat(answer.json().get("message").stringValue()).contains("not valid JSON");
    }

    @Test
    void anAirtelRechargeThroughProductId518() {
        AopayPartner p = newAopayPartner(100_000, List.of("127.0.0.1", "::1"));
        String body = """
                {"RegistrationID": "%s", "ProductID": 518, "Amount": 10, "Geocode": "23.6784,76.8764", "CustomerNumber": 9876543276}"""
                .formatted(p.registrationId());
        Http answer = raw().post("/api/AOP/V2/MobileRecharge", body, JSON);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode j = answer.json();
        assertThat(j.propertyNames()).containsExactly("status", "msg", "error", "statusCode", "ReferanceID", "data", "Status", "message", "Value");
        assertThat(j.get("status").booleanValue()).isTrue();
        assertThat(j.get("data").get("status").stringValue()).isEqualTo("SUCCESS");
        assertThat(j.get("data").get("message").stringValue()).isEqualTo("Your payment for Airtel Prepaid of Rs 10 is successful");
        // Rs 10 at 2.50%: 25 paise commission, less its TDS (2% of 25 paise: 0.5, half up: 1 paisa)
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000 - 1_000 + 25 - 1);

        Http status = raw().post("/api/AOP/V2/RechargeStatus", """
                {"RegistrationID":"%s","ReferanceId":"%s"}""".formatted(p.registrationId(), j.get("ReferanceID").stringValue()), JSON);
        assertThat(status.json().get("data").get("status").stringValue()).isEqualTo("SUCCESS");
        assertThat(status.json().get("data").get("ackno").stringValue()).isEqualTo(j.get("data").get("ackno").stringValue());
    }

    @Test
    void aDeclinedRechargeHasSeed001sFailureShapeAndIsRefunded() {
        AopayPartner p = newAopayPartner(100_000, List.of("127.0.0.1", "::1"));
        Http answer = raw().post("/api/AOP/V2/MobileRecharge", """
                {"RegistrationID":"%s","ProductID":511,"Amount":10,"Geocode":"23.6784,76.8764","CustomerNumber":9876543218}"""
                .formatted(p.registrationId()), JSON);
        JsonNode j = answer.json();
        assertThat(j.get("status").booleanValue()).isFalse();
        assertThat(j.get("msg").stringValue()).isEqualTo("error");
        assertThat(j.get("error").stringValue()).isEqualTo("Transaction failed");
        assertThat(j.get("statusCode").intValue()).isEqualTo(401);
        assertThat(j.get("data").get("status").stringValue()).isEqualTo("FAILED");
        assertThat(j.get("data").get("message").stringValue()).startsWith("Your payment for Jio Prepaid of Rs 10 failed | ");
        assertThat(j.get("Status").stringValue()).isEqualTo("FALSE");
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000);
    }

    @Test
    void aTimedOutRechargeIsPendingNeverFailed() {
        AopayPartner p = newAopayPartner(100_000, List.of("127.0.0.1", "::1"));
        Http answer = raw().post("/api/AOP/DoRecharge", """
                {"operator":"518","canumber":"9876543219","amount":"10","referenceid":"legacy-9","RegisterID":"%s"}"""
                .formatted(p.registrationId()), JSON);
        assertThat(answer.json().get("status").booleanValue()).isTrue();
        assertThat(answer.json().get("response_code").intValue()).isEqualTo(2);
        Http status = raw().post("/api/AOP/RechargesStatus", """
                {"registrationID":"%s","referenceid":"legacy-9"}""".formatted(p.registrationId()), JSON);
        assertThat(status.json().get("response_code").intValue()).isEqualTo(2);
        assertThat(status.json().get("message").stringValue()).isEqualTo("PENDING");
        assertThat(p.nativeClient().availableInr()).isEqualTo(99_000);
    }

    @Test
    void fetchThenPayABsesRajdhaniBillWithTheHmacSignature() {
        AopayPartner p = newAopayPartner(10_000_000, List.of());
        Http fetched = signed("/api/AOP/FetchBilPaymentDetails", """
                {"operator":"21","canumber":"100000011","mode":"online","RegistrationID":"%s"}""".formatted(p.registrationId()), p.secret());
        assertThat(fetched.status()).isEqualTo(200);
        JsonNode j = fetched.json();
        assertThat(j.propertyNames()).contains("status", "amount", "name", "duedate", "bill_fetch", "message");
        assertThat(j.get("bill_fetch").propertyNames()).containsExactly("billAmount", "billnetamount", "billdate", "dueDate",
                "acceptPayment", "acceptPartPay", "cellNumber", "userName");
        String amount = j.get("amount").stringValue();

        String pay = """
                {"operator":"21","canumber":"100000011","amount":"%s","referenceid":"bses-1","RegistrationID":"%s","mode":"online"}"""
                .formatted(amount, p.registrationId());
        Http paid = signed("/api/AOP/BillPaymentPaybill", pay, p.secret());
        assertThat(paid.json().get("response_code").intValue()).isEqualTo(1);
        assertThat(paid.json().get("opening").stringValue()).isEqualTo("100000.00");

        Http status = signed("/api/AOP/BillPaymentStatus", """
                {"referenceid":"bses-1","RegistrationID":"%s"}""".formatted(p.registrationId()), p.secret());
        JsonNode data = status.json().get("data");
        assertThat(data.propertyNames()).containsExactly("txnid", "operatorname", "canumber", "amount", "comm", "tds",
                "status", "refid", "operatorid", "dateadded", "refunded", "refundtxnid", "daterefunded");
        assertThat(data.get("status").stringValue()).isEqualTo("SUCCESS");
        assertThat(data.get("operatorname").stringValue()).isEqualTo("BSES Rajdhani");
        assertThat(data.get("refunded").stringValue()).isEqualTo("0");

        String otherAmount = new java.math.BigDecimal(amount).add(java.math.BigDecimal.ONE).toPlainString();
        Http different = signed("/api/AOP/BillPaymentPaybill", pay.replace("\"" + amount + "\"", "\"" + otherAmount + "\""), p.secret());
        assertThat(different.json().get("response_code").intValue()).isEqualTo(13);
        assertThat(different.json().get("message").stringValue()).contains("already used");
    }

    @Test
    void aDeclinedBillShowsTheRefundInTheStatus() {
        AopayPartner p = newAopayPartner(1_000_000, List.of("127.0.0.1", "::1"));
        Http paid = raw().post("/api/AOP/BillPaymentPaybill", """
                {"operator":"11","canumber":"9876543218","amount":"250","referenceid":"decl-1","RegistrationID":"%s"}"""
                .formatted(p.registrationId()), JSON);
        assertThat(paid.json().get("status").booleanValue()).isFalse();
        assertThat(paid.json().get("response_code").intValue()).isEqualTo(3);
        assertThat(paid.json().get("closing").stringValue()).isEqualTo(paid.json().get("opening").stringValue());
        Http status = raw().post("/api/AOP/BillPaymentStatus", """
                {"referenceid":"decl-1","RegistrationID":"%s"}""".formatted(p.registrationId()), JSON);
        assertThat(status.json().get("data").get("refunded").stringValue()).isEqualTo("1");
        assertThat(status.json().get("data").get("refundtxnid").stringValue()).isNotEmpty();
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000_000);
    }

    @Test
    void signaturesAndAddressesAreChecked() {
        AopayPartner p = newAopayPartner(100_000, List.of());
        String body = """
                {"RegistrationID":"%s","ProductID":518,"Amount":10,"CustomerNumber":9876543210}""".formatted(p.registrationId());

        Http notBase64 = raw().post("/api/AOP/V2/MobileRecharge", body, Map.of("Content-Type", "application/json", "X-AOPay-Signature", "***"));
        assertThat(notBase64.status()).isEqualTo(401);
        assertThat(notBase64.body()).isEqualTo("{\"status\":false,\"response_code\":5,\"message\":\"Invalid signature encoding\"}");

        Http wrong = signed("/api/AOP/V2/MobileRecharge", body, "not-the-secret");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo("{\"status\":false,\"response_code\":20,\"message\":\"Signature verification failed\"}");

        Http unsignedFromOutsideTheAllowList = raw().post("/api/AOP/V2/MobileRecharge", body, JSON);
        assertThat(unsignedFromOutsideTheAllowList.status()).isEqualTo(401);
        assertThat(unsignedFromOutsideTheAllowList.json().get("response_code").intValue()).isEqualTo(22);

        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000);

        assertThat(signed("/api/AOP/V2/MobileRecharge", body, p.secret()).json().get("data").get("status").stringValue())
                .isEqualTo("SUCCESS");
    }

    /**
     * Issue 30, item 11: an unknown RegistrationID is answered exactly as a known one whose request fails the
     * same way (a wrong signature: 20; unsigned from outside the allow-list: 22; a signature that is not
     * base64: 5), so the answers do not tell which RegistrationIDs exist.
     */
    @Test
    void anUnknownRegistrationIdIsAnsweredAsAKnownOneThatFailsTheSameWay() {
        AopayPartner p = newAopayPartner(100_000, List.of());
        String known = """
                {"RegistrationID":"%s","ProductID":518,"Amount":10,"CustomerNumber":9876543210}""".formatted(p.registrationId());
        String unknown = known.replace(p.registrationId(), "AOP-NOBODY-" + UUID.randomUUID().toString().substring(0, 6));

        Http wrongSignature = signed("/api/AOP/V2/MobileRecharge", known, "not-the-secret");
        Http unknownSigned = signed("/api/AOP/V2/MobileRecharge", unknown, "not-the-secret");
        assertThat(wrongSignature.status()).isEqualTo(401);
        assertThat(wrongSignature.body()).isEqualTo("{\"status\":false,\"response_code\":20,\"message\":\"Signature verification failed\"}");
        assertThat(unknownSigned.status()).isEqualTo(wrongSignature.status());
        assertThat(unknownSigned.body()).isEqualTo(wrongSignature.body());

        Http knownUnsigned = raw().post("/api/AOP/V2/MobileRecharge", known, JSON);
        Http unknownUnsigned = raw().post("/api/AOP/V2/MobileRecharge", unknown, JSON);
        assertThat(knownUnsigned.status()).isEqualTo(401);
        assertThat(knownUnsigned.json().get("response_code").intValue()).isEqualTo(22);
        assertThat(unknownUnsigned.status()).isEqualTo(knownUnsigned.status());
        assertThat(unknownUnsigned.body()).isEqualTo(knownUnsigned.body());

        Map<String, String> notBase64 = Map.of("Content-Type", "application/json", "X-AOPay-Signature", "***");
        Http knownMalformed = raw().post("/api/AOP/V2/MobileRecharge", known, notBase64);
        Http unknownMalformed = raw().post("/api/AOP/V2/MobileRecharge", unknown, notBase64);
        assertThat(knownMalformed.json().get("response_code").intValue()).isEqualTo(5);
        assertThat(unknownMalformed.status()).isEqualTo(knownMalformed.status());
        assertThat(unknownMalformed.body()).isEqualTo(knownMalformed.body());
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000);
    }

    /**
     * Issue 30, item 2: AOPay's V2 recharge carries no reference and its body signature no time, so a client's
     * timeout retry (or anyone who captured the body) sends the same signed bytes again. They are the same
     * payment: paid and debited once, the second answer the first one's bytes, its ReferanceID derived from the
     * body's signature.
     */
    @Test
    void theSameSignedRechargeSentTwicePaysOnceAndAnswersTheSameBytes() {
        AopayPartner p = newAopayPartner(100_000, List.of());
        String body = """
                {"RegistrationID":"%s","ProductID":518,"Amount":10,"Geocode":"23.6784,76.8764","CustomerNumber":9876543276}"""
                .formatted(p.registrationId());

        Http first = signed("/api/AOP/V2/MobileRecharge", body, p.secret());
        Http again = signed("/api/AOP/V2/MobileRecharge", body, p.secret());

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("data").get("status").stringValue()).isEqualTo("SUCCESS");
        assertThat(again.status()).isEqualTo(first.status());
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(p.nativeClient().availableInr()).as("one debit of Rs 10, one commission less its TDS").isEqualTo(100_000 - 1_000 + 25 - 1);
        String signature = java.util.HexFormat.of().formatHex(
                Hmac.sha256(p.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8), body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(first.json().get("ReferanceID").stringValue()).isEqualTo("AOPV2-" + signature.substring(0, 48));

        // another body (another number) is another payment
        Http other = signed("/api/AOP/V2/MobileRecharge", body.replace("9876543276", "9876543271"), p.secret());
        assertThat(other.json().get("data").get("status").stringValue()).isEqualTo("SUCCESS");
        assertThat(other.json().get("ReferanceID").stringValue()).isNotEqualTo(first.json().get("ReferanceID").stringValue());
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000 - 2 * (1_000 - 25 + 1));   // each: Rs 10 less 0.25 commission plus its 0.01 TDS
    }

    /** A signed body that names its ReferenceID, sent again, is answered from the store too: never paid twice. */
    @Test
    void aSignedBodyWithItsReferenceIdSentTwicePaysOnce() {
        AopayPartner p = newAopayPartner(100_000, List.of());
        String body = """
                {"RegistrationID":"%s","ProductID":511,"Amount":10,"CustomerNumber":9876543271,"ReferenceID":"retry-1"}"""
                .formatted(p.registrationId());
        Http first = signed("/api/AOP/V2/MobileRecharge", body, p.secret());
        Http again = signed("/api/AOP/V2/MobileRecharge", body, p.secret());
        assertThat(first.json().get("ReferanceID").stringValue()).isEqualTo("retry-1");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000 - 1_000 + 20);
    }

    /**
     * Allow-list mode: an unsigned body without ReferenceID gets the reference its signature would give, so
     * two identical unsigned bodies are one payment too (what the README says).
     */
    @Test
    void twoIdenticalUnsignedRechargesFromAnAllowListedHostAreOnePayment() {
        AopayPartner p = newAopayPartner(100_000, List.of("127.0.0.1", "::1"));
        String body = """
                {"RegistrationID":"%s","ProductID":518,"Amount":20,"Geocode":"23.6784,76.8764","CustomerNumber":9876543276}"""
                .formatted(p.registrationId());
        Http first = raw().post("/api/AOP/V2/MobileRecharge", body, JSON);
        Http again = raw().post("/api/AOP/V2/MobileRecharge", body, JSON);
        assertThat(first.json().get("data").get("status").stringValue()).isEqualTo("SUCCESS");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000 - 2_000 + 50 - 1);   // TDS: 2% of 50 paise
        // the same bytes, signed this time, are still that one payment
        assertThat(signed("/api/AOP/V2/MobileRecharge", body, p.secret()).body()).isEqualTo(first.body());
        assertThat(p.nativeClient().availableInr()).isEqualTo(100_000 - 2_000 + 50 - 1);   // TDS: 2% of 50 paise
    }

    @Test
    void businessRefusalsUseAopayCodesAndMoveNoMoney() {
        AopayPartner p = newAopayPartner(1_000, List.of("127.0.0.1", "::1"));
        String id = p.registrationId();
        Map<String, Integer> cases = Map.of(
                "{\"RegistrationID\":\"%s\",\"ProductID\":999,\"Amount\":10,\"CustomerNumber\":9876543210}", 11,
                "{\"RegistrationID\":\"%s\",\"ProductID\":518,\"Amount\":500,\"CustomerNumber\":9876543210}", 12,
                "{\"RegistrationID\":\"%s\",\"ProductID\":518,\"Amount\":\"ten\",\"CustomerNumber\":9876543210}", 10,
                "{\"RegistrationID\":\"%s\",\"ProductID\":518,\"Amount\":10,\"CustomerNumber\":12345}", 10,
                "{\"RegistrationID\":\"%s\",\"ProductID\":518,\"Amount\":1,\"CustomerNumber\":9876543210}", 15,
                "{\"RegistrationID\":\"%s\",\"ProductID\":518,\"Amount\":-10,\"CustomerNumber\":9876543210}", 10,
                "{\"RegistrationID\":\"%s\",\"ProductID\":518,\"Amount\":10}", 10);
        cases.forEach((template, code) -> {
            Http answer = raw().post("/api/AOP/V2/MobileRecharge", template.formatted(id), JSON);
            assertThat(answer.json().get("status").booleanValue()).as(template).isFalse();
            assertThat(answer.json().get("response_code").intValue()).as(template).isEqualTo(code);
            assertThat(answer.status()).as(template).isIn(200, 400);
        });
        assertThat(raw().post("/api/AOP/BillPaymentStatus", "{\"referenceid\":\"nope\",\"RegistrationID\":\"%s\"}"
                .formatted(id), JSON).json().get("response_code").intValue()).isEqualTo(17);
        assertThat(raw().post("/api/AOP/NoSuchCall", "{}", JSON).json().get("response_code").intValue()).isEqualTo(10);
        assertThat(p.nativeClient().availableInr()).isEqualTo(1_000);
    }

    @Test
    void plansAndBalance() {
        Http plans = raw().post("/api/AOP/BrowsPlan", "{\"RegistrationID\":\"AOP-554\",\"circle\":\"DL\",\"op\":518}", JSON);
        assertThat(plans.json().get("data").size()).isEqualTo(4);
        assertThat(plans.json().get("data").get(0).get("rs").stringValue()).isEqualTo("199");
        Http balance = raw().post("/api/AOP/Balance", "{\"RegistrationID\":\"AOP-554\"}", JSON);
        assertThat(balance.json().get("balance").stringValue()).matches("^[0-9]+\\.[0-9]{2}$");
    }
}
