package billswitch.connector.aopay;

import static billswitch.connector.aopay.AopayFixtures.NOW;
import static billswitch.connector.aopay.AopayFixtures.REGISTRATION_ID;
import static billswitch.connector.aopay.AopayFixtures.SIGNING_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.catalog.Operator;
import billswitch.connector.http.CallbackNotice;
import billswitch.connector.http.CallbackRequest;
import billswitch.connector.http.HttpAnswer;
import billswitch.connector.http.HttpCall;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.infra.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The AOPay protocol, pure: the exact requests for known attempts, and every documented answer read. */
class AopayProtocolTest {
    private final AopayProtocol signed = new AopayProtocol(REGISTRATION_ID, SIGNING_KEY);
    private final AopayProtocol unsigned = new AopayProtocol(REGISTRATION_ID, null);
    private final BillQuery query = new BillQuery("F1", AopayFixtures.airtelPostpaid(), "11", "102277100", Map.of());
    /** A callback: our BillPaymentStatus answer's shape. */
    private final String callback = OurDialect.billStatus("SUCCESS", 1, "BS77", "OP77");

    private static String compact(String json) {
        JsonMapper mapper = JsonMapper.builder().build();
        return mapper.writeValueAsString(mapper.readTree(json));
    }

    private static HttpAnswer answer(int status, String body) {
        return HttpAnswer.of(status, body);
    }

    // ---- requests

    @Test
    void payingSeed000SendsSeed000FieldForFieldSignedOverTheRawBody() {
        HttpCall call = signed.pay(AopayFixtures.seed000(), NOW);

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.pathAndQuery()).isEqualTo("/api/AOP/BillPaymentPaybill");
        assertThat(call.bodyText()).isEqualTo(compact(AopayFixtures.SEED_000_REQUEST)).isEqualTo(AopayFixtures.SEED_000_COMPACT);
        assertThat(call.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Content-Type", "application/json", "X-AOPay-Signature", AopayFixtures.SEED_000_SIGNATURE));
    }

    @Test
    void aRechargeIsSeed001WithNumbersAsDocumentedAndOurReference() {
        HttpCall call = signed.pay(AopayFixtures.seed001(), NOW);

        assertThat(call.pathAndQuery()).isEqualTo("/api/AOP/V2/MobileRecharge");
        assertThat(call.bodyText()).isEqualTo(AopayFixtures.SEED_001_REQUEST);
        assertThat(call.headers()).containsEntry("X-AOPay-Signature", AopayFixtures.SEED_001_SIGNATURE);
    }

    @Test
    void withoutASigningKeyNothingIsSigned() {
        HttpCall call = unsigned.pay(AopayFixtures.seed001(), NOW);

        assertThat(call.headers()).containsExactlyEntriesOf(Map.of("Content-Type", "application/json"));
        assertThat(call.bodyText()).isEqualTo(AopayFixtures.SEED_001_REQUEST);
    }

    @Test
    void aFetchNamesTheOperatorAccountModeAndRegistration() {
        HttpCall call = signed.fetchBill(query, NOW);

        assertThat(call.pathAndQuery()).isEqualTo("/api/AOP/FetchBilPaymentDetails");
        assertThat(call.bodyText()).isEqualTo(
                "{\"operator\":\"11\",\"canumber\":\"102277100\",\"mode\":\"online\",\"RegistrationID\":\"AOP-554\"}");
        assertThat(call.headers()).containsKey("X-AOPay-Signature");
    }

    @Test
    void operatorParametersTravelAsTopLevelFields() {
        BillQuery mseb = new BillQuery("F1", AopayFixtures.mseb(), "24", "123456789012", Map.of("postalcode", "411001"));

        assertThat(signed.fetchBill(mseb, NOW).bodyText()).isEqualTo("{\"operator\":\"24\",\"canumber\":\"123456789012\","
                + "\"mode\":\"online\",\"RegistrationID\":\"AOP-554\",\"postalcode\":\"411001\"}");
    }

