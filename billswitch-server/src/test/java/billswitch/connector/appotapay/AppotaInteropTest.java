package billswitch.connector.appotapay;

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
import billswitch.shared.Currency;
import billswitch.shared.Secret;
import billswitch.support.IntegrationTest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * BillSwitch paying through this connector into BillSwitch's own AppotaPay dialect (api/dialect/appotapay), over
 * real HTTP: B accepts every request A builds (JWT, signatures, billDetail sent back as checked), and B's answers
 * (signed with the partner's secret key) read to the outcomes B meant. B is the sandbox: an account or phone
 * ending in 8 is declined, in 9 unanswered.
 */
class AppotaInteropTest extends IntegrationTest {
    private static final AtomicLong ATTEMPTS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @Autowired
    Catalog catalog;

    private record Upstream(HttpConnector connector, String partnerId) {
    }

    /** A partner of B with AppotaPay credentials and this much VND, and A's connector holding them. */
    private Upstream upstream(long vnd, String secretGiven) {
        String partnerId = newPartner(0).partnerId;
        if (vnd > 0) {
            partners.topUp(partnerId, Currency.VND, vnd, "vnd-funding-" + partnerId);
        }
        String apiKey = "ak-" + UUID.randomUUID();
        String secret = "sk-" + UUID.randomUUID();
        String code = "P-" + partnerId;
        partners.addCredential(partnerId, PartnerService.APPOTAPAY, apiKey, Secret.of(secret), List.of(),
                Map.of("partnerCode", code));
        HttpConnector connector = new HttpConnector(new HttpConnector.Settings("appotapay-b",
                URI.create("http://localhost:" + port), Duration.ofSeconds(2), Duration.ofSeconds(20), 16),
                new AppotaType().create(Map.of("partnerCode", code, "apiKey", apiKey,
                        "secretKey", secretGiven == null ? secret : secretGiven)), Clock.systemUTC());
        return new Upstream(connector, partnerId);
    }

    private static PaymentInstruction instruction(Operator operator, String account, long amount, Bill bill) {
        long attempt = ATTEMPTS.incrementAndGet();
        return new PaymentInstruction(attempt, attempt, "BS" + attempt, operator, null, account, Map.of(), amount,
                Operator.Channel.INSTANT, null, bill, Clock.systemUTC().instant());
    }

    @Test
    void aBillCheckedThenPaidThenAskedAbout() {
        Upstream b = upstream(10_000_000, null);
        Operator evn = catalog.require("evn");

        BillResult checked = b.connector().fetchBill(new BillQuery("F" + ATTEMPTS.incrementAndGet(), evn, "EVN",
                "PE0400012345", Map.of())).join();
        assertThat(checked.outcome()).as(checked.message()).isEqualTo(Outcome.SUCCESS);
        Bill bill = checked.bill();
        assertThat(bill.amountMinor()).isBetween(50_000L, 1_999_000L);
        assertThat(bill.customerName()).isNotBlank();
        assertThat(bill.upstreamContext()).startsWith("[{\"billNumber\":");

        PaymentInstruction payment = instruction(evn, "PE0400012345", bill.amountMinor(), bill);
        ConnectorResult paid = b.connector().pay(payment).join();
        assertThat(paid.outcome()).as(paid.message()).isEqualTo(Outcome.SUCCESS);
        assertThat(paid.operatorRef()).isNotBlank();
        assertThat(b.connector().balance().join()).isEqualTo(OptionalLong.of(10_000_000 - bill.amountMinor()));

        ConnectorResult status = b.connector().status(payment).join();
        assertThat(status.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(status.operatorRef()).isEqualTo(paid.operatorRef());

        ConnectorResult again = b.connector().pay(payment).join();
        assertThat(again.outcome()).as("B answers a repeated attempt with its first answer").isEqualTo(Outcome.SUCCESS);
        assertThat(again.operatorRef()).isEqualTo(paid.operatorRef());
        assertThat(b.connector().balance().join()).isEqualTo(OptionalLong.of(10_000_000 - bill.amountMinor()));
    }

    @Test
    void aBillBWillNotShowAndOneItDoesNotKnow() {
        Upstream b = upstream(0, null);
        Operator evn = catalog.require("evn");
        BillResult none = b.connector().fetchBill(new BillQuery("F" + ATTEMPTS.incrementAndGet(), evn, "EVN",
                "PE0400012348", Map.of())).join();
        assertThat(none.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(none.tryElsewhere()).isFalse();

        BillResult unknownService = b.connector().fetchBill(new BillQuery("F" + ATTEMPTS.incrementAndGet(), evn, "NO_SUCH",
                "PE0400012345", Map.of())).join();
        assertThat(unknownService.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(unknownService.tryElsewhere()).as("B does not serve that service code").isTrue();
    }

    @Test
    void topupsSucceedAreDeclinedOrWait() {
        Upstream b = upstream(1_000_000, null);
        Operator viettel = catalog.require("viettel");

        PaymentInstruction ok = instruction(viettel, "0987654321", 50_000, null);
        ConnectorResult paid = b.connector().pay(ok).join();
        assertThat(paid.outcome()).as(paid.message()).isEqualTo(Outcome.SUCCESS);
        assertThat(b.connector().status(ok).join().outcome()).as("signed over productCode VTT50").isEqualTo(Outcome.SUCCESS);

        PaymentInstruction declined = instruction(viettel, "0987654328", 10_000, null);
        assertThat(b.connector().pay(declined).join().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(b.connector().status(declined).join().outcome()).isEqualTo(Outcome.FAILED);

        PaymentInstruction unanswered = instruction(viettel, "0987654329", 10_000, null);
        assertThat(b.connector().pay(unanswered).join().outcome()).isEqualTo(Outcome.PENDING);

        assertThat(b.connector().status(instruction(viettel, "0987654321", 10_000, null)).join().outcome())
                .as("never sent to B: not found").isEqualTo(Outcome.FAILED);
        assertThat(b.connector().balance().join()).isEqualTo(OptionalLong.of(1_000_000 - 50_000 - 10_000));
    }

    @Test
    void refusalsThatSendThePaymentElsewhere() {
        Upstream poor = upstream(10_000, null);
        ConnectorResult shortFloat = poor.connector().pay(instruction(catalog.require("viettel"), "0987654321", 50_000, null)).join();
        assertThat(shortFloat.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(shortFloat.upstreamCode()).isEqualTo("12");
        assertThat(shortFloat.mayFailOver()).isTrue();

        Upstream wrongKey = upstream(1_000_000, "not-the-secret");
        ConnectorResult refused = wrongKey.connector().pay(instruction(catalog.require("viettel"), "0987654321", 50_000, null)).join();
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.upstreamCode()).isEqualTo("HTTP_401");
        assertThat(refused.mayFailOver()).isTrue();
        assertThat(wrongKey.connector().status(instruction(catalog.require("viettel"), "0987654321", 50_000, null)).join()
                .outcome()).as("a refused enquiry says nothing of the payment").isEqualTo(Outcome.UNKNOWN);
    }
}
