package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.NativeClient;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The overview in a real browser: its figures and chart follow the payments just made; the ledger's verification. */
class OverviewPageTest extends ConsoleBrowserTest {

    @AfterEach
    void logOut() {
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
        browser.driver().manage().deleteAllCookies();
    }

    @Test
    void theChartAndTablesCountThePaymentsJustMade() {
        NativeClient client = newPartner(1_000_000);
        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console?range=hour&partner=" + client.partnerId);
        assertThat(browser.find(By.id("total-payments")).getText()).isEqualTo("0");
        assertThat(chartData().get("total").longValue()).isZero();

        for (String account : List.of("9876543210", "9876543211", "9876543212", "9876543218", "9876543219")) {
            client.post("/v1/recharges", """
                    {"operatorId":"airtel-prepaid","accountNumber":"%s","amountMinor":1000,"currency":"INR"}"""
                    .formatted(account), "con-ov-" + UUID.randomUUID().toString().substring(0, 8));
        }
        browser.open("/console?range=hour&partner=" + client.partnerId);
        assertThat(browser.find(By.id("total-payments")).getText()).isEqualTo("5");
        List<WebElement> operators = browser.findAll(By.cssSelector("#operators tbody tr"));
        assertThat(operators).hasSize(1);
        List<String> cells = operators.get(0).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        // operator, payments, succeeded, failed (the declined 8), open (the unanswered 9), success rate of the final, p95
        assertThat(cells.subList(0, 6)).containsExactly("airtel-prepaid", "5", "3", "1", "1", "75.0 %");
        assertThat(cells.get(6)).endsWith(" ms");
        assertThat(browser.find(By.cssSelector("#upstreams tbody tr")).getText()).startsWith("sandbox 5 3 1 1");

        JsonNode data = chartData();
        assertThat(data.get("total").longValue()).isEqualTo(5);
        long success = 0;
        for (JsonNode n : data.get("statuses").get("SUCCESS")) {
            success += n.longValue();
        }
        assertThat(success).isEqualTo(3);
        assertThat(data.get("operators").get(0).get("successRate").doubleValue()).isEqualTo(75.0);
        // both charts are drawn by Chart.js from that data
        Object drawn = ((JavascriptExecutor) browser.driver()).executeScript("""
                return Chart.getChart(document.getElementById('payments-chart')).data.datasets
                    .map(function (d) { return d.data.reduce(function (a, b) { return a + b; }, 0); })
                    .reduce(function (a, b) { return a + b; }, 0)
                    + '/' + Chart.getChart(document.getElementById('operators-chart')).data.datasets[0].data[0];""");
        assertThat(drawn).isEqualTo("5/75");

        // the unanswered one waits in the backlog, under a minute old
        assertThat(browser.find(By.cssSelector("#backlog tbody")).getText()).contains("UNKNOWN 1 0 0 0 0 1");
        browser.open("/console?range=week&partner=" + client.partnerId);
        assertThat(browser.find(By.id("total-payments")).getText()).isEqualTo("5");
        browser.open("/console?range=hour");
        browser.screenshot("overview", 1500);
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();
    }

    @Test
    void anUnknownRangeIsShownNextToItsField() {
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console?range=year");
        assertThat(browser.find(By.id("error-range")).getText()).isEqualTo("must be hour, day or week");
        assertThat(browser.find(By.id("range")).getAttribute("aria-invalid")).isEqualTo("true");
    }

    @Test
    void operationsVerifyTheLedgerAndAViewerCannot() {
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console");
        assertThat(browser.findAll(By.id("verify-ledger"))).isEmpty();
        Object refused = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var headers = JSON.parse(document.body.getAttribute('hx-headers'));
                fetch('/console/ledger/verify', {method: 'POST', headers: headers, redirect: 'manual'})
                    .then(function (r) { done(r.status); }, function (e) { done(String(e)); });""");
        assertThat(refused).isEqualTo(403L);
        browser.width(ConsoleBrowser.PHONE_WIDTH).open("/console?range=day");
        assertThat(browser.fitsTheWindow()).isTrue();
        browser.driver().manage().deleteAllCookies();

        browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(ADMIN, ADMIN_TOKEN);
        browser.submit(browser.find(By.id("verify-ledger")));
        assertThat(browser.find(By.id("ledger")).getText()).containsPattern("BALANCED")
                .containsPattern("verified .* UTC: \\d+ accounts, \\d+ transfers");
    }

    private JsonNode chartData() {
        return JsonMapper.builder().build().readTree(
                browser.find(By.id("overview-data")).getAttribute("textContent"));
    }
}
