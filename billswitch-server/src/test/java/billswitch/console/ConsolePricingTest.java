package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The console's pricing page in a real browser: an operations identity creates a plan, adds a version whose rules are
 * typed one per line (refused lines shown next to the field), assigns a partner, and the page's quote and the admin
 * API's quote price that partner's payments by it; a biller's CCF slabs set on the page show in a real bill fetch
 * answer; a viewer sees the plans but may change nothing; the page fits a phone. The default plan is never changed
 * here (the database is shared by the test classes).
 */
class ConsolePricingTest extends ConsoleBrowserTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;

    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void logOut() {
        browser.driver().manage().deleteAllCookies();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
    }

    private String identity(String role, String[] token) {
        String name = role.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Http created = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(created.status()).isEqualTo(201);
        token[0] = created.text("token");
        return name;
    }

    private void type(String id, String text) {
        WebElement field = browser.find(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private String error(String field) {
        return browser.find(By.cssSelector("#" + field + " ~ #error-" + field)).getText();
    }

    private JsonNode quote(String partner, String operator, long amount) {
        Http q = admin().get("/admin/pricing/quote?partnerId=" + partner + "&operatorId=" + operator + "&amountMinor=" + amount);
        assertThat(q.status()).as(q.body()).isEqualTo(200);
        return q.json();
    }

    private boolean fits() {
        try {
            new WebDriverWait(browser.driver(), Duration.ofSeconds(3)).until(d -> browser.fitsTheWindow());
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    @Test
    void operationsAddsAVersionAssignsAPartnerAndTheQuotesPriceItsPaymentsByIt() {
        NativeClient partner = newPartner(0);
        String plan = "con-" + tag;
        String[] token = new String[1];
        String ops = identity("OPERATIONS", token);
        browser.logIn(ops, token[0]).open("/console");
        browser.find(By.cssSelector("nav a[href='/console/pricing']")).click();
        assertThat(browser.path()).isEqualTo("/console/pricing");

        type("planId", plan);
        type("planName", "Console " + tag);
        browser.submit(browser.find(By.id("create-plan")));
        assertThat(browser.find(By.id("notice")).getText()).contains("Plan " + plan + " created");
        assertThat(browser.find(By.id("plan-" + plan)).getText()).contains("No version yet");

        new Select(browser.find(By.id("versionPlan"))).selectByValue(plan);
        type("rules", "category:electricity commission=percent:lots");
        browser.submit(browser.find(By.id("add-version")));
        assertThat(error("rules")).startsWith("line 1: 'lots' is not a whole number of basis points");
        assertThat(browser.find(By.id("rules")).getDomProperty("value")).as("the form as sent")
                .isEqualTo("category:electricity commission=percent:lots");
        type("rules", "# gold for electricity\ncategory:electricity commission=percent:100,cap:5000 fee=flat:500\n"
                + "operator:no-such-biller fee=percent:20000");
        new Select(browser.find(By.id("versionPlan"))).selectByValue(plan);
        browser.submit(browser.find(By.id("add-version")));
        assertThat(error("rules")).contains("line 3: operatorId no operator 'no-such-biller'")
                .contains("line 3: fee.bps must be at most 10000");
        assertThat(admin().get("/admin/pricing/plans/" + plan).json().get("versions").size()).as("nothing added").isZero();

        type("rules", "# gold for electricity\ncategory:electricity commission=percent:100,cap:5000 fee=flat:500\n"
                + "operator:tpddl commission=flat:1234");
        new Select(browser.find(By.id("versionPlan"))).selectByValue(plan);
        browser.submit(browser.find(By.id("add-version")));
        assertThat(browser.find(By.id("notice")).getText()).contains("of plan " + plan).contains("with 2 rule(s)");
        JsonNode stored = admin().get("/admin/pricing/plans/" + plan).json().get("versions").get(0);
        long versionId = stored.get("id").asLong();
        assertThat(stored.get("createdBy").asString()).isEqualTo(ops);
        WebElement version = browser.find(By.cssSelector("#plan-" + plan + " tr[data-version='" + versionId + "']"));
        assertThat(version.getText()).contains("IN FORCE")
                .contains("category:electricity commission=percent:100,cap:5000 fee=flat:500")
                .contains("operator:tpddl commission=flat:1234");

        type("partnerId", "no-such-partner");
        new Select(browser.find(By.id("assignPlan"))).selectByValue(plan);
        browser.submit(browser.find(By.id("assign-plan")));
        assertThat(error("partnerId")).contains("no partner 'no-such-partner'");
        type("partnerId", partner.partnerId);
        new Select(browser.find(By.id("assignPlan"))).selectByValue(plan);
        browser.submit(browser.find(By.id("assign-plan")));
        assertThat(browser.find(By.id("notice")).getText()).contains(partner.partnerId).contains(plan);
        assertThat(browser.find(By.cssSelector("#plan-" + plan + " .partners")).getText()).contains(partner.partnerId);

        // the page's quote: 1% of 999.99 = 9.9999 -> 10.00 commission, 2% TDS 0.20; fee 5.00, 18% GST 0.90
        type("quotePartner", partner.partnerId);
        type("quoteOperator", "bses-rajdhani");
        type("amount", "999.99");
        browser.submit(browser.find(By.id("get-quote")));
        assertThat(browser.find(By.id("quote-commission")).getText()).isEqualTo("10.00");
        assertThat(browser.find(By.id("quote-tds")).getText()).isEqualTo("0.20");
        assertThat(browser.find(By.id("quote-fee")).getText()).isEqualTo("5.00");
        assertThat(browser.find(By.id("quote-gst")).getText()).isEqualTo("0.90");
        assertThat(browser.find(By.id("quote-version")).getText()).isEqualTo(Long.toString(versionId));
        // and the admin API's, which is what a payment is priced by
        JsonNode api = quote(partner.partnerId, "tpddl", 100_000);
        assertThat(api.get("commissionMinor").asLong()).as("the operator's own rule").isEqualTo(1_234);
        assertThat(api.get("feeMinor").asLong()).as("its category's fee").isEqualTo(500);
        assertThat(api.get("planVersionId").asLong()).isEqualTo(versionId);
        assertThat(quote(newPartner(0).partnerId, "tpddl", 100_000).get("planVersionId").asLong())
                .as("another partner is not on it").isNotEqualTo(versionId);

        type("quoteOperator", "no-such-biller");
        browser.submit(browser.find(By.id("get-quote")));
        assertThat(error("quoteOperator")).contains("no operator 'no-such-biller'");

        String audit = admin().get("/admin/audit?target=partner:" + partner.partnerId + "&action=pricing.assignment.set").body();
        assertThat(audit).contains(ops).contains("console POST /console/pricing/assignments");
        assertThat(admin().get("/admin/audit?target=pricing-plan:" + plan + "&action=pricing.version.create").body())
                .contains(ops).contains("console POST /console/pricing/versions");
    }

    @Test
    void aBillersCcfSlabsSetOnThePageShowInARealBillFetch() {
        String biller = "con-ccf-" + tag;
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params, fee_flat_minor)
                select :id, 'CCF ' || :id, category_id, null, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, 'sandbox', params, 300
                from operators where id = 'bses-rajdhani'""").param("id", biller).update();
        catalog.reload();
        NativeClient partner = newPartner(0);
        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/pricing");
        type("ccfOperator", biller);
        type("ccfSlabs", "0-:1500\nUPI 0-:0\nUPI 10-20:1");
        browser.submit(browser.find(By.id("save-ccf")));
        assertThat(error("ccfSlabs")).contains("line 3: fromMinor overlaps slabs[1]");
        type("ccfSlabs", "0-:1500\nUPI 0-:0");
        browser.submit(browser.find(By.id("save-ccf")));
        assertThat(browser.find(By.id("notice")).getText()).contains(biller).contains("2 CCF slab(s)");
        assertThat(browser.find(By.id("ccf")).getText()).contains(biller).contains("UPI").contains("15.00");

        Http fetched = partner.post("/v1/bills/fetch", "{\"operatorId\":\"" + biller + "\",\"accountNumber\":\"151627591\"}", null);
        assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
        JsonNode ccf = fetched.json().get("ccf");
        assertThat(ccf.get("ccfMinor").asLong()).as("cash: the any-mode slab, not the catalog's 3.00").isEqualTo(1_500);
        assertThat(ccf.get("byPaymentMode").get("UPI").asLong()).isZero();
        assertThat(admin().get("/admin/audit?target=operator:" + biller + "&action=pricing.ccf.replace").body())
                .contains("console POST /console/pricing/ccf");
    }

    /** A browser-like HTTP session (cookies kept, redirects not followed), for requests the page does not offer. */
    private final class Session {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        String csrf(String path) throws IOException, InterruptedException {
            Matcher m = CSRF.matcher(get(path).body());
            assertThat(m.find()).as("a CSRF field on " + path).isTrue();
            return m.group(1);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aViewerSeesThePlansAndQuotesButChangesNothingAndNoFormWorksWithoutItsCsrfToken() throws Exception {
        NativeClient partner = newPartner(0);
        String plan = "view-" + tag;
        assertThat(admin().post("/admin/pricing/plans", "{\"id\":\"" + plan + "\",\"name\":\"Viewed\"}").status()).isEqualTo(201);
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/pricing");
        assertThat(browser.find(By.id("plan-" + plan)).getText()).contains("Viewed");
        assertThat(browser.findAll(By.id("add-version"))).isEmpty();
        assertThat(browser.findAll(By.id("assign-plan"))).isEmpty();
        assertThat(browser.findAll(By.id("save-ccf"))).isEmpty();
        type("quotePartner", partner.partnerId);
        type("quoteOperator", "bses-rajdhani");
        type("amount", "1000");
        browser.submit(browser.find(By.id("get-quote")));
        assertThat(browser.find(By.id("quote-debit")).getText()).isNotBlank();

        Session viewer = new Session();
        String loginCsrf = viewer.csrf("/console/login");
        assertThat(viewer.post("/console/login", "username=" + VIEWER + "&password=" + VIEWER_TOKEN + "&_csrf="
                + enc(loginCsrf)).statusCode()).isEqualTo(302);
        String csrf = viewer.csrf("/console/pricing");
        HttpResponse<String> refused = viewer.post("/console/pricing/assignments", "_csrf=" + enc(csrf) + "&partnerId="
                + partner.partnerId + "&assignPlan=" + plan);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(admin().get("/admin/pricing/assignments/" + partner.partnerId).json().get("planId").isNull()).isTrue();

        Session ops = new Session();
        String[] token = new String[1];
        String name = identity("OPERATIONS", token);
        assertThat(ops.post("/console/login", "username=" + enc(name) + "&password=" + enc(token[0]) + "&_csrf="
                + enc(ops.csrf("/console/login"))).statusCode()).isEqualTo(302);
        assertThat(ops.post("/console/pricing/assignments", "partnerId=" + partner.partnerId + "&assignPlan=" + plan)
                .statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(admin().get("/admin/pricing/assignments/" + partner.partnerId).json().get("planId").isNull()).isTrue();
    }

    @Test
    void thePageFitsAPhoneWithItsQuoteAndAnError() {
        browser.width(ConsoleBrowser.PHONE_WIDTH).logIn(ADMIN, ADMIN_TOKEN).open("/console/pricing");
        assertThat(fits()).as("/console/pricing").isTrue();
        type("quotePartner", newPartner(0).partnerId);
        type("quoteOperator", "bses-rajdhani");
        type("amount", "1000.00");
        browser.submit(browser.find(By.id("get-quote")));
        assertThat(browser.find(By.id("quote-commission")).isDisplayed()).isTrue();
        assertThat(fits()).as("a quote").isTrue();
        type("rules", "a rule that is not one at all, long enough to need wrapping on a narrow phone screen");
        browser.submit(browser.find(By.id("add-version")));
        assertThat(browser.find(By.id("error-rules")).isDisplayed()).isTrue();
        assertThat(fits()).as("a form error").isTrue();
    }
}
