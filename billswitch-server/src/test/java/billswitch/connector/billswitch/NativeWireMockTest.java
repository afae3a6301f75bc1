package billswitch.connector.billswitch;

import static billswitch.connector.billswitch.Fixtures.AIRTEL_PREPAID;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Operator;
import billswitch.connector.http.HttpConnector;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ComplaintReceipt;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.connector.spi.UpstreamComplaint;
import billswitch.shared.ErrorCode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native protocol through the real {@link HttpConnector} against a stubbed upstream BillSwitch answering as
 * its NativeController does: each answer, and each failure of the network, ends in the outcome the status map
 * and the executor document, and the stub receives exactly the documented request.
 */
class NativeWireMockTest {
    private static final String RECHARGE_BODY =
            "{\"operatorId\":\"airtel-prepaid\",\"accountNumber\":\"9876543210\",\"amountMinor\":19900,\"currency\":\"INR\"}";
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private WireMockServer upstream;
    private HttpConnector connector;
    private final PaymentInstruction recharge = Fixtures.recharge(AIRTEL_PREPAID, "9876543210", 19_900, null);

    @BeforeEach
    void start() {
        upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        upstream.start();
        connector = connectorTo(URI.create(upstream.baseUrl()));
    }

    @AfterEach
    void stop() {
        connector.retire();
        upstream.stop();
    }

