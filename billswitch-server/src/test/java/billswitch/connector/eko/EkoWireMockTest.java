package billswitch.connector.eko;

import static billswitch.connector.eko.EkoFixtures.BSES;
import static billswitch.connector.eko.EkoFixtures.DEVELOPER_KEY;
import static billswitch.connector.eko.EkoFixtures.SECRET_KEY_AT_NOW;
import static billswitch.connector.eko.EkoFixtures.SEED_REQUEST_HASH;
import static billswitch.connector.eko.EkoFixtures.payment;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.http.HttpConnector;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Eko connector over a real network: {@link EkoProtocol} inside a real {@link HttpConnector}, against a
 * WireMock Eko. Each documented answer, and each way a network fails, ends in its documented outcome; and the
 * stub receives exactly the request Eko documents.
 */
class EkoWireMockTest {
    private static final String PAY_URL = "/ekoapi/v2/billpayments/paybill?initiator_id=9962981729";
    private static final String INQUIRY_URL = "/ekoapi/v1/transactions/client_ref_id:BS1000003?initiator_id=9962981729";
    private static final Duration READ_TIMEOUT = Duration.ofMillis(700);

    private static WireMockServer eko;
    private final PaymentInstruction seedPayment = payment(BSES, "151627591", 5_000);

    @BeforeAll
    static void start() {
        eko = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        eko.start();
    }

    @AfterAll
    static void stop() {
        eko.stop();
    }

    @BeforeEach
    void reset() {
        eko.resetAll();
    }

    private static HttpConnector connector(URI baseUrl) {
        return new HttpConnector(new HttpConnector.Settings("eko", baseUrl, Duration.ofSeconds(1), READ_TIMEOUT, 8),
                EkoFixtures.protocol(EkoFixtures.clock()), EkoFixtures.clock());
    }

    private static HttpConnector connector() {
        return connector(URI.create(eko.baseUrl()));
    }

    private ConnectorResult pay() {
        return connector().pay(seedPayment).join();
    }

    private static String transaction(int txStatus) {
        return "{\"status\":0,\"response_status_id\":" + txStatus + ",\"response_type_id\":1060,\"message\":\"m\","
                + "\"data\":{\"tx_status\":\"" + txStatus + "\",\"tid\":\"2882682\",\"client_ref_id\":\"BS1000003\","
                + "\"bbpstrxnrefid\":\"EK0123456789\"}}";
    }

    @Test
    void aPaidBillAndTheExactRequestEkoDocuments() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill")).willReturn(okJson(transaction(0))));

