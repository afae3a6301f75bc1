package billswitch.connector.aopay;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
import billswitch.connector.http.HttpConnector;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.partner.PartnerService;
import billswitch.shared.Secret;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * This connector paying into our own server's AOPay dialect (the sandbox behind it): our requests are accepted
 * as they are signed (or unsigned from an allow-listed address), and our dialect's answers read to the outcomes
 * its state says. The upstream codes are the catalog's, as a route without its own code sends them.
 */
class AopayInteropTest extends IntegrationTest {
    private static final AtomicLong ATTEMPTS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @Autowired
    private Catalog catalog;

    /** A partner of B with an AOPay credential, and A's connector to B holding that credential. */
    private record Upstream(NativeClient wallet, HttpConnector connector) {
    }

    /** What the connector signs with: the partner's own AOPay secret, nothing, or a key that is not it. */
    private enum Signing { OWN_KEY, UNSIGNED, WRONG_KEY }

    private Upstream upstream(long inrMinor, Signing signing) {
        NativeClient wallet = newPartner(inrMinor);
        String registrationId = "AOP-" + UUID.randomUUID().toString().substring(0, 6);
        partners.addCredential(wallet.partnerId, PartnerService.AOPAY, registrationId, Secret.of("key-" + registrationId),
                List.of("127.0.0.1", "::1"), Map.of());
        AopayProtocol protocol = new AopayProtocol(registrationId, switch (signing) {
            case OWN_KEY -> "key-" + registrationId;
            case UNSIGNED -> null;
            case WRONG_KEY -> "not-our-key";
        });
        return new Upstream(wallet, new HttpConnector(new HttpConnector.Settings("aopay", URI.create("http://localhost:" + port),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 16), protocol, Clock.systemUTC()));
    }

    private static PaymentInstruction instruction(Operator operator, String account, long amountMinor, Bill bill) {
        long attempt = ATTEMPTS.incrementAndGet();
        return new PaymentInstruction(attempt, attempt, "BS" + attempt, operator, null, account, Map.of(), amountMinor,
                Operator.Channel.INSTANT, null, bill, Instant.now());
    }

    @Test
    void aBillIsFetchedPaidAndItsStatusAskedSigned() {
        Upstream b = upstream(100_000, Signing.OWN_KEY);
        Operator bses = catalog.require("bses-rajdhani");

        BillResult fetched = b.connector().fetchBill(new BillQuery("F1", bses, null, "100000011", Map.of())).join();
        assertThat(fetched.outcome()).isEqualTo(Outcome.SUCCESS);
        Bill bill = fetched.bill();
        assertThat(bill.upstreamContext()).contains("\"billdate\"");

        PaymentInstruction pay = instruction(bses, "100000011", bill.amountMinor(), bill);
        ConnectorResult paid = b.connector().pay(pay).join();
        ConnectorResult status = b.connector().status(pay).join();

        assertThat(paid.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(paid.operatorRef()).isNotBlank();
        assertThat(status).isEqualTo(new ConnectorResult(Outcome.SUCCESS, paid.operatorRef(), "SUCCESS",
                "Transaction success", false));
        long commission = bses.commissionMinor(bill.amountMinor());
        assertThat(b.wallet().availableInr()).isEqualTo(100_000 - bill.amountMinor() + commission - (commission * 2 + 50) / 100);
    }

    @Test
    void rechargesAreFoundByOurReference() {
        Upstream b = upstream(100_000, Signing.OWN_KEY);
        Operator airtel = catalog.require("airtel-prepaid");
        PaymentInstruction made = instruction(airtel, "9876543276", 1_000, null);
        PaymentInstruction declined = instruction(airtel, "9876543218", 1_000, null);
        PaymentInstruction unanswered = instruction(airtel, "9876543219", 1_000, null);

        assertThat(b.connector().pay(made).join().outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(b.connector().status(made).join().outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(b.connector().pay(declined).join().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(b.connector().status(declined).join().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(b.connector().pay(unanswered).join().outcome()).isEqualTo(Outcome.PENDING);
        assertThat(b.connector().status(unanswered).join().outcome()).isEqualTo(Outcome.PENDING);
        assertThat(b.wallet().availableInr()).isEqualTo(100_000 - 1_000 + airtel.commissionMinor(1_000) - 1 - 1_000);   // less TDS: 2% of 25 paise, half up
    }

    @Test
    void anAttemptTheUpstreamNeverGotIsFailed() {
        Upstream b = upstream(100_000, Signing.OWN_KEY);

        ConnectorResult bill = b.connector().status(instruction(catalog.require("airtel-postpaid"), "102277100", 100, null)).join();
        ConnectorResult recharge = b.connector().status(instruction(catalog.require("jio-prepaid"), "9876543276", 1_000, null)).join();

        assertThat(bill.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(bill.upstreamCode()).isEqualTo("17");
        assertThat(recharge.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(recharge.upstreamCode()).isEqualTo("17");
    }

    @Test
    void unsignedFromAnAllowListedAddressIsAccepted() {
        Upstream b = upstream(100_000, Signing.UNSIGNED);

        ConnectorResult paid = b.connector().pay(instruction(catalog.require("jio-prepaid"), "9876543276", 1_000, null)).join();

        assertThat(paid.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(b.connector().balance().join()).isEqualTo(OptionalLong.of(b.wallet().availableInr()));
    }

    @Test
    void aWrongKeyOrAShortFloatIsRefusedUntouchedAndSendsThePaymentElsewhere() {
        Upstream wrongKey = upstream(100_000, Signing.WRONG_KEY);
        Upstream poor = upstream(500, Signing.OWN_KEY);
        Operator airtel = catalog.require("airtel-prepaid");

        ConnectorResult refused = wrongKey.connector().pay(instruction(airtel, "9876543276", 1_000, null)).join();
        ConnectorResult poorFloat = poor.connector().pay(instruction(airtel, "9876543276", 1_000, null)).join();

        assertThat(refused.upstreamCode()).isEqualTo("20");
        assertThat(refused.mayFailOver()).isTrue();
        assertThat(wrongKey.wallet().availableInr()).isEqualTo(100_000);
        assertThat(poorFloat.upstreamCode()).isEqualTo("12");
        assertThat(poorFloat.mayFailOver()).isTrue();
        assertThat(poor.wallet().availableInr()).isEqualTo(500);
        assertThat(wrongKey.connector().balance().join()).isEmpty();
    }
}
