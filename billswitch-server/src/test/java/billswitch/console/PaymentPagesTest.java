package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.payment.Janitor;
import billswitch.webhook.WebhookSender;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The console's payments in a real browser: found by reference, a payment's page (attempts, ledger transfers, audit
 * trail), settling one in review with a reason (once; above the threshold of 100.00 a second person approves), and a
 * viewer who can settle nothing, whatever they send.
 */
@TestPropertySource(properties = "billswitch.admin.approval-threshold-minor=10000")
class PaymentPagesTest extends ConsoleBrowserTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Janitor janitor;
    @Autowired
    WebhookSender sender;

    @AfterEach
    void logOut() {
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
        browser.driver().manage().deleteAllCookies();
    }

    @Test
    void aPaymentIsFoundByItsReferenceAndShowsItsAttemptsAndTransfers() {
        NativeClient client = newPartner(1_000_000);
        String reference = "con-find-" + UUID.randomUUID().toString().substring(0, 8);
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""", reference);
        assertThat(paid.status()).isEqualTo(200);
        String id = paid.text("id");

        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/payments");
        browser.find(By.id("reference")).sendKeys(reference);
        browser.submit(browser.find(By.cssSelector("#payment-search button[type=submit]")));
        assertThat(browser.findAll(By.cssSelector("#results tbody tr"))).hasSize(1);
        assertThat(browser.find(By.cssSelector("#results tbody tr")).getText()).contains(id).contains(reference)
                .contains(client.partnerId).contains("SUCCESS");

        browser.open("/console/payments?partner=" + client.partnerId + "&id=" + id);
        assertThat(browser.findAll(By.cssSelector("#results tbody tr td a"))).hasSize(1);
        browser.submit(browser.find(By.cssSelector("#results tbody tr td a")));
        assertThat(browser.path()).isEqualTo("/console/payments/" + id);
        assertThat(browser.find(By.id("reference")).getText()).isEqualTo(reference);
        assertThat(browser.find(By.id("status")).getText()).isEqualTo("SUCCESS");
        assertThat(browser.find(By.cssSelector("#attempts tbody tr")).getText()).contains("sandbox").contains("SUCCESS");
        // the hold (the wallet's available balance 10,000.00 -> 9,801.00), the hold posted, the partner's commission
        // (2.50% of 199.00: 4.97) and the TDS withheld from it (2%: 0.10)
        assertThat(browser.findAll(By.cssSelector("#transfers tbody tr"))).hasSize(4);
        assertThat(browser.findAll(By.cssSelector("#transfers tbody tr")).get(0).getText())
                .contains("PENDING").contains("PAYMENT").contains("199.00").contains("10000.00").contains("9801.00");
        assertThat(browser.findAll(By.cssSelector("#transfers tbody tr")).get(1).getText()).contains("POST_PENDING");
        assertThat(browser.findAll(By.cssSelector("#transfers tbody tr")).get(2).getText()).contains("POSTED")
                .contains("COMMISSION").contains("CREDIT").contains("4.97");
        assertThat(browser.findAll(By.cssSelector("#transfers tbody tr")).get(3).getText()).contains("POSTED")
                .contains("TDS").contains("DEBIT").contains("0.10");
        assertThat(browser.findAll(By.id("settle-form"))).as("a paid payment is not in review").isEmpty();
        browser.screenshot("payment", 1400);
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();
    }

    @Test
    void aSearchOutsideItsDatesFindsNothingAndBadFieldsAreShownNextToThem() {
        NativeClient client = newPartner(1_000_000);
        String reference = "con-old-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""",
                reference).status()).isEqualTo(200);
        browser.logIn(VIEWER, VIEWER_TOKEN);
        browser.open("/console/payments?reference=" + reference + "&from=2020-01-01T00:00&to=2020-01-02T00:00");
        assertThat(browser.find(By.id("results")).getText()).contains("No payments match.");
        browser.open("/console/payments?reference=" + reference);
        assertThat(browser.findAll(By.cssSelector("#results tbody tr a"))).hasSize(1);

        browser.open("/console/payments?id=abc&from=yesterday&status=LOST");
        assertThat(browser.find(By.id("error-id")).getText()).contains("transaction id");
        assertThat(browser.find(By.id("error-from")).getText()).contains("date and time");
        assertThat(browser.find(By.id("error-status")).getText()).contains("must be one of");
        browser.open("/console/payments?from=2026-01-02T00:00&to=2026-01-01T00:00");
        assertThat(browser.find(By.id("error-to")).getText()).isEqualTo("must be after from");
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();
    }

    @Test
    void aPaymentInReviewIsSettledWithAReasonExactlyOnce() {
        NativeClient client = newPartner(1_000_000);
        long id = paymentInReview(client, 5000);
        assertThat(client.availableInr()).isEqualTo(995_000);

        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/payments/review");
        assertThat(browser.find(By.id("review")).getText()).contains(Long.toString(id));
        browser.open("/console/payments/" + id);
        assertThat(browser.find(By.id("status")).getText()).isEqualTo("NEEDS_REVIEW");

        // no reason: refused next to the field, nothing moves
        browser.find(By.cssSelector("input[name=outcome][value=FAILED]")).click();
        browser.submit(browser.find(By.id("settle-button")));
        assertThat(browser.find(By.id("error-reason")).getText()).contains("say why");
        assertThat(browser.find(By.id("status")).getText()).isEqualTo("NEEDS_REVIEW");
        assertThat(client.availableInr()).isEqualTo(995_000);

        browser.find(By.cssSelector("input[name=outcome][value=FAILED]")).click();
        browser.find(By.id("reason")).sendKeys("Operator confirmed it was never credited");
        browser.submit(browser.find(By.id("settle-button")));
        assertThat(browser.path()).isEqualTo("/console/payments/" + id + "?settled");
        assertThat(browser.find(By.id("status")).getText()).isEqualTo("REFUNDED");
        assertThat(client.get("/v1/transactions/" + id).text("status")).isEqualTo("REFUNDED");
        assertThat(client.availableInr()).isEqualTo(1_000_000);
        assertThat(browser.find(By.cssSelector("table.audit")).getText()).contains("order.settle")
                .contains("Operator confirmed it was never credited");
        assertThat(browser.findAll(By.cssSelector("#transfers tbody tr")).get(1).getText()).contains("VOID_PENDING")
                .contains("REFUND");

        // the same settlement sent again (a second click, a replayed form): refused, nothing moves twice
        Object again = post("/console/payments/" + id + "/settle", "outcome=FAILED&reason=again");
        assertThat(again).isEqualTo(409L);
        assertThat(client.availableInr()).isEqualTo(1_000_000);
        JsonNode trail = admin().get("/admin/audit?target=order:" + id).json().get("entries");
        assertThat(trail).hasSize(1);
        assertThat(trail.get(0).get("action").stringValue()).isEqualTo("order.settle");
        assertThat(trail.get(0).get("actor").stringValue()).isEqualTo(ADMIN);
        assertThat(trail.get(0).get("request").stringValue()).isEqualTo("console POST /console/payments/" + id + "/settle");
    }

    @Test
    void aSettlementAboveTheThresholdBecomesAnApprovalRequest() {
        NativeClient client = newPartner(1_000_000);
        long id = paymentInReview(client, 19_900);
        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/payments/" + id);
        browser.find(By.cssSelector("input[name=outcome][value=SUCCESS]")).click();
        browser.find(By.id("reason")).sendKeys("Credited per the operator's statement");
        browser.submit(browser.find(By.id("settle-button")));
        assertThat(browser.path()).startsWith("/console/payments/" + id + "?approval=");
        WebElement requested = browser.find(By.id("approval-requested"));
        assertThat(requested.getText()).contains("Approval requested").contains("SUCCESS");
        String approval = browser.path().substring(browser.path().indexOf("=") + 1);
        assertThat(requested.findElement(By.tagName("a")).getAttribute("href")).endsWith("/console/approvals/" + approval);
        assertThat(browser.find(By.id("status")).getText()).isEqualTo("NEEDS_REVIEW");
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 19_900);
        Http pending = admin().get("/admin/approvals/" + approval);
        assertThat(pending.text("status")).isEqualTo("PENDING");
        assertThat(pending.text("target")).isEqualTo("order:" + id);
        // the page says so on every visit while it waits
        browser.open("/console/payments/" + id);
        assertThat(browser.find(By.id("approval-requested")).getText()).contains(approval);
    }

    @Test
    void aViewerSeesNoSettleFormAndIsRefusedWhateverItSends() {
        NativeClient client = newPartner(1_000_000);
        long id = paymentInReview(client, 5000);
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/payments/" + id);
        assertThat(browser.find(By.id("status")).getText()).isEqualTo("NEEDS_REVIEW");
        assertThat(browser.findAll(By.id("settle-form"))).isEmpty();
        assertThat(browser.findAll(By.cssSelector("main button, main input[type=submit]"))).isEmpty();
        assertThat(post("/console/payments/" + id + "/settle", "outcome=FAILED&reason=forged")).isEqualTo(403L);
        assertThat(client.get("/v1/transactions/" + id).text("status")).isEqualTo("NEEDS_REVIEW");
        assertThat(client.availableInr()).isEqualTo(995_000);
        assertThat(admin().get("/admin/audit?target=order:" + id).json().get("entries")).isEmpty();
        for (String page : new String[] {"/console/payments", "/console/payments/review", "/console/payments/" + id}) {
            browser.width(ConsoleBrowser.PHONE_WIDTH).open(page);
            assertThat(browser.fitsTheWindow()).as(page).isTrue();
        }
    }

    @Test
    void aPaymentsPageShowsItsWebhookDeliveries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(calls.getAndIncrement() == 0 ? 500 : 200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            NativeClient client = newPartner(1_000_000);
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
            assertThat(admin().post("/admin/partners/" + client.partnerId + "/webhook", "{\"callbackUrl\":\"" + url + "\"}")
                    .status()).isEqualTo(200);
            Http paid = client.post("/v1/recharges", """
                    {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""",
                    "con-hook-" + UUID.randomUUID().toString().substring(0, 8));
            assertThat(paid.status()).isEqualTo(200);
            while (sender.deliverDue() > 0) {
                // next batch: the first delivery fails (500), its retry is due at once here
            }
            browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/payments/" + paid.text("id"));
            List<WebElement> rows = browser.findAll(By.cssSelector("#webhooks tbody tr"));
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).getText()).contains("DELIVERED").contains(url).contains(" 500 ");
            assertThat(rows.get(1).getText()).contains("DELIVERED").contains(url).contains(" 200 ");
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * POSTs a form from the page in the browser, with the session's cookie and CSRF token (as a forged or replayed
     * form would be sent), and answers the HTTP status.
     */
    private Object post(String path, String form) {
        return ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var headers = JSON.parse(document.body.getAttribute('hx-headers'));
                headers['Content-Type'] = 'application/x-www-form-urlencoded';
                fetch(arguments[0], {method: 'POST', headers: headers, body: arguments[1], redirect: 'manual'})
                    .then(function (r) { done(r.status); }, function (e) { done(String(e)); });""", path, form);
    }

    /** A payment left unanswered past the maximum age: the janitor puts it in review (as AdminIdentitiesTest). */
    private long paymentInReview(NativeClient client, long amountMinor) {
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543219","amountMinor":%d,"currency":"INR"}"""
                .formatted(amountMinor), "con-review-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(paid.status()).isEqualTo(202);
        long id = Long.parseLong(paid.text("id"));
        jdbc.sql("update orders set created_at = now() - interval '3 days', next_check_at = now() - interval '1 second' where id = :id")
                .param("id", id).update();
        jdbc.sql("update attempts set started_at = now() where order_id = :id").param("id", id).update();
        while (janitor.resolveDue() > 0) {
            // next batch
        }
        assertThat(client.get("/v1/transactions/" + id).text("status")).isEqualTo("NEEDS_REVIEW");
        return id;
    }
}
