package billswitch.connector.aopay;

import static billswitch.connector.aopay.AopayFixtures.NOW;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.http.HttpConnector;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AOPay protocol through a real {@link HttpConnector} against a WireMock AOPay: what reaches the wire, and
 * what every answer and every network failure becomes.
 */
class AopayConnectorTest {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
    private static final String PAY_BILL = "/api/AOP/BillPaymentPaybill";
    private static final String RECHARGE = "/api/AOP/V2/MobileRecharge";

    private static WireMockServer aopay;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeAll
    static void start() {
        aopay = new WireMockServer(wireMockConfig().dynamicPort());
        aopay.start();
    }

    @AfterAll
    static void stop() {
        aopay.stop();
    }

    @BeforeEach
    void reset() {
        aopay.resetAll();
    }

    private HttpConnector connector(URI baseUrl) {
        return new HttpConnector(new HttpConnector.Settings("aopay", baseUrl, Duration.ofSeconds(1), READ_TIMEOUT, 8),
                new AopayProtocol(AopayFixtures.REGISTRATION_ID, AopayFixtures.SIGNING_KEY), clock);
    }

    private HttpConnector connector() {
        return connector(URI.create(aopay.baseUrl()));
    }

    private void answer(String path, int status, String body) {
        aopay.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private ConnectorResult paySeed000() {
        return connector().pay(AopayFixtures.seed000()).join();
    }

    @Test
    void seed000IsPaidAndTheWireCarriesExactlySeed000Signed() {
        answer(PAY_BILL, 200, AopayFixtures.SEED_000_SUCCESS);

        ConnectorResult result = paySeed000();

        assertThat(result).isEqualTo(new ConnectorResult(Outcome.SUCCESS, "MockLazYafrYZ7", "1",
                "You Bill Payment for Airtel of Amount 100 is successful.", false));
        aopay.verify(1, postRequestedFor(urlEqualTo(PAY_BILL))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("X-AOPay-Signature", equalTo(AopayFixtures.SEED_000_SIGNATURE))
                .withRequestBody(equalTo(AopayFixtures.SEED_000_COMPACT))
                .withRequestBody(equalToJson(AopayFixtures.SEED_000_REQUEST)));
    }

    @Test
    void seed001sRechargeIsSentAndItsFailureIsADecline() {
        answer(RECHARGE, 200, AopayFixtures.SEED_001_FAILED);

        ConnectorResult result = connector().pay(AopayFixtures.seed001()).join();

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.tryElsewhere()).isFalse();
        aopay.verify(1, postRequestedFor(urlEqualTo(RECHARGE))
                .withHeader("X-AOPay-Signature", equalTo(AopayFixtures.SEED_001_SIGNATURE))
                .withRequestBody(equalTo(AopayFixtures.SEED_001_REQUEST)));
    }