        assertThat(pay()).isEqualTo(new ConnectorResult(Outcome.SUCCESS, "EK0123456789", "tx_status:0", "m", false));
        eko.verify(1, postRequestedFor(urlEqualTo(PAY_URL))
                .withHeader("developer_key", equalTo(DEVELOPER_KEY))
                .withHeader("secret-key", equalTo(SECRET_KEY_AT_NOW))
                .withHeader("secret-key-timestamp", equalTo("1700000000000"))
                .withHeader("request_hash", equalTo(SEED_REQUEST_HASH))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"user_code":"20810200","client_ref_id":"BS1000003","utility_acc_no":"151627591",
                         "confirmation_mobile_no":"9962981729","sender_name":"BillSwitch","operator_id":"22",
                         "source_ip":"127.0.0.1","latlong":"28.6139,77.2090","amount":"50"}""")));
    }

    @Test
    void aDecline() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill")).willReturn(okJson(transaction(1))));
        ConnectorResult r = pay();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.mayFailOver()).isFalse();
    }

    @Test
    void pendingOnTheHighCommissionChannel() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill")).willReturn(okJson(transaction(2))));
        assertThat(pay().outcome()).isEqualTo(Outcome.PENDING);
    }

    @ParameterizedTest(name = "status {0} on a payment -> {1}, mayFailOver={2}")
    @CsvSource({"347, FAILED, true", "319, FAILED, true", "346, FAILED, true", "463, FAILED, true", "97, FAILED, false",
            "208, FAILED, false", "168, UNKNOWN, false", "901, UNKNOWN, false", "902, PENDING, false",
            "903, FAILED, false", "906, FAILED, true", "907, FAILED, true", "999, UNKNOWN, false", "555, UNKNOWN, false"})
    void everyDocumentedStatus(int status, Outcome outcome, boolean mayFailOver) {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill")).willReturn(okJson(
                "{\"status\":" + status + ",\"response_status_id\":1,\"response_type_id\":-1,\"message\":\"m\"}")));
        ConnectorResult r = pay();
        assertThat(r.outcome()).isEqualTo(outcome);
        assertThat(r.mayFailOver()).isEqualTo(mayFailOver);
        assertThat(r.upstreamCode()).isEqualTo("status:" + status);
    }

    @ParameterizedTest(name = "tx_status {0} on a payment -> {1}")
    @CsvSource({"0, SUCCESS", "1, FAILED", "2, PENDING", "3, FAILED", "4, FAILED", "5, PENDING", "6, PENDING", "7, UNKNOWN"})
    void everyDocumentedTxStatus(int txStatus, Outcome outcome) {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill")).willReturn(okJson(transaction(txStatus))));
        assertThat(pay().outcome()).isEqualTo(outcome);
    }

    @Test
    void http403IsRefusedBeforeProcessingSoAnotherRouteMayPay() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill")).willReturn(aResponse().withStatus(403)));
        ConnectorResult r = pay();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.mayFailOver()).isTrue();
    }

    @Test
    void aGarbledBodyIsUnknown() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill"))
                .willReturn(aResponse().withStatus(200).withBody("<html>upstream error</html>")));
        assertThat(pay()).isEqualTo(ConnectorResult.of(Outcome.UNKNOWN, null, "UNREADABLE_ANSWER",
                "The upstream's answer could not be read"));
    }

    @ParameterizedTest(name = "HTTP {0} is UNKNOWN")
    @CsvSource({"500", "502", "503"})
    void a5xxIsUnknown(int http) {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill")).willReturn(aResponse().withStatus(http)
                .withBody("{\"status\":907,\"response_status_id\":1,\"response_type_id\":-1,\"message\":\"busy\"}")));
        ConnectorResult r = pay();
        assertThat(r.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(r.upstreamCode()).isEqualTo("HTTP_" + http);
    }

    @Test
    void aReadTimeoutIsUnknown() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill"))
                .willReturn(okJson(transaction(0)).withFixedDelay((int) READ_TIMEOUT.toMillis() * 3)));
        ConnectorResult r = pay();
        assertThat(r.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(r.upstreamCode()).isEqualTo("TIMEOUT");
    }

    @Test
    void aConnectionResetIsUnknown() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/paybill"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ConnectorResult r = pay();
        assertThat(r.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(r.upstreamCode()).isEqualTo("CONNECTION_LOST");
    }

    @Test
    void aRefusedConnectionWasNotSent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConnectorResult r = connector(URI.create("http://127.0.0.1:" + closedPort)).pay(seedPayment).join();
        assertThat(r.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(r.mayFailOver()).isTrue();
    }

    @Test
    void aPaymentEkoCannotTakeIsNotSent() {
        ConnectorResult r = connector().pay(payment(EkoFixtures.VIETTEL, "0987654321", 50_000)).join();
        assertThat(r.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(r.upstreamCode()).isEqualTo("REQUEST_NOT_BUILT");
        assertThat(eko.getAllServeEvents()).isEmpty();
    }

    @Test
    void statusByClientRefId() {
        eko.stubFor(get(urlPathEqualTo("/ekoapi/v1/transactions/client_ref_id:BS1000003")).willReturn(okJson(transaction(0))));

        assertThat(connector().status(seedPayment).join().outcome()).isEqualTo(Outcome.SUCCESS);
        eko.verify(1, getRequestedFor(urlEqualTo(INQUIRY_URL))
                .withHeader("developer_key", equalTo(DEVELOPER_KEY))
                .withHeader("secret-key", equalTo(SECRET_KEY_AT_NOW))
                .withHeader("secret-key-timestamp", equalTo("1700000000000"))
                .withHeader("request_hash", absent()));
    }

    @ParameterizedTest(name = "enquiry answered HTTP {0} status {1} -> {2}")
    @CsvSource({"200, 168, FAILED", "200, 463, UNKNOWN", "200, 347, UNKNOWN", "403, 403, UNKNOWN", "404, 463, UNKNOWN"})
    void statusNotFoundIsFailedAndARefusedEnquiryUnknown(int http, int status, Outcome outcome) {
        eko.stubFor(get(urlPathEqualTo("/ekoapi/v1/transactions/client_ref_id:BS1000003")).willReturn(aResponse()
                .withStatus(http).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":" + status + ",\"response_status_id\":1,\"response_type_id\":-1,\"message\":\"m\"}")));
        assertThat(connector().status(seedPayment).join().outcome()).isEqualTo(outcome);
    }

    @Test
    void aFetchedBillAndItsRequest() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/fetchbill")).willReturn(okJson("""
                {"status":0,"response_status_id":-1,"response_type_id":1052,"message":"Bill fetched successfully",
                 "data":{"amount":"50.00","utilitycustomername":"SEED CUSTOMER","billdate":"2024-01-01",
                 "duedate":"2024-01-31","customer_id":"151627591","billfetchresponse":"1000002"}}""")));

        BillResult r = connector().fetchBill(new BillQuery("F0123456789abcdef", BSES, "22", "151627591", Map.of())).join();
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.bill().amountMinor()).isEqualTo(5_000);
        assertThat(r.bill().upstreamContext()).isEqualTo("eko:1000002");
        eko.verify(1, postRequestedFor(urlEqualTo("/ekoapi/v2/billpayments/fetchbill?initiator_id=9962981729"))
                .withHeader("secret-key", equalTo(SECRET_KEY_AT_NOW))
                .withHeader("request_hash", absent())
                .withRequestBody(equalToJson("""
                        {"user_code":"20810200","client_ref_id":"F0123456789abcdef","utility_acc_no":"151627591",
                         "confirmation_mobile_no":"9962981729","sender_name":"BillSwitch","operator_id":"22",
                         "source_ip":"127.0.0.1","latlong":"28.6139,77.2090"}""")));
    }

    @Test
    void aFailedFetch() {
        eko.stubFor(post(urlPathEqualTo("/ekoapi/v2/billpayments/fetchbill")).willReturn(okJson(
                "{\"status\":1,\"response_status_id\":1,\"response_type_id\":1468,\"message\":\"No bill due\"}")));
        BillResult r = connector().fetchBill(new BillQuery("F0123456789abcdef", BSES, "22", "151627591", Map.of())).join();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.bill()).isNull();
    }

    @Test
    void theBalance() {
        eko.stubFor(get(urlPathEqualTo("/ekoapi/v3/user/account/balance")).willReturn(okJson(
                "{\"status\":0,\"response_status_id\":-1,\"message\":\"Success\",\"data\":{\"balance\":\"814.0\",\"currency\":\"INR\"}}")));
        assertThat(connector().balance().join()).isEqualTo(OptionalLong.of(81_400));
        eko.verify(1, getRequestedFor(urlEqualTo(
                "/ekoapi/v3/user/account/balance?initiator_id=9962981729&customer_id_type=mobile_number&customer_id=9962981729"))
                .withHeader("secret-key", equalTo(SECRET_KEY_AT_NOW)));
    }

    @Test
    void noBalanceFromARefusal() {
        eko.stubFor(get(urlPathEqualTo("/ekoapi/v3/user/account/balance")).willReturn(aResponse().withStatus(403)));
        assertThat(connector().balance().join()).isEmpty();
    }
}