    @Test
    void aBillWithoutFetchPaysWithoutBillFetchAtTheDefaultLocationOfflineOnTheHighCommissionChannel() {
        PaymentInstruction instruction = AopayFixtures.bill(AopayFixtures.mseb(), "24", "123456789012", 123_456,
                Map.of("postalcode", "411001"), Operator.Channel.HIGH_COMMISSION);

        assertThat(signed.pay(instruction, NOW).bodyText()).isEqualTo("{\"operator\":\"24\",\"canumber\":\"123456789012\","
                + "\"amount\":\"1234.56\",\"referenceid\":\"BS43\",\"latitude\":\"23.6784\",\"longitude\":\"76.8764\","
                + "\"RegistrationID\":\"AOP-554\",\"mode\":\"offline\",\"postalcode\":\"411001\"}");
    }

    @Test
    void billAmountsAreRupeesWrittenExactly() {
        PaymentInstruction instruction = AopayFixtures.bill(AopayFixtures.airtelPostpaid(), "11", "102277100", 10_050,
                Map.of(), Operator.Channel.INSTANT);

        assertThat(signed.pay(instruction, NOW).bodyText()).contains("\"amount\":\"100.5\"");
    }

    @Test
    void theCatalogsAopayCodesServeWhenTheRouteGivesNone() {
        PaymentInstruction bill = AopayFixtures.bill(AopayFixtures.airtelPostpaid(), null, "102277100", 100,
                Map.of(), Operator.Channel.INSTANT);
        PaymentInstruction recharge = AopayFixtures.recharge(AopayFixtures.airtelPrepaid(), null, "9876543276", 1_000, "BS42");

        assertThat(signed.pay(bill, NOW).bodyText()).startsWith("{\"operator\":\"11\",");
        assertThat(signed.pay(recharge, NOW).bodyText()).isEqualTo(AopayFixtures.SEED_001_REQUEST);
    }

    @Test
    void aCustomerNumberANumberWouldChangeTravelsAsAString() {
        PaymentInstruction dth = AopayFixtures.recharge(AopayFixtures.dishTv(), "522", "01234567890", 20_000, "BS44");

        assertThat(signed.pay(dth, NOW).bodyText()).isEqualTo("{\"RegistrationID\":\"AOP-554\",\"ProductID\":522,"
                + "\"Amount\":200,\"Geocode\":\"23.6784,76.8764\",\"CustomerNumber\":\"01234567890\",\"ReferenceID\":\"BS44\"}");
    }

    @Test
    void aGeocodeParameterReplacesTheDefaultLocation() {
        PaymentInstruction recharge = new PaymentInstruction(1, 2, "BS2", AopayFixtures.airtelPrepaid(), "518", "9876543276",
                Map.of("Geocode", "28.6139, 77.2090"), 1_000, Operator.Channel.INSTANT, null, null, NOW);

        assertThat(signed.pay(recharge, NOW).bodyText()).contains("\"Geocode\":\"28.6139,77.2090\"");
    }

    @Test
    void statusEnquiriesAskByTheAttemptsReference() {
        HttpCall bill = signed.status(AopayFixtures.seed000(), NOW);
        HttpCall recharge = signed.status(AopayFixtures.seed001(), NOW);

        assertThat(bill.pathAndQuery()).isEqualTo("/api/AOP/BillPaymentStatus");
        assertThat(bill.bodyText()).isEqualTo("{\"referenceid\":\"20018575947\",\"RegistrationID\":\"AOP-554\"}");
        assertThat(recharge.pathAndQuery()).isEqualTo("/api/AOP/V2/RechargeStatus");
        assertThat(recharge.bodyText()).isEqualTo("{\"RegistrationID\":\"AOP-554\",\"ReferanceId\":\"BS42\"}");
        assertThat(recharge.headers()).containsKey("X-AOPay-Signature");
    }

    @Test
    void theBalanceIsAskedAtOurDialectsChosenPath() {
        HttpCall call = signed.balance(NOW).orElseThrow();

        assertThat(call.pathAndQuery()).isEqualTo("/api/AOP/Balance");
        assertThat(call.bodyText()).isEqualTo("{\"RegistrationID\":\"AOP-554\"}");
    }

