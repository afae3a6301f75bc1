package billswitch.connector.eko;

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
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Eko connector paying into our own Eko dialect (api/dialect/eko) on the real server: every request it builds
 * is accepted there (authentication, request_hash required, initiator and user code, field checks) and every
 * answer the dialect gives reads as the outcome the server meant. The server's operators are the sandbox's.
 */
class EkoInteropTest extends IntegrationTest {
    private static final String INITIATOR = "9962981729";
    private static final String USER_CODE = "20810200";

    @Autowired
    private Catalog catalog;

    /** A partner of ours with an Eko credential, and a connector to us holding the same credentials. */
    private record Upstream(NativeClient partner, String developerKey, HttpConnector connector) {
    }

    private Upstream upstream(long inrMinor) {
        NativeClient partner = newPartner(inrMinor);
        String developerKey = UUID.randomUUID().toString().replace("-", "");
        String accessKey = UUID.randomUUID().toString();
        partners.addCredential(partner.partnerId, PartnerService.EKO, developerKey, Secret.of(accessKey), List.of(),
                Map.of("initiatorId", INITIATOR, "userCodes", List.of(USER_CODE), "requireRequestHash", true));
        return new Upstream(partner, developerKey, connector(Map.of("developerKey", developerKey, "accessKey", accessKey,
                "initiatorId", INITIATOR, "userCode", USER_CODE)));
    }

    private HttpConnector connector(Map<String, String> credentials) {
        return new HttpConnector(new HttpConnector.Settings("eko-to-ourselves", URI.create("http://localhost:" + port),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 16), new EkoType(Clock.systemUTC()).create(credentials),
                Clock.systemUTC());
    }

    private static String reference() {
        return "BS" + ThreadLocalRandom.current().nextLong(100_000_000L, 1_000_000_000L);
    }

    private PaymentInstruction instruction(String operatorId, String account, long amountMinor, Operator.Channel channel,
                                           Bill bill) {
        Operator operator = catalog.require(operatorId);
        return new PaymentInstruction(1, 1, reference(), operator, operator.codes().ekoOperatorId().toString(), account,
                Map.of(), amountMinor, channel, null, bill, Clock.systemUTC().instant());
    }

    private BillResult fetch(HttpConnector connector, String operatorId, String account, Map<String, String> params) {
        Operator operator = catalog.require(operatorId);
        return connector.fetchBill(new BillQuery("F" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
                operator, operator.codes().ekoOperatorId().toString(), account, params)).join();
    }