    private static HttpConnector connectorTo(URI baseUrl) {
        return new HttpConnector(new HttpConnector.Settings("master-distributor", baseUrl, Duration.ofSeconds(1),
                READ_TIMEOUT, 8), Fixtures.protocol(), Fixtures.CLOCK);
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private void answerRecharges(ResponseDefinitionBuilder answer) {
        MappingBuilder recharges = post(urlEqualTo("/v1/recharges"));
        upstream.stubFor(recharges.willReturn(answer));
    }

    private ConnectorResult pay(PaymentInstruction instruction) throws Exception {
        return connector.pay(instruction).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPaidRechargeIsSuccessAndTheUpstreamReceivedExactlyTheDocumentedRequest() throws Exception {
        answerRecharges(json(200, Fixtures.transaction("BS1000001", "SUCCESS")));

        ConnectorResult result = pay(recharge);

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.operatorRef()).isEqualTo("SBX1000006A1000006");
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/recharges"))
                .withHeader("X-Api-Key", equalTo("demo-key"))
                .withHeader("X-Timestamp", equalTo("1796551200000"))
                .withHeader("X-Signature", equalTo("modtPK3ICzTclQQP3Osx6G+wXlny8k/uKd1y41PgvTw="))
                .withHeader("Idempotency-Key", equalTo("BS1000001"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalTo(RECHARGE_BODY)));
    }

    @Test
    void aDeclineIsFailedAndAPendingOrUnknownOrderIsNotSettled() throws Exception {
        answerRecharges(json(200, Fixtures.transaction("BS1000001", "FAILED")));
        ConnectorResult declined = pay(recharge);
        assertThat(declined.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(declined.mayFailOver()).isFalse();

        answerRecharges(json(202, Fixtures.transaction("BS1000001", "PENDING")));
        assertThat(pay(recharge).outcome()).isEqualTo(Outcome.PENDING);

        answerRecharges(json(202, Fixtures.transaction("BS1000001", "UNKNOWN")));
        assertThat(pay(recharge).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void everyErrorOfTheCatalogEndsAsTheStatusMapSaysAndEvery5xxButBusyUnknown() throws Exception {
        for (ErrorCode code : ErrorCode.values()) {
            answerRecharges(json(code.httpStatus(), Fixtures.errorBody(code)));

            ConnectorResult result = pay(recharge);

            ConnectorResult expected = code.httpStatus() >= 500 && code != ErrorCode.BUSY
                    ? ConnectorResult.of(Outcome.UNKNOWN, null, "HTTP_" + code.httpStatus(), "The upstream answered HTTP "
                    + code.httpStatus())
                    : NativeStatusMap.paymentRefused(code.name(), code.defaultMessage());
            assertThat(result).as(code.name()).isEqualTo(expected);
        }
    }

    @Test
    void aBusyUpstreamDidNothingSoThePaymentMayGoElsewhereButAnother503IsUnknown() throws Exception {
        answerRecharges(json(503, Fixtures.errorBody(ErrorCode.BUSY)));
        assertThat(pay(recharge).mayFailOver()).isTrue();

        answerRecharges(aResponse().withStatus(503).withBody("{\"error\":{\"code\":\"OVERLOADED\"}}"));
        assertThat(pay(recharge).outcome()).isEqualTo(Outcome.UNKNOWN);
        answerRecharges(aResponse().withStatus(503).withBody("Service Unavailable"));
        assertThat(pay(recharge).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void ourShortFloatThereSendsThePaymentElsewhere() throws Exception {
        answerRecharges(json(402, Fixtures.errorBody(ErrorCode.INSUFFICIENT_FUNDS)));

        ConnectorResult result = pay(recharge);

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.mayFailOver()).isTrue();
    }

    @Test
    void aGarbledAnswerA5xxAReadTimeoutAndAResetAreUnknown() throws Exception {
        answerRecharges(json(200, "{\"id\":\"1000006\",\"status\":"));
        assertThat(pay(recharge).outcome()).isEqualTo(Outcome.UNKNOWN);

        answerRecharges(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"));
        assertThat(pay(recharge)).isEqualTo(ConnectorResult.of(Outcome.UNKNOWN, null, "HTTP_502", "The upstream answered HTTP 502"));

        answerRecharges(json(200, Fixtures.transaction("BS1000001", "SUCCESS"))
                .withFixedDelay((int) READ_TIMEOUT.toMillis() * 3));
        assertThat(pay(recharge).upstreamCode()).isEqualTo("TIMEOUT");

        answerRecharges(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        ConnectorResult reset = pay(recharge);
        assertThat(reset.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(reset.upstreamCode()).isEqualTo("CONNECTION_LOST");
    }

    @Test
    void aRefusedConnectionIsNotSent() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpConnector nowhere = connectorTo(URI.create("http://127.0.0.1:" + closedPort));
        try {
            ConnectorResult result = nowhere.pay(recharge).get(10, TimeUnit.SECONDS);
            assertThat(result.outcome()).isEqualTo(Outcome.NOT_SENT);
            assertThat(result.mayFailOver()).isTrue();
        } finally {
            nowhere.retire();
        }
    }

    @Test
    void theStatusEnquiryFindsTheAttemptByItsReferenceAndNoRecordOfItIsFailed() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v1/transactions?reference=BS1000001"))
                .willReturn(json(200, Fixtures.transaction("BS1000001", "SUCCESS"))));

        ConnectorResult found = connector.status(recharge).get(10, TimeUnit.SECONDS);

        assertThat(found.outcome()).isEqualTo(Outcome.SUCCESS);
        upstream.verify(1, getRequestedFor(urlEqualTo("/v1/transactions?reference=BS1000001"))
                .withHeader("X-Api-Key", equalTo("demo-key"))
                .withHeader("X-Timestamp", equalTo("1796551200000"))
                .withHeader("X-Signature", equalTo("RlLx0LWwPbTyqVICVdWS/F7TI57FYItALaVGM1zmJCs="))
                .withHeader("Idempotency-Key", absent()));

        upstream.stubFor(get(urlEqualTo("/v1/transactions?reference=BS1000001"))
                .willReturn(json(404, Fixtures.errorBody(ErrorCode.TRANSACTION_NOT_FOUND))));
        assertThat(connector.status(recharge).get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.FAILED);

        upstream.stubFor(get(urlEqualTo("/v1/transactions?reference=BS1000001"))
                .willReturn(json(401, Fixtures.errorBody(ErrorCode.REPLAYED_REQUEST))));
        assertThat(connector.status(recharge).get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void aFetchedBillIsPaidNamingTheUpstreamsFetch() throws Exception {
        upstream.stubFor(post(urlEqualTo("/v1/bills/fetch")).willReturn(json(200, Fixtures.fetched("F0123456789abcdef"))));
        upstream.stubFor(post(urlEqualTo("/v1/bills/pay")).willReturn(json(200, Fixtures.transaction("BS1000001", "SUCCESS"))));

        BillResult fetched = connector.fetchBill(Fixtures.fetch("102277100")).get(10, TimeUnit.SECONDS);
        assertThat(fetched.outcome()).isEqualTo(Outcome.SUCCESS);
        Bill bill = fetched.bill();
        assertThat(bill.amountMinor()).isEqualTo(82_000);
        ConnectorResult paid = pay(Fixtures.billPayment("102277100", bill.amountMinor(), Map.of(), Operator.Channel.INSTANT,
                bill));

        assertThat(paid.outcome()).isEqualTo(Outcome.SUCCESS);
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/bills/fetch"))
                .withHeader("X-Signature", equalTo(NativeProtocolTest.readmeSignature("1796551200000", "POST",
                        "/v1/bills/fetch", "application/json", null, "{\"operatorId\":\"bses-rajdhani\",\"accountNumber\":\"102277100\","
                                + "\"reference\":\"F0123456789abcdef\"}")))
                .withRequestBody(equalTo("{\"operatorId\":\"bses-rajdhani\",\"accountNumber\":\"102277100\","
                        + "\"reference\":\"F0123456789abcdef\"}")));
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/bills/pay"))
                .withHeader("Idempotency-Key", equalTo("BS1000001"))
                .withRequestBody(equalToJson("{\"operatorId\":\"bses-rajdhani\",\"accountNumber\":\"102277100\","
                        + "\"amountMinor\":82000,\"currency\":\"INR\",\"billFetchId\":\"1000002\",\"channel\":\"INSTANT\"}")));
    }

    @Test
    void aFetchTheUpstreamFindsNoBillForIsFailed() throws Exception {
        upstream.stubFor(post(urlEqualTo("/v1/bills/fetch"))
                .willReturn(json(422, Fixtures.errorBody(ErrorCode.BILL_FETCH_FAILED))));

        assertThat(connector.fetchBill(Fixtures.fetch("102277108")).get(10, TimeUnit.SECONDS).outcome())
                .isEqualTo(Outcome.FAILED);
    }

    @Test
    void theBalanceIsOurAvailableFloatAndNothingWhenTheAnswerIsNotAWallet() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v1/wallet?currency=INR")).willReturn(json(200, Fixtures.WALLET)));
        assertThat(connector.balance().get(10, TimeUnit.SECONDS)).isEqualTo(OptionalLong.of(4_980_100));
        upstream.verify(getRequestedFor(urlEqualTo("/v1/wallet?currency=INR")).withHeader("X-Api-Key", equalTo("demo-key")));

        upstream.stubFor(get(urlEqualTo("/v1/wallet?currency=INR"))
                .willReturn(json(401, Fixtures.errorBody(ErrorCode.INVALID_SIGNATURE))));
        assertThat(connector.balance().get(10, TimeUnit.SECONDS)).isEmpty();
    }

    private ComplaintReceipt complain(UpstreamComplaint complaint) throws Exception {
        return connector.complain(complaint).get(10, TimeUnit.SECONDS);
    }

    private void answerComplaints(ResponseDefinitionBuilder answer) {
        upstream.stubFor(post(urlEqualTo("/v1/complaints")).willReturn(answer));
    }

    @Test
    void aComplaintIsPostedSignedWithOurReferenceAndEachAnswerEndsAsDocumented() throws Exception {
        UpstreamComplaint complaint = new UpstreamComplaint(5000009, "BS1000001", "NOT_CREDITED", "D11", "No credit");
        answerComplaints(json(201, """
                {"id":"7000001","transactionId":"1000006","reference":"BS1000001","type":"NOT_CREDITED","disposition":"D11",
                 "description":"No credit","status":"INITIALIZED","dueAt":"2026-12-10T10:00:00Z","resolution":null,
                 "refundMinor":null,"createdAt":"2026-12-07T10:00:00Z","updatedAt":"2026-12-07T10:00:00Z"}"""));

        ComplaintReceipt taken = complain(complaint);

        assertThat(taken).isEqualTo(ComplaintReceipt.taken("7000001", "INITIALIZED", "due 2026-12-10T10:00:00Z"));
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/complaints"))
                .withHeader("X-Api-Key", equalTo("demo-key"))
                .withHeader("X-Signature-Version", equalTo("2"))
                .withHeader("Idempotency-Key", absent())
                .withRequestBody(equalToJson("{\"reference\":\"BS1000001\",\"type\":\"NOT_CREDITED\",\"description\":\"No credit\"}")));

        // sent again after a lost answer: the open one is named, and taken
        answerComplaints(json(409, """
                {"error":{"code":"COMPLAINT_EXISTS","message":"Transaction 1000006 already has an open NOT_CREDITED complaint (7000001).","fields":{"complaintId":"7000001"}}}"""));
        assertThat(complain(complaint).upstreamComplaintId()).isEqualTo("7000001");

        answerComplaints(json(404, Fixtures.errorBody(ErrorCode.TRANSACTION_NOT_FOUND)));
        ComplaintReceipt refused = complain(complaint);
        assertThat(refused.state()).isEqualTo(ComplaintReceipt.State.REFUSED);
        assertThat(refused.message()).startsWith("TRANSACTION_NOT_FOUND: ");

        // busy, any other 5xx, a garbled answer, a slow upstream: not reached, sent again later
        answerComplaints(json(503, Fixtures.errorBody(ErrorCode.BUSY)));
        assertThat(complain(complaint).state()).isEqualTo(ComplaintReceipt.State.UNREACHED);
        answerComplaints(json(429, Fixtures.errorBody(ErrorCode.RATE_LIMITED)));
        assertThat(complain(complaint).state()).isEqualTo(ComplaintReceipt.State.UNREACHED);
        answerComplaints(aResponse().withStatus(500).withBody("oops"));
        assertThat(complain(complaint).state()).isEqualTo(ComplaintReceipt.State.UNREACHED);
        answerComplaints(json(201, "{\"id\":"));
        assertThat(complain(complaint).state()).isEqualTo(ComplaintReceipt.State.UNREACHED);
        answerComplaints(json(201, "{}").withFixedDelay((int) READ_TIMEOUT.toMillis() * 3));
        ComplaintReceipt slow = complain(complaint);
        assertThat(slow.state()).isEqualTo(ComplaintReceipt.State.UNREACHED);
        assertThat(slow.message()).startsWith("TIMEOUT");
    }

    @Test
    void aComplaintIsReadAgainByItsIdUntilTheUpstreamClosesIt() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v1/complaints/7000001")).willReturn(json(200, """
                {"id":"7000001","reference":"BS1000001","type":"NOT_CREDITED","status":"REJECTED",
                 "dueAt":"2026-12-10T10:00:00Z","resolution":"Credited at 10:02"}""")));
        assertThat(connector.complaintStatus("7000001").get(10, TimeUnit.SECONDS))
                .isEqualTo(ComplaintReceipt.taken("7000001", "REJECTED", "Credited at 10:02"));
        upstream.stubFor(get(urlEqualTo("/v1/complaints/7000002")).willReturn(json(404,
                Fixtures.errorBody(ErrorCode.COMPLAINT_NOT_FOUND))));
        assertThat(connector.complaintStatus("7000002").get(10, TimeUnit.SECONDS).state())
                .isEqualTo(ComplaintReceipt.State.REFUSED);
        // not one of its ids: never sent
        assertThat(connector.complaintStatus("../wallet").get(10, TimeUnit.SECONDS).state())
                .isEqualTo(ComplaintReceipt.State.UNREACHED);
        assertThat(upstream.getAllServeEvents()).hasSize(2);
    }
}