    @Test
    void whatAopayCannotCarryIsRefusedBeforeSending() {
        PaymentInstruction paise = AopayFixtures.recharge(AopayFixtures.airtelPrepaid(), "518", "9876543276", 1_050, "BS1");
        PaymentInstruction dong = AopayFixtures.bill(AopayFixtures.evnhn(), "EVNHN", "PD12121", 100_000, Map.of(),
                Operator.Channel.INSTANT);
        PaymentInstruction notANumber = AopayFixtures.recharge(AopayFixtures.airtelPrepaid(), "AIRTEL", "9876543276", 1_000, "BS1");
        PaymentInstruction uncoded = AopayFixtures.bill(AopayFixtures.uncodedBiller(), null, "123456789012", 100, Map.of(),
                Operator.Channel.INSTANT);
        PaymentInstruction shadowing = AopayFixtures.bill(AopayFixtures.mseb(), "24", "123456789012", 100,
                Map.of("Amount", "1"), Operator.Channel.INSTANT);
        PaymentInstruction badGeocode = AopayFixtures.bill(AopayFixtures.mseb(), "24", "123456789012", 100,
                Map.of("geocode", "somewhere"), Operator.Channel.INSTANT);

        assertThatThrownBy(() -> signed.pay(paise, NOW)).hasMessageContaining("whole rupees");
        assertThatThrownBy(() -> signed.pay(dong, NOW)).hasMessageContaining("rupees, not VND");
        assertThatThrownBy(() -> signed.pay(notANumber, NOW)).hasMessageContaining("ProductID");
        assertThatThrownBy(() -> signed.pay(uncoded, NOW)).hasMessageContaining("No AOPay operator code");
        assertThatThrownBy(() -> signed.pay(shadowing, NOW)).hasMessageContaining("shadow");
        assertThatThrownBy(() -> signed.pay(badGeocode, NOW)).hasMessageContaining("geocode");
    }

    // ---- payment answers

    @Test
    void seed000sSuccess() {
        ConnectorResult result = signed.payAnswer(AopayFixtures.seed000(), answer(200, AopayFixtures.SEED_000_SUCCESS));

        assertThat(result).isEqualTo(new ConnectorResult(Outcome.SUCCESS, "MockLazYafrYZ7", "1",
                "You Bill Payment for Airtel of Amount 100 is successful.", false));
    }

    @Test
    void seed000sSignatureFailureWasRefusedBeforeProcessing() {
        ConnectorResult result = signed.payAnswer(AopayFixtures.seed000(), answer(401, AopayFixtures.SEED_000_SIGNATURE_FAILED));

        assertThat(result).isEqualTo(new ConnectorResult(Outcome.FAILED, null, "20", "Signature verification failed", true));
    }