    @Test
    void fetchPayEnquireAndBalanceOfSeed003sBill() {
        Upstream eko = upstream(1_000_000);

        BillResult fetched = fetch(eko.connector(), "bses-rajdhani", "151627591", Map.of());
        assertThat(fetched.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(fetched.bill().amountMinor()).isEqualTo(5_000);
        assertThat(fetched.bill().customerName()).isEqualTo("SEED CUSTOMER");
        assertThat(fetched.bill().dueDate()).hasToString("2024-01-31");
        assertThat(fetched.bill().upstreamContext()).matches("eko:[0-9]+");

        PaymentInstruction payment = instruction("bses-rajdhani", "151627591", 5_000, Operator.Channel.INSTANT, fetched.bill());
        ConnectorResult paid = eko.connector().pay(payment).join();
        assertThat(paid.outcome()).as(paid.toString()).isEqualTo(Outcome.SUCCESS);
        assertThat(paid.operatorRef()).startsWith("SBX");

        ConnectorResult enquired = eko.connector().status(payment).join();
        assertThat(enquired.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(enquired.operatorRef()).isEqualTo(paid.operatorRef());

        long available = eko.partner().availableInr();
        assertThat(available).isLessThan(1_000_000);
        assertThat(eko.connector().balance().join()).isEqualTo(OptionalLong.of(available));
    }

    @Test
    void anOperatorsParametersAndPaiseReachTheDialect() {
        Upstream eko = upstream(1_000_000);
        BillResult fetched = fetch(eko.connector(), "mseb", "123456789012", Map.of("postalcode", "411001"));
        assertThat(fetched.outcome()).as(fetched.toString()).isEqualTo(Outcome.SUCCESS);

        Operator mseb = catalog.require("mseb");
        PaymentInstruction payment = new PaymentInstruction(1, 1, reference(), mseb, "25", "123456789012",
                Map.of("postalcode", "411001"), fetched.bill().amountMinor(), Operator.Channel.INSTANT, null,
                fetched.bill(), Clock.systemUTC().instant());
        assertThat(eko.connector().pay(payment).join().outcome()).isEqualTo(Outcome.SUCCESS);

        PaymentInstruction paise = instruction("airtel-prepaid", "9876543210", 19_950, Operator.Channel.INSTANT, null);
        assertThat(eko.connector().pay(paise).join().outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void declinedPendingAndUnknownPayments() {
        Upstream eko = upstream(1_000_000);

        PaymentInstruction declined = instruction("airtel-prepaid", "9876543218", 19_900, Operator.Channel.INSTANT, null);
        ConnectorResult decline = eko.connector().pay(declined).join();
        assertThat(decline.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(decline.mayFailOver()).isFalse();
        assertThat(eko.connector().status(declined).join().outcome()).isEqualTo(Outcome.FAILED);

        BillResult fetched = fetch(eko.connector(), "bses-rajdhani", "102277101", Map.of());
        PaymentInstruction offline = instruction("bses-rajdhani", "102277101", fetched.bill().amountMinor(),
                Operator.Channel.HIGH_COMMISSION, fetched.bill());
        assertThat(eko.connector().pay(offline).join().outcome()).isEqualTo(Outcome.PENDING);
        assertThat(eko.connector().status(offline).join().outcome()).isEqualTo(Outcome.PENDING);

        PaymentInstruction unanswered = instruction("airtel-prepaid", "9876543219", 19_900, Operator.Channel.INSTANT, null);
        assertThat(eko.connector().pay(unanswered).join().outcome()).isEqualTo(Outcome.PENDING);
    }

    @Test
    void anAttemptTheUpstreamNeverSawIsFailedOnEnquiry() {
        Upstream eko = upstream(0);
        PaymentInstruction never = instruction("airtel-prepaid", "9876543210", 19_900, Operator.Channel.INSTANT, null);
        ConnectorResult r = eko.connector().status(never).join();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.upstreamCode()).isEqualTo("status:168");
    }

    @Test
    void refusalsThatMakeNoPaymentSendItElsewhere() {
        Upstream poor = upstream(0);
        ConnectorResult insufficient = poor.connector().pay(
                instruction("airtel-prepaid", "9876543210", 19_900, Operator.Channel.INSTANT, null)).join();
        assertThat(insufficient.upstreamCode()).isEqualTo("status:347");
        assertThat(insufficient.mayFailOver()).isTrue();

        Upstream eko = upstream(1_000_000);
        HttpConnector wrongKey = connector(Map.of("developerKey", eko.developerKey(), "accessKey", UUID.randomUUID().toString(),
                "initiatorId", INITIATOR, "userCode", USER_CODE));
        PaymentInstruction payment = instruction("airtel-prepaid", "9876543210", 19_900, Operator.Channel.INSTANT, null);
        ConnectorResult refused = wrongKey.pay(payment).join();
        assertThat(refused.upstreamCode()).isEqualTo("HTTP_403");
        assertThat(refused.mayFailOver()).isTrue();
        assertThat(wrongKey.status(payment).join().outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(eko.partner().availableInr()).isEqualTo(1_000_000);
    }

    @Test
    void failedFetches() {
        Upstream eko = upstream(0);
        BillResult noBill = fetch(eko.connector(), "bses-rajdhani", "151627598", Map.of());
        assertThat(noBill.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(noBill.tryElsewhere()).isFalse();
        BillResult down = fetch(eko.connector(), "bses-rajdhani", "151627599", Map.of());
        assertThat(down.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(down.tryElsewhere()).isTrue();
    }
}
