package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.ConsoleSession;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Where a payment's money went, in a real browser: a real sandbox payment's page lists every transfer of its split
 * (code, debit account, credit account, amount), and the Margins page (any identity, READ_ONLY too) shows the same
 * figures per partner, operator and upstream for a period, with totals and the same report as CSV. The expected
 * figures follow the sandbox catalog's terms: Airtel Prepaid pays 2.50% commission (rounded down to the paisa),
 * TDS is 2% of it rounded half up, no fee; the sandbox upstream is owed the amount.
 */
class MarginsPageTest extends ConsoleBrowserTest {

    @AfterEach
    void logOut() {
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
        browser.driver().manage().deleteAllCookies();
    }

    private static String pay(NativeClient client, long amountMinor) {
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":%d,"currency":"INR"}"""
                .formatted(amountMinor), "mg-" + UUID.randomUUID());
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        return paid.text("id");
    }

    private static List<String> rows(ConsoleBrowser browser, String table) {
        return browser.findAll(By.cssSelector("#" + table + " tbody tr")).stream().map(WebElement::getText).toList();
    }

    @Test
    void aPaymentsPageShowsWhereEveryPaisaWent() {
        NativeClient client = newPartner(1_000_000);
        String id = pay(client, 19_900);   // Rs 199.00: commission 4.975 -> 4.97, TDS 2% of 4.97 = 0.0994 -> 0.10

        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/payments/" + id);
        assertThat(browser.find(By.id("debit")).getText()).isEqualTo("199.00");
        assertThat(browser.find(By.id("ccf")).getText()).isEqualTo("0.00");
        assertThat(browser.find(By.id("fee")).getText()).isEqualTo("0.00");
        assertThat(browser.find(By.id("commission")).getText()).isEqualTo("4.97");
        assertThat(browser.find(By.id("tds")).getText()).isEqualTo("0.10");
        List<String> money = rows(browser, "money");
        assertThat(money).as(String.join("\n", money)).hasSize(5);
        assertThat(money.get(0)).contains("PENDING PAYMENT WALLET SETTLEMENT 199.00");
        assertThat(money.get(1)).contains("POST_PENDING PAYMENT WALLET SETTLEMENT 199.00");
        assertThat(money.get(2)).contains("POSTED COMMISSION COMMISSION WALLET 4.97");
        assertThat(money.get(3)).contains("POSTED TDS WALLET TDS_PAYABLE 0.10");
        assertThat(money.get(4)).contains("POSTED UPSTREAM SETTLEMENT UPSTREAM sandbox 199.00");
        // the wallet's own view: hold, posted, commission in, TDS out; 10,000.00 - 199.00 + 4.97 - 0.10
        List<String> wallet = rows(browser, "transfers");
        assertThat(wallet).hasSize(4);
        assertThat(wallet.get(3)).contains("TDS").contains("DEBIT").contains("0.10").contains("9805.97").contains("9805.87");
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 19_900 + 497 - 10);

        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();
    }

    @Test
    void theMarginsPageShowsAPeriodsFiguresPerPartnerOperatorAndUpstreamWithTotalsAndCsv() {
        NativeClient client = newPartner(1_000_000);
        pay(client, 19_900);  // commission 4.97, TDS 0.10
        pay(client, 1_000);   // Rs 10.00: commission 0.25, TDS 2% = 0.005 -> 0.01 (half up)

        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/reports/margins?by=partner");
        assertThat(browser.find(By.cssSelector("nav a.active")).getText()).isEqualTo("Margins");
        WebElement row = browser.find(By.cssSelector("#margins tbody tr[data-key='" + client.partnerId + "']"));
        // partner, currency, payments, refunded, owed upstream, fee, GST, CCF, upstream commission, upstream fee,
        // revenue, commission, TDS, margin (= revenue - commission)
        assertThat(row.getText()).isEqualTo(client.partnerId
                + " INR 2 0 209.00 0.00 0.00 0.00 0.00 0.00 0.00 5.22 0.11 -5.22");
        assertThat(browser.findAll(By.cssSelector("#margins tfoot tr[data-currency=INR]"))).hasSize(1);
        assertThat(browser.find(By.cssSelector("#margins tfoot tr[data-currency=INR]")).getText()).startsWith("Total INR");

        String csvLink = browser.find(By.id("margins-csv")).getAttribute("href");
        ConsoleSession viewer = new ConsoleSession(port);
        assertThat(viewer.logIn(VIEWER, VIEWER_TOKEN).statusCode()).isEqualTo(302);
        HttpResponse<String> csv = viewer.get(csvLink.substring(csvLink.indexOf("/console/")));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("partner,currency,payments,reversals,upstream,fee,ccf,upstream_commission,"
                + "upstream_fee,revenue,commission,tds,gst,margin");
        assertThat(lines).contains(client.partnerId + ",INR,2,0,209.00,0.00,0.00,0.00,0.00,0.00,5.22,0.11,0.00,-5.22");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("TOTAL,INR,"));

        // by upstream, chosen on the form: the sandbox connector's line has these payments among others
        new Select(browser.find(By.id("by"))).selectByVisibleText("Upstream");
        browser.submit(browser.find(By.id("margins-button")));
        assertThat(browser.find(By.cssSelector("#margins thead th")).getText()).isEqualTo("Upstream");
        WebElement sandbox = browser.find(By.cssSelector("#margins tbody tr[data-key=sandbox]"));
        assertThat(Long.parseLong(sandbox.findElements(By.tagName("td")).get(2).getText())).isGreaterThanOrEqualTo(2);

        browser.open("/console/reports/margins?by=operator");
        assertThat(browser.findAll(By.cssSelector("#margins tbody tr[data-key=airtel-prepaid]"))).hasSize(1);
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);

        // a period in 2020: nothing of this partner's
        browser.open("/console/reports/margins?by=partner&from=2020-01-01&to=2020-01-31");
        assertThat(browser.findAll(By.cssSelector("#margins tbody tr[data-key='" + client.partnerId + "']"))).isEmpty();
    }

    @Test
    void aBadPeriodIsShownNextToItsFieldAndNoSessionSeesNothing() {
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/reports/margins?from=2026-02-01&to=2026-01-01");
        assertThat(browser.find(By.id("error-to")).getText()).isEqualTo("must not be before from");
        assertThat(browser.findAll(By.id("margins"))).isEmpty();
        browser.open("/console/reports/margins?from=yesterday&by=month");
        assertThat(browser.find(By.id("error-from")).getText()).isEqualTo("must be a day, YYYY-MM-DD");
        assertThat(browser.find(By.id("error-by")).getText()).isEqualTo("must be one of operator, connector, partner");
        // a day LocalDate reads but no report can cover (beyond the year 9999) is named too, never an error page
        browser.open("/console/reports/margins?from=2026-01-01&to=%2B999999999-12-31");
        assertThat(browser.find(By.id("error-to")).getText()).isEqualTo("must be a day of the years 1 to 9999");
        assertThat(browser.findAll(By.id("margins"))).isEmpty();
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();

        ConsoleSession viewer = new ConsoleSession(port);
        assertThat(viewer.logIn(VIEWER, VIEWER_TOKEN).statusCode()).isEqualTo(302);
        assertThat(viewer.get("/console/reports/margins.csv?from=2026-02-01&to=2026-01-01").statusCode())
                .as("a bad period downloads nothing").isEqualTo(400);
        assertThat(viewer.get("/console/reports/margins.csv?from=%2B999999999-12-31").statusCode())
                .as("nor a day beyond 9999").isEqualTo(400);
        assertThat(new ConsoleSession(port).get("/console/reports/margins").statusCode()).as("no session").isEqualTo(302);
    }
}
