package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.ConsoleSession;
import billswitch.support.NativeClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The console's Exports page: a filter's payments and a wallet's statement as CSV, for any identity. */
class ExportsPageTest extends ConsoleBrowserTest {

    @Test
    void aViewerExportsAPartnersPaymentsAndStatement() {
        NativeClient client = newPartner(1_000_000);
        List<String> references = List.of("exp-" + UUID.randomUUID(), "exp-" + UUID.randomUUID());
        for (String reference : references) {
            assertThat(client.post("/v1/recharges", """
                    {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""",
                    reference).status()).isEqualTo(200);
        }
        ConsoleSession viewer = new ConsoleSession(port);
        assertThat(viewer.logIn(VIEWER, VIEWER_TOKEN).statusCode()).isEqualTo(302);

        HttpResponse<String> payments = viewer.get("/console/exports/payments.csv?partner=" + client.partnerId);
        assertThat(payments.statusCode()).isEqualTo(200);
        assertThat(payments.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<String> lines = payments.body().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains(references.get(0)).contains(client.partnerId);
        assertThat(lines.get(2)).contains(references.get(1));

        HttpResponse<String> one = viewer.get("/console/exports/payments.csv?reference=" + references.get(1));
        assertThat(one.body().lines().toList()).hasSize(2).last().asString().contains(references.get(1));

        HttpResponse<String> statement = viewer.get("/console/exports/statement.csv?partner=" + client.partnerId
                + "&currency=INR");
        assertThat(statement.statusCode()).isEqualTo(200);
        assertThat(statement.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("statement-" + client.partnerId + "-INR.csv");
        // the top-up, then each payment's hold and its settlement
        assertThat(statement.body().lines().skip(1).toList()).hasSizeGreaterThanOrEqualTo(3)
                .anySatisfy(line -> assertThat(line).contains("TOPUP"));
    }

    @Test
    void aBadFilterIsShownNextToItsFieldAndNothingIsExported() {
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/exports");
        browser.find(By.id("id")).sendKeys("12ab");
        browser.submit(browser.find(By.id("export-payments-button")));
        assertThat(browser.find(By.id("error-id")).getText()).isEqualTo("must be a transaction id (digits)");
        assertThat(browser.find(By.id("id")).getAttribute("aria-invalid")).isEqualTo("true");

        browser.open("/console/exports");
        browser.find(By.id("statementPartner")).sendKeys("NO-SUCH-PARTNER");
        browser.submit(browser.find(By.id("export-statement-button")));
        assertThat(browser.find(By.id("error-statementPartner")).getText()).isEqualTo("no partner NO-SUCH-PARTNER");

        HttpResponse<String> refused = new ConsoleSession(port).get("/console/exports/payments.csv");
        assertThat(refused.statusCode()).as("no session, no export").isEqualTo(302);

        browser.width(ConsoleBrowser.PHONE_WIDTH).open("/console/exports");
        try {
            assertThat(browser.fitsTheWindow()).isTrue();
        } finally {
            browser.width(ConsoleBrowser.DESKTOP_WIDTH);
            browser.driver().manage().deleteAllCookies();
        }
    }
}
