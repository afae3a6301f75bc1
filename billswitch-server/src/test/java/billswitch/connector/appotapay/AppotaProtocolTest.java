package billswitch.connector.appotapay;

import static billswitch.connector.appotapay.AppotaFixtures.API_KEY;
import static billswitch.connector.appotapay.AppotaFixtures.BSES;
import static billswitch.connector.appotapay.AppotaFixtures.NOW;
import static billswitch.connector.appotapay.AppotaFixtures.PARTNER_CODE;
import static billswitch.connector.appotapay.AppotaFixtures.SECRET;
import static billswitch.connector.appotapay.AppotaFixtures.SEED_BILL_DETAIL;
import static billswitch.connector.appotapay.AppotaFixtures.billAnswer;
import static billswitch.connector.appotapay.AppotaFixtures.billPayment;
import static billswitch.connector.appotapay.AppotaFixtures.check;
import static billswitch.connector.appotapay.AppotaFixtures.hmacHex;
import static billswitch.connector.appotapay.AppotaFixtures.protocol;
import static billswitch.connector.appotapay.AppotaFixtures.topup;
import static billswitch.connector.appotapay.AppotaFixtures.topupAnswer;
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
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AppotaPay's requests and answers against its documentation (protocols.md section 3, seed 002) and against
 * what our own AppotaPay dialect (api/dialect/appotapay) accepts and renders, with no network.
 */
class AppotaProtocolTest {
    private final AppotaProtocol protocol = protocol();

    /** Seed 002's response as printed; its signature is cut short on the page. */
    private static final String SEED_PAY_RESPONSE = """
            {
            "errorCode": 0,
            "message": "Thành công",
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
            "transaction": {
            "amount": 100000,
            "billAmount":100000,
            "appotapayTransId": "01ARXAAWEBDS",
            "time": "10-04-2020 10:10:10"
            },
            "account": {
            "balance": 12200000
            },
            "signature": "%s"
            }""";
    private static final String SEED_SIGNATURE = hmacHex(SECRET,
            "amount=100000&appotapayTransId=01ARXAAWEBDS&billAmount=100000&errorCode=0&time=10-04-2020 10:10:10");

    private static String decode(String base64url) {
        return new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
    }

    private static HttpAnswer ok(String body) {
        return HttpAnswer.of(200, body);
    }