    @Test
    void aDeclinedBillPayment() {
        answer(PAY_BILL, 200, OurDialect.payment(false, 3, "", "failed: declined. The amount is refunded."));

        assertThat(paySeed000().outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void aPendingBillPaymentIsSettledByItsStatus() {
        answer(PAY_BILL, 200, OurDialect.payment(true, 2, "", "is pending."));
        answer("/api/AOP/BillPaymentStatus", 200, OurDialect.billStatus("SUCCESS", 1, "20018575947", "OP9"));

        assertThat(paySeed000().outcome()).isEqualTo(Outcome.PENDING);
        ConnectorResult status = connector().status(AopayFixtures.seed000()).join();

        assertThat(status).isEqualTo(new ConnectorResult(Outcome.SUCCESS, "OP9", "SUCCESS", "Transaction success", false));
        aopay.verify(1, postRequestedFor(urlEqualTo("/api/AOP/BillPaymentStatus"))
                .withRequestBody(equalTo("{\"referenceid\":\"20018575947\",\"RegistrationID\":\"AOP-554\"}")));
    }

    @Test
    void aRechargesStatusIsAskedByItsReference() {
        answer("/api/AOP/V2/RechargeStatus", 200, OurDialect.recharge("REFUNDED", "BS42", ""));

        ConnectorResult status = connector().status(AopayFixtures.seed001()).join();

        assertThat(status.outcome()).isEqualTo(Outcome.FAILED);
        aopay.verify(1, postRequestedFor(urlEqualTo("/api/AOP/V2/RechargeStatus"))
                .withRequestBody(equalTo("{\"RegistrationID\":\"AOP-554\",\"ReferanceId\":\"BS42\"}")));
    }

    @Test
    void aBillIsFetched() {
        answer("/api/AOP/FetchBilPaymentDetails", 200, OurDialect.FETCHED);

        BillResult result = connector().fetchBill(new BillQuery("F1", AopayFixtures.airtelPostpaid(), "11", "102277100",
                Map.of())).join();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.bill().amountMinor()).isEqualTo(82_000);
        aopay.verify(1, postRequestedFor(urlEqualTo("/api/AOP/FetchBilPaymentDetails"))
                .withRequestBody(equalTo("{\"operator\":\"11\",\"canumber\":\"102277100\",\"mode\":\"online\",\"RegistrationID\":\"AOP-554\"}")));
    }

    @Test
    void theBalanceIsOurFloatInPaise() {
        answer("/api/AOP/Balance", 200, "{\"status\":true,\"response_code\":1,\"balance\":\"3835.00\",\"message\":\"Balance fetched\"}");

        assertThat(connector().balance().join()).isEqualTo(OptionalLong.of(383_500));
    }

    @Test
    void aRefusedBalanceEnquiryIsNoBalance() {
        answer("/api/AOP/Balance", 401, "{\"status\":false,\"response_code\":21,\"message\":\"Invalid RegistrationID\"}");

        assertThat(connector().balance().join()).isEmpty();
    }

    /** Every code with the HTTP status our dialect answers it with (README, AopayCodes). */
    static Stream<Arguments> everyDocumentedCode() {
        return Stream.of(
                Arguments.of(200, 1, Outcome.SUCCESS, false),
                Arguments.of(200, 2, Outcome.PENDING, false),
                Arguments.of(200, 3, Outcome.FAILED, false),
                Arguments.of(200, 4, Outcome.FAILED, false),
                Arguments.of(401, 5, Outcome.FAILED, true),
                Arguments.of(400, 10, Outcome.FAILED, false),
                Arguments.of(200, 11, Outcome.FAILED, true),
                Arguments.of(200, 12, Outcome.FAILED, true),
                Arguments.of(200, 13, Outcome.UNKNOWN, false),
                Arguments.of(200, 14, Outcome.PENDING, false),
                Arguments.of(200, 15, Outcome.FAILED, false),
                Arguments.of(200, 16, Outcome.FAILED, false),
                Arguments.of(200, 17, Outcome.FAILED, false),
                Arguments.of(401, 20, Outcome.FAILED, true),
                Arguments.of(401, 21, Outcome.FAILED, true),
                Arguments.of(401, 22, Outcome.FAILED, true),
                Arguments.of(403, 23, Outcome.FAILED, true),
                Arguments.of(200, 30, Outcome.FAILED, true),
                Arguments.of(503, 31, Outcome.UNKNOWN, false),
                Arguments.of(500, 99, Outcome.UNKNOWN, false),
                Arguments.of(200, 77, Outcome.UNKNOWN, false));
    }

    @ParameterizedTest(name = "HTTP {0} response_code {1} -> {2}, try elsewhere {3}")
    @MethodSource("everyDocumentedCode")
    void everyDocumentedCodeEndsInItsOutcome(int http, int code, Outcome outcome, boolean tryElsewhere) {
        answer(PAY_BILL, http, "{\"status\":" + (code == 1 || code == 2 || code == 14) + ",\"response_code\":" + code
                + ",\"message\":\"code " + code + "\"}");

        ConnectorResult result = paySeed000();

        assertThat(result.outcome()).isEqualTo(outcome);
        assertThat(result.tryElsewhere()).isEqualTo(tryElsewhere);
    }

    @Test
    void aGarbledAnswerIsUnknown() {
        answer(PAY_BILL, 200, "<html><body>Service temporarily unavailable</body></html>");

        assertThat(paySeed000()).isEqualTo(new ConnectorResult(Outcome.UNKNOWN, null, "UNREADABLE_ANSWER",
                "The upstream's answer could not be read", false));
    }

    @Test
    void a5xxIsUnknown() {
        answer(PAY_BILL, 502, "");

        ConnectorResult result = paySeed000();

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.upstreamCode()).isEqualTo("HTTP_502");
    }

    @Test
    void aReadTimeoutIsUnknown() {
        aopay.stubFor(post(urlEqualTo(PAY_BILL)).willReturn(aResponse().withStatus(200)
                .withBody(AopayFixtures.SEED_000_SUCCESS).withFixedDelay((int) READ_TIMEOUT.toMillis() * 3)));

        ConnectorResult result = paySeed000();

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.upstreamCode()).isEqualTo("TIMEOUT");
    }

    @Test
    void aConnectionResetIsUnknown() {
        aopay.stubFor(post(urlEqualTo(PAY_BILL)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        ConnectorResult result = paySeed000();

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.upstreamCode()).isEqualTo("CONNECTION_LOST");
    }

    @Test
    void aRefusedConnectionWasNotSent() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        ConnectorResult result = connector(URI.create("http://127.0.0.1:" + closed)).pay(AopayFixtures.seed000()).join();

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(result.mayFailOver()).isTrue();
    }

    @Test
    void aPaymentAopayCannotCarryIsNotSent() {
        ConnectorResult result = connector().pay(AopayFixtures.recharge(AopayFixtures.airtelPrepaid(), "518", "9876543276",
                1_050, "BS5")).join();

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(result.upstreamCode()).isEqualTo("REQUEST_NOT_BUILT");
        assertThat(aopay.getAllServeEvents()).isEmpty();
    }
}
