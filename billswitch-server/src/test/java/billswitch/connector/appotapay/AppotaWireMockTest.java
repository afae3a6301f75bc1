package billswitch.connector.appotapay;

import static billswitch.connector.appotapay.AppotaFixtures.NOW;
import static billswitch.connector.appotapay.AppotaFixtures.SECRET;
import static billswitch.connector.appotapay.AppotaFixtures.SEED_BILL_DETAIL;
import static billswitch.connector.appotapay.AppotaFixtures.authorizationAtNow;
import static billswitch.connector.appotapay.AppotaFixtures.billAnswer;
import static billswitch.connector.appotapay.AppotaFixtures.billPayment;
import static billswitch.connector.appotapay.AppotaFixtures.check;
import static billswitch.connector.appotapay.AppotaFixtures.hmacHex;
import static billswitch.connector.appotapay.AppotaFixtures.protocol;
import static billswitch.connector.appotapay.AppotaFixtures.topup;
import static billswitch.connector.appotapay.AppotaFixtures.topupAnswer;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Operator;
import billswitch.connector.http.HttpConnector;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AppotaPay protocol through a real {@link HttpConnector} against a WireMock AppotaPay: the requests it
 * receives are the documented ones, and every answer and every way the network fails ends in its outcome.
 */
class AppotaWireMockTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String PAY_PATH = "/api/v1/service/bill/pay";
    private static WireMockServer appotapay;
    private static HttpConnector connector;

    @BeforeAll
    static void start() {
        appotapay = new WireMockServer(options().dynamicPort());
        appotapay.start();
        connector = connector(appotapay.port(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        connector.retire();
        appotapay.stop();
    }

    @BeforeEach
    void reset() {
        appotapay.resetAll();
    }

    private static HttpConnector connector(int port, Duration readTimeout) {
        return new HttpConnector(new HttpConnector.Settings("appotapay-test", URI.create("http://localhost:" + port),
                Duration.ofSeconds(2), readTimeout, 8), protocol(), CLOCK);
    }

    private static PaymentInstruction seedBill() {
        return billPayment(SEED_BILL_DETAIL);
    }

    private static ConnectorResult payBill() {
        return connector.pay(seedBill()).join();
    }

    private static void payAnswers(int http, String body) {
        appotapay.stubFor(post(urlEqualTo(PAY_PATH)).willReturn(aResponse().withStatus(http)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void aBillIsCheckedAsDocumented() {
        appotapay.stubFor(post(urlEqualTo("/api/v1/service/bill/check")).willReturn(okJson("{\"errorCode\":0,"
                + "\"message\":\"Thành công\",\"billDetail\":" + SEED_BILL_DETAIL + ",\"customerInfo\":{\"customerCode\":"
                + "\"PD12121\",\"customerName\":\"NGUYEN VAN AN\",\"customerAddress\":\"\"}}")));

        BillResult result = connector.fetchBill(check("AB123", "PD12121")).join();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.bill().amountMinor()).isEqualTo(100_000);
        assertThat(result.bill().upstreamContext()).isEqualTo(SEED_BILL_DETAIL);
        appotapay.verify(1, postRequestedFor(urlEqualTo("/api/v1/service/bill/check"))
                .withHeader("X-APPOTAPAY-AUTH", equalTo(authorizationAtNow()))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"partnerRefId\":\"AB123\",\"billCode\":\"PD12121\",\"serviceCode\":\"EVNHN\","
                        + "\"signature\":\"" + hmacHex(SECRET, "billCode=PD12121&partnerRefId=AB123&serviceCode=EVNHN") + "\"}")));
    }

    @Test
    void aBillIsPaidAsDocumentedAndItsSignedAnswerIsASuccess() {
        payAnswers(200, billAnswer(0, "1000003", "BS1001", 100_000, "10-04-2024 10:10:10", SECRET));

        ConnectorResult result = payBill();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.operatorRef()).isEqualTo("1000003");
        appotapay.verify(1, postRequestedFor(urlEqualTo(PAY_PATH))
                .withHeader("X-APPOTAPAY-AUTH", equalTo(authorizationAtNow()))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"partnerRefId\":\"BS1001\",\"billCode\":\"PD12121\",\"serviceCode\":\"EVNHN\","
                        + "\"amount\":100000,\"billDetail\":\"" + SEED_BILL_DETAIL.replace("\"", "\\\"") + "\",\"signature\":\""
                        + hmacHex(SECRET, "amount=100000&billCode=PD12121&billDetail=" + SEED_BILL_DETAIL
                        + "&partnerRefId=BS1001&serviceCode=EVNHN") + "\"}")));
    }

    @Test
    void aTopupIsChargedAsDocumented() {
        appotapay.stubFor(post(urlEqualTo("/api/v2/service/topup/charging")).willReturn(okJson(
                topupAnswer(0, "2000007", "BS2001", "VTT50", 50_000, "10-04-2024 10:10:11", SECRET))));

        ConnectorResult result = connector.pay(topup("viettel", null, 50_000)).join();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.operatorRef()).isEqualTo("2000007");
        appotapay.verify(1, postRequestedFor(urlEqualTo("/api/v2/service/topup/charging"))
                .withHeader("X-APPOTAPAY-AUTH", equalTo(authorizationAtNow()))
                .withRequestBody(equalToJson("{\"partnerRefId\":\"BS2001\",\"telco\":\"viettel\",\"telcoServiceType\":\"prepaid\","
                        + "\"productCode\":\"VTT50\",\"phoneNumber\":\"0987654321\",\"signature\":\"" + hmacHex(SECRET,
                        "partnerRefId=BS2001&phoneNumber=0987654321&productCode=VTT50&telco=viettel&telcoServiceType=prepaid")
                        + "\"}")));
    }

    @Test
    void aDecline() {
        payAnswers(200, "{\"errorCode\":118,\"message\":\"Hóa đơn đã được thanh toán\"}");
        ConnectorResult result = payBill();
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.mayFailOver()).isFalse();
        assertThat(result.message()).contains("Hóa đơn đã được thanh toán");
    }

    @Test
    void aPendingPaymentAndItsStatusLater() {
        payAnswers(200, billAnswer(35, "1000004", "BS1001", 100_000, "10-04-2024 10:10:10", SECRET));
        assertThat(payBill().outcome()).isEqualTo(Outcome.PENDING);

        appotapay.stubFor(get(urlEqualTo("/api/v1/service/bill/transaction/BS1001"))
                .willReturn(okJson(billAnswer(0, "1000004", "BS1001", 100_000, "10-04-2024 10:11:00", SECRET))));
        ConnectorResult later = connector.status(seedBill()).join();
        assertThat(later.outcome()).isEqualTo(Outcome.SUCCESS);
        appotapay.verify(1, getRequestedFor(urlEqualTo("/api/v1/service/bill/transaction/BS1001"))
                .withHeader("X-APPOTAPAY-AUTH", equalTo(authorizationAtNow())));
    }

    @Test
    void aTopupTheUpstreamNeverHeardOfIsFailedOnItsStatus() {
        appotapay.stubFor(get(urlEqualTo("/api/v1/service/topup/transaction/BS2001"))
                .willReturn(okJson("{\"errorCode\":36,\"message\":\"Không tìm thấy giao dịch\"}")));
        assertThat(connector.status(topup("viettel", null, 50_000)).join().outcome()).isEqualTo(Outcome.FAILED);
    }

    @ParameterizedTest(name = "errorCode {0} -> {1}, may fail over {2}")
    @CsvSource({
            "0,   SUCCESS, false", "1,   FAILED,  false", "2,   FAILED,  true",  "11,  FAILED,  true",
            "12,  FAILED,  true",  "13,  FAILED,  true",  "14,  FAILED,  true",  "23,  FAILED,  true",
            "31,  UNKNOWN, false", "32,  FAILED,  false", "33,  FAILED,  false", "34,  PENDING, false",
            "35,  PENDING, false", "36,  UNKNOWN, false", "40,  FAILED,  true",  "41,  FAILED,  true",
            "91,  FAILED,  true",  "92,  FAILED,  true",  "99,  UNKNOWN, false", "110, FAILED,  true",
            "112, FAILED,  true",  "114, FAILED,  false", "115, FAILED,  false", "116, FAILED,  false",
            "117, FAILED,  false", "118, FAILED,  false", "120, FAILED,  false", "121, FAILED,  false",
            "122, FAILED,  false", "130, FAILED,  false", "133, FAILED,  false", "500, UNKNOWN, false",
    })
    void everyDocumentedCodeOnAPayment(int errorCode, Outcome outcome, boolean mayFailOver) {
        payAnswers(200, "{\"errorCode\":" + errorCode + ",\"message\":\"m\"}");
        ConnectorResult result = payBill();
        assertThat(result.outcome()).isEqualTo(outcome);
        assertThat(result.mayFailOver()).isEqualTo(mayFailOver);
        assertThat(result.upstreamCode()).isEqualTo(Integer.toString(errorCode));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({"401", "403"})
    void refusedCredentialsGoElsewhere(int http) {
        payAnswers(http, "{\"errorCode\":2,\"message\":\"The token signature does not match.\"}");
        ConnectorResult result = payBill();
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.mayFailOver()).isTrue();
    }

    @Test
    void aGarbledAnswerIsUnknown() {
        payAnswers(200, "<html><body>502 Bad Gateway</body></html>");
        ConnectorResult result = payBill();
        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.upstreamCode()).isEqualTo("UNREADABLE_ANSWER");
    }

    @Test
    void aForgedAnswerIsUnknown() {
        payAnswers(200, billAnswer(0, "1000003", "BS1001", 100_000, "10-04-2024 10:10:10", "not-our-secret"));
        ConnectorResult result = payBill();
        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.upstreamCode()).isEqualTo("BAD_SIGNATURE");
    }

    @Test
    void a5xxIsUnknownWhateverItsBodySays() {
        payAnswers(503, "{\"errorCode\":91,\"message\":\"busy\"}");
        ConnectorResult result = payBill();
        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.upstreamCode()).isEqualTo("HTTP_503");
    }

    @Test
    void aReadTimeoutIsUnknown() {
        appotapay.stubFor(post(urlEqualTo(PAY_PATH)).willReturn(okJson("{\"errorCode\":0}").withFixedDelay(2_000)));
        HttpConnector impatient = connector(appotapay.port(), Duration.ofMillis(300));
        try {
            ConnectorResult result = impatient.pay(seedBill()).join();
            assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(result.upstreamCode()).isEqualTo("TIMEOUT");
        } finally {
            impatient.retire();
        }
    }

    @Test
    void aConnectionResetIsUnknown() {
        appotapay.stubFor(post(urlEqualTo(PAY_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ConnectorResult result = payBill();
        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.upstreamCode()).isEqualTo("CONNECTION_LOST");
    }

    @Test
    void aRefusedConnectionIsNotSent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpConnector nowhere = connector(closedPort, Duration.ofSeconds(1));
        try {
            ConnectorResult result = nowhere.pay(seedBill()).join();
            assertThat(result.outcome()).isEqualTo(Outcome.NOT_SENT);
            assertThat(result.mayFailOver()).isTrue();
        } finally {
            nowhere.retire();
        }
    }

    @Test
    void aPaymentWithoutItsCheckedBillNeverLeaves() {
        appotapay.stubFor(any(anyUrl()).willReturn(okJson("{\"errorCode\":0}")));
        PaymentInstruction unchecked = new PaymentInstruction(1, 2, "BS2", AppotaFixtures.EVNHN, "EVNHN", "PD12121",
                Map.of(), 100_000, Operator.Channel.INSTANT, null, null, NOW);
        ConnectorResult result = connector.pay(unchecked).join();
        assertThat(result.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(result.upstreamCode()).isEqualTo("REQUEST_NOT_BUILT");
        assertThat(appotapay.getAllServeEvents()).isEmpty();
    }

    @Test
    void theBalance() {
        appotapay.stubFor(get(urlEqualTo("/api/v1/service/accounts/balance"))
                .willReturn(okJson("{\"errorCode\":0,\"message\":\"Thành công\",\"account\":{\"balance\":12200000}}")));
        assertThat(connector.balance().join()).isEqualTo(OptionalLong.of(12_200_000));
        appotapay.verify(1, getRequestedFor(urlEqualTo("/api/v1/service/accounts/balance"))
                .withHeader("X-APPOTAPAY-AUTH", equalTo(authorizationAtNow())));

        appotapay.stubFor(get(urlEqualTo("/api/v1/service/accounts/balance")).willReturn(aResponse().withStatus(401)
                .withBody("{\"errorCode\":11}")));
        assertThat(connector.balance().join()).isEmpty();
    }
}