    @Test
    void theLegacySpellingResponsecodeIsReadToo() {
        ConnectorResult result = signed.payAnswer(AopayFixtures.seed000(),
                answer(401, "{\"responsecode\":20,\"status\":false,\"message\":\"Signature verification failed\"}"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.tryElsewhere()).isTrue();
    }

    @Test
    void seed001sFailedRechargeIsADeclineDespiteItsStatusCode401() {
        ConnectorResult result = signed.payAnswer(AopayFixtures.seed001(), answer(200, AopayFixtures.SEED_001_FAILED));

        assertThat(result).isEqualTo(new ConnectorResult(Outcome.FAILED, "DGFIN4c31cf793a", "FAILED",
                "Your payment for Reliance Jio Bill Payment Prepaid failed | Transaction failed", false));
    }

    @Test
    void seed001sSignatureEncodingFailureWasRefusedBeforeProcessing() {
        ConnectorResult result = signed.payAnswer(AopayFixtures.seed001(), answer(401, AopayFixtures.SEED_001_SIGNATURE_ENCODING));

        assertThat(result).isEqualTo(new ConnectorResult(Outcome.FAILED, null, "5", "Invalid signature encoding", true));
    }

    @Test
    void ourFloatRunningShortSendsThePaymentElsewhere() {
        ConnectorResult result = signed.payAnswer(AopayFixtures.seed000(),
                answer(200, "{\"status\":false,\"response_code\":12,\"message\":\"Insufficient balance\"}"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.mayFailOver()).isTrue();
    }

    @Test
    void anUnmappedCodeIsUnknown() {
        ConnectorResult result = signed.payAnswer(AopayFixtures.seed000(),
                answer(200, "{\"status\":false,\"response_code\":77,\"message\":\"Something new\"}"));

        assertThat(result).isEqualTo(new ConnectorResult(Outcome.UNKNOWN, null, "77", "Something new", false));
    }

    @Test
    void anAnswerWithoutACodeOrThatIsNotAJsonObjectCannotBeRead() {
        PaymentInstruction seed000 = AopayFixtures.seed000();

        assertThatThrownBy(() -> signed.payAnswer(seed000, answer(200, "<html>Bad gateway</html>")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signed.payAnswer(seed000, answer(200, "[1]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signed.payAnswer(seed000, answer(200, "{\"status\":true,\"message\":\"ok\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signed.payAnswer(seed000, answer(200, ""))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- status answers

    @Test
    void aStatusAnswerAboutAnotherReferenceCannotBeRead() {
        String bill = OurDialect.billStatus("SUCCESS", 1, "BS999", "OP1");
        String recharge = OurDialect.recharge("SUCCESS", "BS999", "OP1");

        assertThatThrownBy(() -> signed.statusAnswer(AopayFixtures.seed000(), answer(200, bill)))
                .hasMessageContaining("BS999");
        assertThatThrownBy(() -> signed.statusAnswer(AopayFixtures.seed001(), answer(200, recharge)))
                .hasMessageContaining("BS999");
    }

    @Test
    void notFoundIsFailedTheJanitorAsksLongAfterAnyRequestCouldArrive() {
        ConnectorResult result = signed.statusAnswer(AopayFixtures.seed001(),
                answer(200, "{\"status\":false,\"response_code\":17,\"message\":\"Transaction not found\"}"));

        assertThat(result).isEqualTo(new ConnectorResult(Outcome.FAILED, null, "17", "Transaction not found", false));
    }

    // ---- interoperability: answers exactly as our own AOPay dialect (AopayController, AopayCodes) renders them

    @Test
    void ourBillPaymentAnswersInEachState() {
        PaymentInstruction seed000 = AopayFixtures.seed000();

        assertThat(signed.payAnswer(seed000, answer(200, OurDialect.payment(true, 1, "SBX7A11", "is successful."))))
                .isEqualTo(new ConnectorResult(Outcome.SUCCESS, "SBX7A11", "1",
                        "You Bill Payment for Airtel Postpaid of Amount 100 is successful.", false));
        assertThat(signed.payAnswer(seed000, answer(200, OurDialect.payment(true, 2, "", "is pending."))).outcome())
                .isEqualTo(Outcome.PENDING);
        assertThat(signed.payAnswer(seed000, answer(200, OurDialect.payment(false, 3, "",
                "failed: The operator declined the payment. The amount is refunded."))))
                .isEqualTo(new ConnectorResult(Outcome.FAILED, null, "3", "You Bill Payment for Airtel Postpaid of Amount 100 "
                        + "failed: The operator declined the payment. The amount is refunded.", false));
    }

    @Test
    void ourRechargeAnswersInEachState() {
        PaymentInstruction seed001 = AopayFixtures.seed001();

        assertThat(signed.payAnswer(seed001, answer(200, OurDialect.recharge("SUCCESS", "BS42", "SBX8A42"))))
                .isEqualTo(new ConnectorResult(Outcome.SUCCESS, "SBX8A42", "SUCCESS",
                        "Your payment for Airtel Prepaid of Rs 10 is successful", false));
        assertThat(signed.payAnswer(seed001, answer(200, OurDialect.recharge("PENDING", "BS42", ""))).outcome())
                .isEqualTo(Outcome.PENDING);
        assertThat(signed.statusAnswer(seed001, answer(200, OurDialect.recharge("FAILED", "BS42", ""))))
                .isEqualTo(new ConnectorResult(Outcome.FAILED, null, "FAILED",
                        "Your payment for Airtel Prepaid of Rs 10 failed | Transaction failed", false));
        assertThat(signed.statusAnswer(seed001, answer(200, OurDialect.recharge("REFUNDED", "BS42", ""))).outcome())
                .isEqualTo(Outcome.FAILED);
    }

    @Test
    void ourBillStatusAnswersInEachState() {
        PaymentInstruction seed000 = AopayFixtures.seed000();

        assertThat(signed.statusAnswer(seed000, answer(200, OurDialect.billStatus("SUCCESS", 1, "20018575947", "SBX7A11"))))
                .isEqualTo(new ConnectorResult(Outcome.SUCCESS, "SBX7A11", "SUCCESS", "Transaction success", false));
        assertThat(signed.statusAnswer(seed000, answer(200, OurDialect.billStatus("PENDING", 2, "20018575947", ""))).outcome())
                .isEqualTo(Outcome.PENDING);
        assertThat(signed.statusAnswer(seed000, answer(200, OurDialect.billStatus("FAILED", 3, "20018575947", ""))).outcome())
                .isEqualTo(Outcome.FAILED);
        assertThat(signed.statusAnswer(seed000, answer(200, OurDialect.billStatus("REFUNDED", 4, "20018575947", ""))).outcome())
                .isEqualTo(Outcome.FAILED);
    }

    @Test
    void ourErrorEnvelopes() {
        ConnectorResult busy = signed.payAnswer(AopayFixtures.seed000(), answer(200,
                "{\"status\":false,\"response_code\":14,\"message\":\"A request with this reference is in progress\"}"));
        ConnectorResult suspended = signed.payAnswer(AopayFixtures.seed000(), answer(403,
                "{\"status\":false,\"response_code\":23,\"message\":\"The partner is suspended\"}"));
        ConnectorResult invalid = signed.payAnswer(AopayFixtures.seed000(), answer(400,
                "{\"status\":false,\"response_code\":10,\"message\":\"amount must be ...\",\"errors\":{\"amount\":\"invalid\"}}"));

        assertThat(busy.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(suspended.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(suspended.tryElsewhere()).isTrue();
        assertThat(invalid.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(invalid.tryElsewhere()).isFalse();
    }

    @Test
    void ourFetchedBill() {
        BillResult result = signed.fetchAnswer(query, answer(200, OurDialect.FETCHED));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.upstreamCode()).isEqualTo("1");
        assertThat(result.bill()).isEqualTo(new Bill(82_000, "SALMAN", null, null, LocalDate.of(1990, 1, 1),
                LocalDate.of(2021, 1, 6), false, AopayFixtures.SEED_000_BILL_FETCH));
    }

    @Test
    void ourBalance() {
        long balance = signed.balanceAnswer(answer(200,
                "{\"status\":true,\"response_code\":1,\"balance\":\"99900.25\",\"message\":\"Balance fetched\"}"));

        assertThat(balance).isEqualTo(9_990_025);
    }

    // ---- fetch answers

    @Test
    void theDocumentedShapeWithoutACode() {
        String documented = OurDialect.FETCHED.replace("\"response_code\":1,", "").replace("\"amount\":\"820.00\"", "\"amount\":820.5");

        BillResult result = signed.fetchAnswer(query, answer(200, documented));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.bill().amountMinor()).isEqualTo(82_050);
    }

    @Test
    void aFetchedBillIsPaidWithItsBillFetch() {
        Bill bill = signed.fetchAnswer(query, answer(200, OurDialect.FETCHED)).bill();
        PaymentInstruction paying = new PaymentInstruction(7, 11, "20018575947", AopayFixtures.airtelPostpaid(), "11",
                "102277100", Map.of("geocode", "27.2232,78.26535"), 10_000, Operator.Channel.INSTANT, null, bill, NOW);

        assertThat(signed.pay(paying, NOW).bodyText()).isEqualTo(AopayFixtures.SEED_000_COMPACT);
    }

    @Test
    void aBillFetchedThroughAnotherConnectorIsPaidWithoutItsContext() {
        Bill elsewhere = new Bill(10_000, "SALMAN", "B1", null, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31), false,
                "{\"billDetail\":\"opaque\"}");
        Bill notJson = new Bill(10_000, "SALMAN", "B1", null, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31), false,
                "ctx-123");

        for (Bill bill : new Bill[] {elsewhere, notJson}) {
            PaymentInstruction paying = new PaymentInstruction(7, 11, "BS11", AopayFixtures.airtelPostpaid(), "11",
                    "102277100", Map.of(), 10_000, Operator.Channel.INSTANT, null, bill, NOW);

            assertThat(signed.pay(paying, NOW).bodyText()).doesNotContain("bill_fetch").endsWith("\"mode\":\"online\"}");
        }
    }

    @Test
    void refusals() {
        BillResult noBill = signed.fetchAnswer(query, answer(200, "{\"status\":false,\"response_code\":16,\"message\":\"No bill due\"}"));
        BillResult down = signed.fetchAnswer(query, answer(200, "{\"status\":false,\"response_code\":30,\"message\":\"Biller down\"}"));
        BillResult uncoded = signed.fetchAnswer(query, answer(200, "{\"status\":false,\"message\":\"Invalid canumber\"}"));
        BillResult notPayable = signed.fetchAnswer(query, answer(200,
                OurDialect.FETCHED.replace("\"acceptPayment\":true", "\"acceptPayment\":false")));

        assertThat(noBill).isEqualTo(new BillResult(Outcome.FAILED, null, "16", "No bill due", false));
        assertThat(down).isEqualTo(new BillResult(Outcome.FAILED, null, "30", "Biller down", true));
        assertThat(uncoded).isEqualTo(new BillResult(Outcome.FAILED, null, null, "Invalid canumber", false));
        assertThat(notPayable.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(notPayable.bill()).isNull();
    }

    @Test
    void aBillWithAnInexactAmountOrNoDueDateCannotBeRead() {
        String inexact = OurDialect.FETCHED.replace("\"amount\":\"820.00\"", "\"amount\":\"820.005\"");
        String undated = OurDialect.FETCHED.replace("\"duedate\":\"2021-01-06\",", "").replace("\"dueDate\":\"2021-01-06\",", "");

        assertThatThrownBy(() -> signed.fetchAnswer(query, answer(200, inexact))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signed.fetchAnswer(query, answer(200, undated))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- balance

    @Test
    void aRefusedBalanceEnquiryHasNoBalance() {
        assertThatThrownBy(() -> signed.balanceAnswer(answer(401,
                "{\"status\":false,\"response_code\":21,\"message\":\"Invalid RegistrationID\"}")))
                .hasMessageContaining("Invalid RegistrationID");
    }

    // ---- callbacks

    private CallbackRequest request(Map<String, String> headers, String text) {
        return new CallbackRequest(headers, "", text.getBytes(StandardCharsets.UTF_8));
    }

    private String signature(String text) {
        return Hmac.sha256Base64(SIGNING_KEY, text);
    }

    @Test
    void anAuthenticCallbackNamesTheAttemptAndItsOutcome() {
        Optional<CallbackNotice> notice = signed.callback(request(Map.of("x-aopay-signature", signature(callback)), callback));

        assertThat(notice).contains(CallbackNotice.signed("BS77",
                new ConnectorResult(Outcome.SUCCESS, "OP77", "SUCCESS", "Transaction success", false)));
    }

    @Test
    void aCallbackThatIsNotSignedWithOurKeyIsRefused() {
        String other = Hmac.sha256Base64("another-key", callback);

        assertThat(signed.callback(request(Map.of("X-AOPay-Signature", other), callback))).isEmpty();
        assertThat(signed.callback(request(Map.of("X-AOPay-Signature", signature(callback)), callback.replace("BS77", "BS78")))).isEmpty();
        assertThat(signed.callback(request(Map.of(), callback))).isEmpty();
        assertThat(signed.callback(request(Map.of("X-AOPay-Signature", "not base64!"), callback))).isEmpty();
    }

    @Test
    void withoutASigningKeyEveryCallbackIsRefused() {
        assertThat(unsigned.callback(request(Map.of("X-AOPay-Signature", signature(callback)), callback))).isEmpty();
    }

    @Test
    void anAuthenticCallbackThatCannotBeReadIsABadRequest() {
        String garbled = "{\"status\":";
        String anonymous = "{\"response_code\":1,\"status\":true,\"data\":{\"status\":\"SUCCESS\"}}";

        assertThatThrownBy(() -> signed.callback(request(Map.of("X-AOPay-Signature", signature(garbled)), garbled)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signed.callback(request(Map.of("X-AOPay-Signature", signature(anonymous)), anonymous)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refid");
    }
}