    @Nested
    class Authentication {
        @Test
        void everyRequestCarriesTheDocumentedJwtSignedWithTheSecretKey() {
            HttpCall call = protocol.balance(NOW).orElseThrow();
            String header = call.headers().get("X-APPOTAPAY-AUTH");
            assertThat(header).startsWith("Bearer ");
            String[] parts = header.substring(7).split("\\.");
            assertThat(parts).hasSize(3);
            assertThat(decode(parts[0])).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"cty\":\"appotapay-api;v=1\"}");
            assertThat(decode(parts[1])).isEqualTo("{\"iss\":\"APPOTA-DEMO\",\"jti\":\"demo-appota-key-1712718610\","
                    + "\"api_key\":\"demo-appota-key\",\"exp\":1712718910}");
            String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.util.HexFormat.of().parseHex(hmacHex(SECRET, parts[0] + "." + parts[1])));
            assertThat(parts[2]).isEqualTo(expected);
        }

        @Test
        void theTokenExpiresFiveMinutesAfterSending() {
            String header = protocol.status(billPayment(SEED_BILL_DETAIL), NOW.plusSeconds(60)).headers().get("X-APPOTAPAY-AUTH");
            assertThat(decode(header.substring(7).split("\\.")[1])).contains("\"exp\":1712718970");
        }
    }

    @Nested
    class BillCheck {
        @Test
        void theRequestIsTheDocumentedSignedJson() {
            HttpCall call = protocol.fetchBill(check("AB123", "PD12121"), NOW);
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.pathAndQuery()).isEqualTo("/api/v1/service/bill/check");
            assertThat(call.headers()).containsOnlyKeys("X-APPOTAPAY-AUTH", "Content-Type")
                    .containsEntry("Content-Type", "application/json");
            assertThat(call.bodyText()).isEqualTo("{\"partnerRefId\":\"AB123\",\"billCode\":\"PD12121\",\"serviceCode\":\"EVNHN\","
                    + "\"signature\":\"" + hmacHex(SECRET, "billCode=PD12121&partnerRefId=AB123&serviceCode=EVNHN") + "\"}");
        }

        @Test
        void withoutARouteCodeTheCatalogsServiceCodeIsSent() {
            HttpCall call = protocol.fetchBill(new BillQuery("F1", AppotaFixtures.EVNHN, null, "PD12121", Map.of()), NOW);
            assertThat(call.bodyText()).contains("\"serviceCode\":\"EVNHN\"");
        }

        @Test
        void anOperatorNotInDongIsNotSent() {
            assertThatThrownBy(() -> protocol.fetchBill(new BillQuery("F1", BSES, "BSES", "102277100", Map.of()), NOW))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VND");
        }

        @Test
        void aBillKeepsItsBillDetailExactlyAsAnswered() {
            String answer = """
                    {"errorCode": 0, "message": "Thành công",
                     "billDetail": [ {"billNumber": "117934", "period": "4/2020", "amount": 100000, "billCreated": "",
                                      "billExpiry": "", "billType": "", "billOtherInfo": "Hóa đơn tiền điện",
                                      "isPartialPaymentAllowed": false, "extraInfo": ""} ],
                     "customerInfo": {"customerCode": "PD12121", "customerName": "NGUYỄN VĂN AN", "customerAddress": "Hà Nội"}}""";
            BillResult result = protocol.fetchAnswer(check("AB123", "PD12121"), ok(answer));

            assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(result.upstreamCode()).isEqualTo("0");
            Bill bill = result.bill();
            assertThat(bill.amountMinor()).isEqualTo(100_000);
            assertThat(bill.customerName()).isEqualTo("NGUYỄN VĂN AN");
            assertThat(bill.billNumber()).isEqualTo("117934");
            assertThat(bill.period()).isEqualTo("4/2020");
            assertThat(bill.billDate()).isNull();
            assertThat(bill.dueDate()).isNull();
            assertThat(bill.partialPaymentAllowed()).isFalse();
            assertThat(bill.upstreamContext()).isEqualTo("""
                    [ {"billNumber": "117934", "period": "4/2020", "amount": 100000, "billCreated": "",
                                      "billExpiry": "", "billType": "", "billOtherInfo": "Hóa đơn tiền điện",
                                      "isPartialPaymentAllowed": false, "extraInfo": ""} ]""");
        }

        @Test
        void severalBillsAreOneAmountDue() {
            String answer = "{\"errorCode\":0,\"message\":\"ok\",\"billDetail\":["
                    + "{\"billNumber\":\"B1\",\"period\":\"3/2024\",\"amount\":120000,\"billCreated\":\"01-03-2024 00:00:00\","
                    + "\"billExpiry\":\"25-03-2024 00:00:00\",\"isPartialPaymentAllowed\":true},"
                    + "{\"billNumber\":\"B2\",\"period\":\"4/2024\",\"amount\":\"80000\",\"billCreated\":\"01-04-2024\","
                    + "\"billExpiry\":\"2024-04-25\",\"isPartialPaymentAllowed\":false}],"
                    + "\"customerInfo\":{\"customerName\":\"TRAN THI BINH\"}}";
            Bill bill = protocol.fetchAnswer(check("F2", "PD12121"), ok(answer)).bill();
            assertThat(bill.amountMinor()).isEqualTo(200_000);
            assertThat(bill.billNumber()).isEqualTo("B1,B2");
            assertThat(bill.period()).isEqualTo("3/2024,4/2024");
            assertThat(bill.billDate()).isEqualTo(LocalDate.of(2024, 3, 1));
            assertThat(bill.dueDate()).isEqualTo(LocalDate.of(2024, 3, 25));
            assertThat(bill.partialPaymentAllowed()).as("only if every bill allows it").isFalse();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "bill not found        | 200 | {\"errorCode\":116,\"message\":\"Không tìm thấy hóa đơn\"} | FAILED  | false",
                "no debt               | 200 | {\"errorCode\":122,\"message\":\"no debt\"}                | FAILED  | false",
                "provider down         | 200 | {\"errorCode\":41,\"message\":\"down\"}                    | FAILED  | true",
                "service missing       | 200 | {\"errorCode\":112,\"message\":\"Unknown serviceCode\"}    | FAILED  | true",
                "system error          | 200 | {\"errorCode\":500,\"message\":\"oops\"}                   | UNKNOWN | false",
                "nothing due           | 200 | {\"errorCode\":0,\"message\":\"ok\",\"billDetail\":[]}     | FAILED  | false",
                "bad parameters (400)  | 400 | {\"errorCode\":1,\"message\":\"billCode is required.\"}    | FAILED  | false",
                "JWT refused (401)     | 401 | <html>Unauthorized</html>                                  | FAILED  | true",
                "address refused (403) | 403 | {\"errorCode\":92,\"message\":\"IP not allowed\"}          | FAILED  | true",
        })
        void answersWithoutABill(String what, int http, String body, Outcome outcome, boolean elsewhere) {
            BillResult result = protocol.fetchAnswer(check("F3", "PD12121"), HttpAnswer.of(http, body));
            assertThat(result.outcome()).isEqualTo(outcome);
            assertThat(result.tryElsewhere()).isEqualTo(elsewhere);
            assertThat(result.bill()).isNull();
        }

        @ParameterizedTest(name = "unreadable: {0}")
        @CsvSource(delimiter = '|', value = {
                "<html>Bad gateway</html>",
                "[]",
                "{\"message\":\"no code\"}",
                "{\"errorCode\":0,\"message\":\"no bills\"}",
                "{\"errorCode\":0,\"billDetail\":[{\"amount\":1.5}]}",
                "{\"errorCode\":0,\"billDetail\":[{\"amount\":-100}]}",
        })
        void anUnreadableAnswerThrows(String body) {
            assertThatThrownBy(() -> protocol.fetchAnswer(check("F4", "PD12121"), ok(body)))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Nested
    class BillPayment {
        @Test
        void theRequestSendsAndSignsTheChecksBillDetailAsAString() {
            HttpCall call = protocol.pay(billPayment(SEED_BILL_DETAIL), NOW);
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.pathAndQuery()).isEqualTo("/api/v1/service/bill/pay");
            assertThat(call.headers()).containsOnlyKeys("X-APPOTAPAY-AUTH", "Content-Type");
            String signature = hmacHex(SECRET, "amount=100000&billCode=PD12121&billDetail=" + SEED_BILL_DETAIL
                    + "&partnerRefId=BS1001&serviceCode=EVNHN");
            assertThat(call.bodyText()).isEqualTo("{\"partnerRefId\":\"BS1001\",\"billCode\":\"PD12121\",\"serviceCode\":\"EVNHN\","
                    + "\"amount\":100000,\"billDetail\":\"" + SEED_BILL_DETAIL.replace("\"", "\\\"") + "\","
                    + "\"signature\":\"" + signature + "\"}");
        }

        @Test
        void aPaymentWithoutACheckedAppotaPayBillIsNotSent() {
            PaymentInstruction unchecked = new PaymentInstruction(1, 2, "BS2", AppotaFixtures.EVNHN, "EVNHN", "PD12121",
                    Map.of(), 100_000, Operator.Channel.INSTANT, null, null, NOW);
            assertThatThrownBy(() -> protocol.pay(unchecked, NOW)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("billDetail");
            assertThatThrownBy(() -> protocol.pay(billPayment(null), NOW)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> protocol.pay(billPayment("{\"ekoContext\":1}"), NOW)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void theSeedsAnswerSignedIsASuccessWithAppotaPaysTransactionId() {
            ConnectorResult result = protocol.payAnswer(billPayment(SEED_BILL_DETAIL), ok(SEED_PAY_RESPONSE.formatted(SEED_SIGNATURE)));
            assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(result.operatorRef()).isEqualTo("01ARXAAWEBDS");
            assertThat(result.upstreamCode()).isEqualTo("0");
            assertThat(result.message()).contains("Thành công");
        }

        @Test
        void anAnswerWhoseSignatureDoesNotMatchIsUnknownWhateverItSays() {
            ConnectorResult asPrinted = protocol.payAnswer(billPayment(SEED_BILL_DETAIL),
                    ok(SEED_PAY_RESPONSE.formatted("b10294bae53e89919b3efd62a763bf3228e260ef1a329...")));
            assertThat(asPrinted.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(asPrinted.upstreamCode()).isEqualTo("BAD_SIGNATURE");

            String tampered = SEED_PAY_RESPONSE.formatted(SEED_SIGNATURE).replace("\"errorCode\": 0", "\"errorCode\": 33");
            assertThat(protocol.payAnswer(billPayment(SEED_BILL_DETAIL), ok(tampered)).outcome()).isEqualTo(Outcome.UNKNOWN);

            String otherKey = billAnswer(0, "1000003", "BS1001", 100_000, "10-04-2024 10:10:10", "someone-elses-secret");
            assertThat(protocol.payAnswer(billPayment(SEED_BILL_DETAIL), ok(otherKey)).upstreamCode()).isEqualTo("BAD_SIGNATURE");
        }

        @Test
        void anAnswerAboutAnotherReferenceIsUnknown() {
            String other = billAnswer(0, "1000003", "BS9999", 100_000, "10-04-2024 10:10:10", SECRET);
            ConnectorResult result = protocol.payAnswer(billPayment(SEED_BILL_DETAIL), ok(other));
            assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(result.upstreamCode()).isEqualTo("OTHER_REFERENCE");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "insufficient balance  | 200 | {\"errorCode\":12,\"message\":\"Số dư không đủ\"}       | FAILED  | true",
                "maintenance           | 200 | {\"errorCode\":40,\"message\":\"maintenance\"}          | FAILED  | true",
                "busy                  | 200 | {\"errorCode\":91,\"message\":\"busy\"}                 | FAILED  | true",
                "already paid          | 200 | {\"errorCode\":118,\"message\":\"already paid\"}        | FAILED  | false",
                "failed                | 200 | {\"errorCode\":33,\"message\":\"failed\"}               | FAILED  | false",
                "duplicate partnerRef  | 200 | {\"errorCode\":31,\"message\":\"duplicate\"}            | UNKNOWN | false",
                "processing            | 200 | {\"errorCode\":34,\"message\":\"processing\"}           | PENDING | false",
                "pending               | 200 | {\"errorCode\":\"35\",\"message\":\"pending\"}          | PENDING | false",
                "unknown               | 200 | {\"errorCode\":99,\"message\":\"?\"}                    | UNKNOWN | false",
                "undocumented          | 200 | {\"errorCode\":77,\"message\":\"?\"}                    | UNKNOWN | false",
                "bad parameters (400)  | 400 | {\"errorCode\":1,\"message\":\"amount is required.\"}   | FAILED  | false",
                "bad signature (401)   | 401 | {\"errorCode\":2,\"message\":\"signature\"}             | FAILED  | true",
                "locked (403)          | 403 | {\"errorCode\":13,\"message\":\"locked\"}               | FAILED  | true",
        })
        void unsignedAnswers(String what, int http, String body, Outcome outcome, boolean elsewhere) {
            ConnectorResult result = protocol.payAnswer(billPayment(SEED_BILL_DETAIL), HttpAnswer.of(http, body));
            assertThat(result.outcome()).isEqualTo(outcome);
            assertThat(result.tryElsewhere()).isEqualTo(elsewhere);
        }

        @ParameterizedTest(name = "unreadable: {0}")
        @CsvSource(delimiter = '|', value = {"not json at all", "{\"message\":\"no code\"}", "{\"errorCode\":\"zero\"}", "\"0\""})
        void anUnreadableAnswerThrows(String body) {
            assertThatThrownBy(() -> protocol.payAnswer(billPayment(SEED_BILL_DETAIL), ok(body)))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Nested
    class Topup {
        private static String signatureFor(String productCode) {
            return hmacHex(SECRET, "partnerRefId=BS2001&phoneNumber=0987654321&productCode=" + productCode
                    + "&telco=viettel&telcoServiceType=prepaid");
        }

        @Test
        void theRequestIsTheDocumentedSignedJson() {
            HttpCall call = protocol.pay(topup("viettel", "VTT50", 50_000), NOW);
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.pathAndQuery()).isEqualTo("/api/v2/service/topup/charging");
            assertThat(call.headers()).containsOnlyKeys("X-APPOTAPAY-AUTH", "Content-Type");
            assertThat(call.bodyText()).isEqualTo("{\"partnerRefId\":\"BS2001\",\"telco\":\"viettel\",\"telcoServiceType\":\"prepaid\","
                    + "\"productCode\":\"VTT50\",\"phoneNumber\":\"0987654321\",\"signature\":\"" + signatureFor("VTT50") + "\"}");
        }

        @ParameterizedTest(name = "route {0}, instruction {1}, {2} dong -> {3}")
        @CsvSource(nullValues = "-", value = {
                "viettel:VTT50B, VTT50, 50000,  VTT50B",
                "viettel,        VTT20, 20000,  VTT20",
                "viettel,        -,     50000,  VTT50",
                "viettel:,       -,     100000, VTT100",
                "-,              -,     500000, VTT500",
        })
        void theProductCodeComesFromTheRouteThenTheInstructionThenTheAmount(String route, String product, long amount,
                                                                            String sent) {
            HttpCall call = protocol.pay(topup(route, product, amount), NOW);
            assertThat(call.bodyText()).contains("\"telco\":\"viettel\"", "\"productCode\":\"" + sent + "\"",
                    "\"signature\":\"" + signatureFor(sent) + "\"");
        }

        @Test
        void aProductThatCannotBeNamedIsNotSent() {
            assertThatThrownBy(() -> protocol.pay(topup("viettel", null, 12_500), NOW))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("12500");
            assertThatThrownBy(() -> protocol.pay(topup("vietnamobile", null, 10_000), NOW))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("vietnamobile:<productCode>");
        }

        @Test
        void answersAreCheckedOverTheTopupFields() {
            PaymentInstruction sent = topup("viettel", "VTT50", 50_000);
            ConnectorResult ok = protocol.payAnswer(sent, ok(topupAnswer(0, "2000007", "BS2001", "VTT50", 50_000,
                    "10-04-2024 10:10:11", SECRET)));
            assertThat(ok.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(ok.operatorRef()).isEqualTo("2000007");

            String forged = topupAnswer(0, "2000007", "BS2001", "VTT50", 50_000, "10-04-2024 10:10:11", SECRET)
                    .replace("\"topupAmount\":50000", "\"topupAmount\":500000");
            assertThat(protocol.payAnswer(sent, ok(forged)).outcome()).isEqualTo(Outcome.UNKNOWN);
        }
    }

    @Nested
    class Status {
        @Test
        void theEnquiryIsAGetByTheAttemptsReference() {
            HttpCall bill = protocol.status(billPayment(SEED_BILL_DETAIL), NOW);
            assertThat(bill.method()).isEqualTo("GET");
            assertThat(bill.pathAndQuery()).isEqualTo("/api/v1/service/bill/transaction/BS1001");
            assertThat(bill.headers()).containsOnlyKeys("X-APPOTAPAY-AUTH");
            assertThat(bill.body()).isEmpty();
            assertThat(protocol.status(topup("viettel", null, 50_000), NOW).pathAndQuery())
                    .isEqualTo("/api/v1/service/topup/transaction/BS2001");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "not found             | 200 | {\"errorCode\":36,\"message\":\"Not found\"}        | FAILED",
                "not found (404)       | 404 | {\"errorCode\":36,\"message\":\"Not found\"}        | FAILED",
                "failed                | 200 | {\"errorCode\":33,\"message\":\"failed\"}           | FAILED",
                "processing            | 200 | {\"errorCode\":34,\"message\":\"processing\"}       | PENDING",
                "enquiry refused: busy | 200 | {\"errorCode\":91,\"message\":\"busy\"}             | UNKNOWN",
                "enquiry refused: 401  | 401 | {\"errorCode\":2,\"message\":\"bad token\"}         | UNKNOWN",
                "enquiry refused: 403  | 403 | {\"errorCode\":92,\"message\":\"IP\"}               | UNKNOWN",
                "enquiry refused: 1    | 400 | {\"errorCode\":1,\"message\":\"partnerRefId\"}      | UNKNOWN",
        })
        void answers(String what, int http, String body, Outcome outcome) {
            assertThat(protocol.statusAnswer(billPayment(SEED_BILL_DETAIL), HttpAnswer.of(http, body)).outcome())
                    .isEqualTo(outcome);
        }

        @Test
        void aSignedSuccess() {
            ConnectorResult result = protocol.statusAnswer(billPayment(SEED_BILL_DETAIL),
                    ok(billAnswer(0, "1000003", "BS1001", 100_000, "10-04-2024 10:10:10", SECRET)));
            assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(result.operatorRef()).isEqualTo("1000003");
        }
    }

    /** Answers exactly as our own AppotaController and AppotaCodes render them (B's side of A paying into B). */
    @Nested
    class OurOwnDialectsAnswers {
        @ParameterizedTest(name = "bill transaction errorCode {0} -> {1}")
        @CsvSource({"0, SUCCESS", "33, FAILED", "34, PENDING", "35, PENDING"})
        void billTransactions(int errorCode, Outcome outcome) {
            String body = billAnswer(errorCode, "1000003", "BS1001", 100_000, "10-04-2024 10:10:10", SECRET);
            assertThat(protocol.payAnswer(billPayment(SEED_BILL_DETAIL), ok(body)).outcome()).isEqualTo(outcome);
            assertThat(protocol.statusAnswer(billPayment(SEED_BILL_DETAIL), ok(body)).outcome()).isEqualTo(outcome);
        }

        @ParameterizedTest(name = "top-up errorCode {0} -> {1}")
        @CsvSource({"0, SUCCESS", "33, FAILED", "34, PENDING", "35, PENDING"})
        void topupTransactions(int errorCode, Outcome outcome) {
            String body = topupAnswer(errorCode, "2000007", "BS2001", "VTT50", 50_000, "10-04-2024 10:10:11", SECRET);
            assertThat(protocol.statusAnswer(topup("viettel", null, 50_000), ok(body)).outcome()).isEqualTo(outcome);
        }

        @Test
        void aTopupOrderPlacedWithoutAProductCodeIsSignedWithAnEmptyOne() {
            String body = topupAnswer(0, "2000008", "BS2001", "", 50_000, "10-04-2024 10:10:11", SECRET);
            assertThat(protocol.statusAnswer(topup("viettel", null, 50_000), ok(body)).outcome()).isEqualTo(Outcome.SUCCESS);
        }

        @ParameterizedTest(name = "HTTP {0} errorCode {1} -> {2}")
        @CsvSource({
                "200, 12,  FAILED,  true",   // INSUFFICIENT_FUNDS: our float with B is short
                "200, 31,  UNKNOWN, false",  // IDEMPOTENCY_KEY_REUSED: B already has this partnerRefId
                "200, 34,  PENDING, false",  // REQUEST_IN_PROGRESS
                "200, 40,  FAILED,  true",   // OPERATOR_DISABLED
                "200, 41,  FAILED,  true",   // UPSTREAM_UNAVAILABLE
                "200, 112, FAILED,  true",   // UNKNOWN_OPERATOR
                "200, 116, FAILED,  false",  // BILL_NOT_FETCHED
                "200, 117, FAILED,  false",  // AMOUNT_NOT_ALLOWED
                "200, 32,  FAILED,  false",  // AMOUNT_OUT_OF_RANGE
                "400, 1,   FAILED,  false",  // INVALID_REQUEST
                "401, 2,   FAILED,  true",   // INVALID_SIGNATURE
                "401, 11,  FAILED,  true",   // UNKNOWN_API_KEY
                "403, 13,  FAILED,  true",   // PARTNER_SUSPENDED
                "403, 92,  FAILED,  true",   // IP_NOT_ALLOWED
        })
        void errorEnvelopes(int http, int errorCode, Outcome outcome, boolean elsewhere) {
            String body = "{\"errorCode\":" + errorCode + ",\"message\":\"as AppotaCodes renders it\"}";
            ConnectorResult result = protocol.payAnswer(billPayment(SEED_BILL_DETAIL), HttpAnswer.of(http, body));
            assertThat(result.outcome()).isEqualTo(outcome);
            assertThat(result.tryElsewhere()).isEqualTo(elsewhere);
        }

        @Test
        void anInvalidRequestNamesItsFields() {
            String body = "{\"errorCode\":1,\"message\":\"billCode is required.\",\"errors\":{\"billCode\":\"is required\"}}";
            ConnectorResult result = protocol.payAnswer(billPayment(SEED_BILL_DETAIL), HttpAnswer.of(400, body));
            assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(result.message()).contains("billCode is required.");
        }
    }

    @Nested
    class Balance {
        @Test
        void theEnquiryAndItsAnswer() {
            HttpCall call = protocol.balance(NOW).orElseThrow();
            assertThat(call.method()).isEqualTo("GET");
            assertThat(call.pathAndQuery()).isEqualTo("/api/v1/service/accounts/balance");
            assertThat(protocol.balanceAnswer(ok("{\"errorCode\":0,\"message\":\"Thành công\",\"account\":{\"balance\":12200000}}")))
                    .isEqualTo(12_200_000L);
        }

        @ParameterizedTest(name = "HTTP {0} {1}")
        @CsvSource(delimiter = '|', value = {
                "200 | {\"errorCode\":13,\"message\":\"locked\"}",
                "401 | {\"errorCode\":2}",
                "200 | {\"errorCode\":0,\"message\":\"no account\"}",
                "200 | {\"errorCode\":0,\"account\":{\"balance\":1.5}}",
        })
        void anythingElseIsNoBalance(int http, String body) {
            assertThatThrownBy(() -> protocol.balanceAnswer(HttpAnswer.of(http, body))).isInstanceOf(RuntimeException.class);
        }
    }

    @Nested
    class Callback {
        private static CallbackRequest post(String body) {
            return new CallbackRequest(Map.of("Content-Type", "application/json"), "", body.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void aSignedStatusAnswerNamesTheAttemptAndItsOutcome() {
            Optional<CallbackNotice> topup = protocol.callback(post(topupAnswer(0, "2000007", "BS2001", "VTT50", 50_000,
                    "10-04-2024 10:10:11", SECRET)));
            assertThat(topup).hasValueSatisfying(notice -> {
                assertThat(notice.reference()).isEqualTo("BS2001");
                assertThat(notice.result().outcome()).isEqualTo(Outcome.SUCCESS);
                assertThat(notice.result().operatorRef()).isEqualTo("2000007");
            });
            Optional<CallbackNotice> bill = protocol.callback(post(billAnswer(33, "1000003", "BS1001", 100_000,
                    "10-04-2024 10:10:10", SECRET)));
            assertThat(bill).hasValueSatisfying(notice -> {
                assertThat(notice.reference()).isEqualTo("BS1001");
                assertThat(notice.result().outcome()).isEqualTo(Outcome.FAILED);
            });
        }

        @Test
        void anUnsignedOrMissignedCallbackIsNotAuthentic() {
            String signed = billAnswer(0, "1000003", "BS1001", 100_000, "10-04-2024 10:10:10", SECRET);
            assertThat(protocol.callback(post(signed.replaceAll(",\"signature\":\"[0-9a-f]+\"", "")))).isEmpty();
            assertThat(protocol.callback(post(billAnswer(0, "1000003", "BS1001", 100_000, "10-04-2024 10:10:10", "guess"))))
                    .isEmpty();
            assertThat(protocol.callback(post(signed.replace("\"billAmount\":100000", "\"billAmount\":1")))).isEmpty();
        }

        @ParameterizedTest(name = "unreadable: {0}")
        @CsvSource(delimiter = '|', value = {
                "not json",
                "[1,2]",
                "{\"message\":\"no errorCode\",\"transaction\":{\"partnerRefId\":\"BS1\"}}",
                "{\"errorCode\":0,\"transaction\":{\"appotapayTransId\":\"1\"},\"signature\":\"00\"}",
        })
        void anUnreadableCallbackIsRefusedAsSuch(String body) {
            assertThatThrownBy(() -> protocol.callback(post(body))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Type {
        private final AppotaType type = new AppotaType();

        @Test
        void theTypeAndItsCredentials() {
            assertThat(type.type()).isEqualTo("appotapay");
            assertThat(type.credentialNames()).containsExactly("partnerCode", "apiKey", "secretKey");
            assertThat(type.requiredCredentials()).containsExactly("partnerCode", "apiKey", "secretKey");
            HttpCall call = type.create(Map.of("partnerCode", PARTNER_CODE, "apiKey", API_KEY, "secretKey", SECRET))
                    .fetchBill(check("AB123", "PD12121"), NOW);
            assertThat(call.bodyText()).contains(hmacHex(SECRET, "billCode=PD12121&partnerRefId=AB123&serviceCode=EVNHN"));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "missing secretKey | partnerCode=P,apiKey=K               | secretKey",
                "blank apiKey      | partnerCode=P,apiKey= ,secretKey=S   | apiKey",
                "unknown name      | partnerCode=P,apiKey=K,secretKey=S,password=x | password",
        })
        void badCredentialsAreRefusedByName(String what, String given, String named) {
            Map<String, String> credentials = new java.util.LinkedHashMap<>();
            for (String pair : given.split(",")) {
                String[] kv = pair.split("=", -1);
                credentials.put(kv[0], kv[1]);
            }
            assertThatThrownBy(() -> type.create(credentials)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(named).hasMessageNotContaining("=S");
        }
    }
}
