package billswitch.connector.billswitch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
import billswitch.connector.http.CallbackNotice;
import billswitch.connector.http.CallbackRequest;
import billswitch.connector.http.HttpConnector;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.shared.Currency;
import billswitch.shared.Secret;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.webhook.WebhookSender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Interoperability: this connector against a real BillSwitch (the test server, its sandbox operators behind it),
 * as a distributor buying from a master distributor. Its auth filter accepts our signatures, its controller our
 * bodies and Idempotency-Key, its answers and error bodies read to the documented outcomes, and its webhooks are
 * authentic notices of our attempts.
 */
class NativeInteropTest extends IntegrationTest {
    private static final AtomicLong ATTEMPTS = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L * 100);

    @Autowired
    Catalog catalog;
    @Autowired
    WebhookSender webhooks;

    private String partnerId;
    private String apiKey;
    private String secret;
    private HttpConnector connector;
    private final BillSwitchType type = new BillSwitchType(Clock.systemUTC());

    /** Our account at the master distributor: a partner there with a native key and an INR float. */
    @BeforeEach
    void openAnAccountThere() {
        partnerId = "D" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        apiKey = "key-" + partnerId;
        secret = "secret-" + UUID.randomUUID();
        partners.createWithCredential(partnerId, "Distributor " + partnerId, null, List.of(), apiKey, Secret.of(secret));
        partners.topUp(partnerId, Currency.INR, 100_000, "float");
        connector = connector(Map.of("apiKey", apiKey, "secret", secret));
    }

    @AfterEach
    void retire() {
        connector.retire();
    }

    private HttpConnector connector(Map<String, String> credentials) {
        return new HttpConnector(new HttpConnector.Settings("master", URI.create("http://localhost:" + port),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 8), type.create(credentials), Clock.systemUTC());
    }

    /** A fresh attempt, as PaymentService makes them: reference BS + attempt id. */
    private static PaymentInstruction attempt(Operator operator, String account, long amountMinor, Operator.Channel channel,
                                              Bill bill) {
        long id = ATTEMPTS.incrementAndGet();
        return new PaymentInstruction(id, id, "BS" + id, operator, operator.id(), account, Map.of(), amountMinor, channel,
                null, bill, Instant.now());
    }

    private ConnectorResult pay(HttpConnector through, PaymentInstruction instruction) throws Exception {
        return through.pay(instruction).get(20, TimeUnit.SECONDS);
    }

    private NativeClient asOurselves() {
        return new NativeClient("http://localhost:" + port, partnerId, apiKey, secret);
    }

    @Test
    void aRechargeIsPaidThereAndItsStatusFoundByOurReference() throws Exception {
        PaymentInstruction recharge = attempt(catalog.require("airtel-prepaid"), "9876543210", 19_900,
                Operator.Channel.INSTANT, null);

        ConnectorResult paid = pay(connector, recharge);

        assertThat(paid.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(paid.operatorRef()).startsWith("SBX");
        ConnectorResult status = connector.status(recharge).get(20, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(paid);
        assertThat(asOurselves().get("/v1/transactions?reference=" + recharge.reference()).text("amount")).isEqualTo("199.00");
    }

    @Test
    void aDeclineIsFailedAnUnansweredPaymentUnknownAndAnAttemptNeverMadeThereFailed() throws Exception {
        Operator airtel = catalog.require("airtel-prepaid");

        ConnectorResult declined = pay(connector, attempt(airtel, "9876543218", 19_900, Operator.Channel.INSTANT, null));
        assertThat(declined.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(declined.mayFailOver()).isFalse();
        assertThat(declined.message()).startsWith("DECLINED: ");

        assertThat(pay(connector, attempt(airtel, "9876543219", 19_900, Operator.Channel.INSTANT, null)).outcome())
                .isEqualTo(Outcome.UNKNOWN);

        PaymentInstruction neverSent = attempt(airtel, "9876543210", 19_900, Operator.Channel.INSTANT, null);
        ConnectorResult notFound = connector.status(neverSent).get(20, TimeUnit.SECONDS);
        assertThat(notFound.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(notFound.upstreamCode()).isEqualTo("TRANSACTION_NOT_FOUND");
    }

    @Test
    void aBillFetchedThereIsPaidNamingItsFetchAndTheHighCommissionChannelIsPending() throws Exception {
        Operator bses = catalog.require("bses-rajdhani");
        partners.topUp(partnerId, Currency.INR, 1_000_000, "float for two bills of up to Rs 4,999");
        BillResult fetched = connector.fetchBill(new BillQuery("F" + ATTEMPTS.incrementAndGet(), bses, bses.id(),
                "102277100", Map.of())).get(20, TimeUnit.SECONDS);
        assertThat(fetched.outcome()).as(fetched.toString()).isEqualTo(Outcome.SUCCESS);
        Bill bill = fetched.bill();
        assertThat(bill.upstreamContext()).startsWith(apiKey + ":");

        PaymentInstruction payment = attempt(bses, "102277100", bill.amountMinor(), Operator.Channel.INSTANT, bill);
        ConnectorResult paid = pay(connector, payment);
        assertThat(paid.outcome()).as(paid.toString()).isEqualTo(Outcome.SUCCESS);
        assertThat(asOurselves().get("/v1/transactions?reference=" + payment.reference()).text("billFetchId"))
                .isEqualTo(bill.upstreamContext().substring(apiKey.length() + 1));

        assertThat(pay(connector, attempt(bses, "102277100", bill.amountMinor(), Operator.Channel.HIGH_COMMISSION, bill))
                .outcome()).isEqualTo(Outcome.PENDING);

        BillResult noBill = connector.fetchBill(new BillQuery("F" + ATTEMPTS.incrementAndGet(), bses, bses.id(),
                "102277108", Map.of())).get(20, TimeUnit.SECONDS);
        assertThat(noBill.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(noBill.upstreamCode()).isEqualTo("BILL_FETCH_FAILED");
    }

    @Test
    void ourShortFloatOrRefusedCredentialsSendThePaymentElsewhere() throws Exception {
        Operator airtel = catalog.require("airtel-prepaid");

        ConnectorResult tooMuch = pay(connector, attempt(airtel, "9876543210", 500_000, Operator.Channel.INSTANT, null));
        assertThat(tooMuch.upstreamCode()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(tooMuch.mayFailOver()).isTrue();

        HttpConnector wrongSecret = connector(Map.of("apiKey", apiKey, "secret", "not-the-secret"));
        try {
            ConnectorResult refused = pay(wrongSecret, attempt(airtel, "9876543210", 19_900, Operator.Channel.INSTANT, null));
            assertThat(refused.upstreamCode()).isEqualTo("INVALID_SIGNATURE");
            assertThat(refused.mayFailOver()).isTrue();
        } finally {
            wrongSecret.retire();
        }
        assertThat(connector.balance().get(20, TimeUnit.SECONDS)).isEqualTo(OptionalLong.of(100_000));
    }

    @Test
    void itsWebhookIsAnAuthenticNoticeOfOurAttempt() throws Exception {
        WireMockServer receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
        String webhookSecret = partners.configureWebhook(partnerId, receiver.baseUrl() + "/hooks").secret().reveal();
        HttpConnector listening = connector(Map.of("apiKey", apiKey, "secret", secret, "webhookSecret", webhookSecret));
        try {
            PaymentInstruction recharge = attempt(catalog.require("airtel-prepaid"), "9876543218", 19_900,
                    Operator.Channel.INSTANT, null);
            assertThat(pay(listening, recharge).outcome()).isEqualTo(Outcome.FAILED);
            while (webhooks.deliverDue() > 0) {
                // until the outbox is empty
            }

            List<LoggedRequest> delivered = receiver.findAll(postRequestedFor(urlEqualTo("/hooks")));
            assertThat(delivered).hasSize(1);
            LoggedRequest hook = delivered.getFirst();
            CallbackRequest callback = new CallbackRequest(Map.of("BillSwitch-Signature",
                    hook.getHeader("BillSwitch-Signature")), null, hook.getBody());

            CallbackNotice notice = listening.protocol().callback(callback).orElseThrow();
            assertThat(notice.reference()).isEqualTo(recharge.reference());
            assertThat(notice.result().outcome()).isEqualTo(Outcome.FAILED);
            assertThat(connector.protocol().callback(callback)).as("no webhookSecret, no authentic callback").isEmpty();
        } finally {
            listening.retire();
            receiver.stop();
        }
    }
}
