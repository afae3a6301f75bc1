package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.Currency;
import billswitch.support.ConsoleSession;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Money on the console's pages in its currency's own decimals: a VND payment is not shown as hundredths. */
class ConsoleMoneyTest extends IntegrationTest {

    @Test
    void aVndPaymentShowsWholeDongAndAnInrPaymentPaise() {
        NativeClient client = newPartner(1_000_000);
        partners.topUp(client.partnerId, Currency.VND, 1_000_000, "test-funding-vnd");
        Http vnd = client.post("/v1/recharges", """
                {"operatorId":"viettel","accountNumber":"0987654321","amountMinor":50000,"currency":"VND","productCode":"VTT50"}""",
                "money-" + UUID.randomUUID());
        assertThat(vnd.status()).as(vnd.body()).isEqualTo(200);
        Http inr = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1050,"currency":"INR"}""",
                "money-" + UUID.randomUUID());
        assertThat(inr.status()).as(inr.body()).isEqualTo(200);

        ConsoleSession viewer = new ConsoleSession(port);
        viewer.logIn("viewer", "demo-viewer");
        assertThat(viewer.get("/console/payments/" + vnd.text("id")).body()).contains("50000 VND").doesNotContain("500.00");
        assertThat(viewer.get("/console/payments/" + inr.text("id")).body()).contains("10.50 INR");
        assertThat(viewer.get("/console/payments?partner=" + client.partnerId).body())
                .contains("50000 VND").contains("10.50 INR");
    }
}
