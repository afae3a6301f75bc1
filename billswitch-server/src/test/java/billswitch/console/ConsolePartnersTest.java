package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.TestPropertySource;

/**
 * The console's partners, approvals and identities in a real browser: a top-up above the threshold (100.00 here, as
 * in AdminIdentitiesTest, so the two share one Spring context) waits for a second person; a partner's credentials are
 * shown once and work; refused input is shown next to its field; a viewer sees no change and may make none; every
 * page fits a phone.
 */
@TestPropertySource(properties = "billswitch.admin.approval-threshold-minor=10000")
class ConsolePartnersTest extends ConsoleBrowserTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    record Identity(String name, String token) {
    }

    @AfterEach
    void logOut() {
        browser.driver().manage().deleteAllCookies();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
    }

    private Identity identity(String role) {
        String name = role.toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        Http created = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(created.status()).isEqualTo(201);
        return new Identity(name, created.text("token"));
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /** Clicks a button whose form asks to confirm, accepts, and waits for the next page. */
    private void confirm(By button) {
        WebElement page = browser.find(By.tagName("html"));
        browser.find(button).click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        browser.awaitNextPage(page);
    }

    private void type(String id, String text) {
        WebElement field = browser.find(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private String partnerStatus(String partnerId) {
        return admin().get("/admin/partners/" + partnerId).text("status");
    }

    /** A browser-like HTTP session of the console (cookies kept, redirects not followed), for forged requests. */
    private final class Session {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        String csrf(String path) throws IOException, InterruptedException {
            Matcher m = CSRF.matcher(get(path).body());
            assertThat(m.find()).as("a CSRF field on " + path).isTrue();
            return m.group(1);
        }

        Session logIn(String name, String token) throws IOException, InterruptedException {
            HttpResponse<String> login = post("/console/login", "username=" + enc(name) + "&password=" + enc(token)
                    + "&_csrf=" + enc(csrf("/console/login")));
            assertThat(login.statusCode()).isEqualTo(302);
            assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/console");
            return this;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aTopUpAboveTheThresholdWaitsForASecondPersonAndMovesTheBalanceOnce() throws Exception {
        NativeClient partner = newPartner(0);
        Identity a = identity("FINANCE");
        Identity b = identity("FINANCE");
        String reference = "bank-" + UUID.randomUUID().toString().substring(0, 8);

        browser.logIn(a.name(), a.token()).open("/console/partners/" + partner.partnerId);
        type("amount", "500.00");
        type("reference", reference);
        browser.submit(browser.find(By.id("top-up-button")));
        assertThat(browser.find(By.id("notice")).getText()).contains("above the approval threshold")
                .contains("balance has not moved");
        assertThat(partner.availableInr()).isZero();
        String approvalPath = browser.find(By.cssSelector("#notice a")).getDomAttribute("href");
        assertThat(approvalPath).matches("/console/approvals/[0-9]+");
        String approvalId = approvalPath.substring(approvalPath.lastIndexOf('/') + 1);

        // the requester sees no Approve button, and the server refuses them if they send it anyway
        browser.open(approvalPath);
        assertThat(browser.find(By.id("approval-status")).getText()).isEqualTo("PENDING");
        assertThat(browser.find(By.id("approval-amount")).getText()).isEqualTo("500.00 INR");
        assertThat(browser.text()).contains("You requested this").contains(a.name());
        assertThat(browser.findAll(By.id("approve"))).isEmpty();
        Session requester = new Session().logIn(a.name(), a.token());
        HttpResponse<String> refused = requester.post(approvalPath + "/approve", "_csrf=" + enc(requester.csrf(approvalPath)));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("needs a second identity");
        assertThat(partner.availableInr()).isZero();
        assertThat(admin().get("/admin/approvals/" + approvalId).text("status")).isEqualTo("PENDING");

        // a second FINANCE identity approves it in the console: the top-up is made, once
        browser.driver().manage().deleteAllCookies();
        browser.logIn(b.name(), b.token()).open("/console/approvals");
        assertThat(browser.find(By.id("pending")).getText()).contains(approvalId).contains(a.name()).contains(reference);
        browser.open(approvalPath);
        confirm(By.id("approve"));
        assertThat(browser.find(By.id("approval-status")).getText()).isEqualTo("APPROVED");
        assertThat(browser.find(By.id("notice")).getText()).contains("Approved by " + b.name()).contains("500.00 INR");
        assertThat(browser.find(By.id("approval-result")).getText()).contains("0.00 → 500.00 INR");
        assertThat(partner.availableInr()).isEqualTo(50_000);

        Session second = new Session().logIn(b.name(), b.token());
        assertThat(second.post(approvalPath + "/approve", "_csrf=" + enc(second.csrf(approvalPath))).statusCode())
                .isEqualTo(302);
        assertThat(partner.availableInr()).as("approved twice, made once").isEqualTo(50_000);
        browser.open("/console/partners/" + partner.partnerId);
        assertThat(browser.find(By.cssSelector(".stat[data-currency=INR]")).getText()).isEqualTo("500.00");
        assertThat(browser.find(By.id("statement")).getText()).contains(reference).contains("500.00");
    }

    @Test
    void aPartnerCreatedInTheConsoleShowsItsCredentialsOnceAndThemWork() {
        String name = "Console Co " + UUID.randomUUID().toString().substring(0, 6);
        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/partners");
        type("name", name);
        browser.submit(browser.find(By.id("create-partner")));
        String key = browser.find(By.cssSelector("code[data-label='API key']")).getText();
        String secret = browser.find(By.cssSelector("code[data-label='API secret']")).getText();
        String webhookSecret = browser.find(By.cssSelector("code[data-label='Webhook secret']")).getText();
        assertThat(key).startsWith("bsk_");
        assertThat(secret).hasSize(48);
        assertThat(webhookSecret).startsWith("whsec_");
        String partnerId = browser.find(By.cssSelector("main a[href^='/console/partners/'] span")).getText();

        NativeClient client = new NativeClient(base(), partnerId, key, secret);
        Http wallet = client.get("/v1/wallet");
        assertThat(wallet.status()).isEqualTo(200);
        assertThat(wallet.text("partnerId")).isEqualTo(partnerId);

        browser.open("/console/partners/" + partnerId);
        assertThat(browser.text()).contains(name).contains(key).doesNotContain(secret).doesNotContain(webhookSecret);
        browser.open("/console/partners?q=" + enc(name.substring(8)));
        assertThat(browser.find(By.id("partners")).getText()).contains(partnerId).contains(name);

        // a rotated secret is shown once too, and the old one stops working
        browser.open("/console/partners/" + partnerId);
        confirm(By.id("rotate-secret"));
        String rotated = browser.find(By.cssSelector("code[data-label='API secret']")).getText();
        assertThat(rotated).hasSize(48).isNotEqualTo(secret);
        assertThat(client.get("/v1/wallet").status()).isEqualTo(401);
        assertThat(client.withSecret(rotated).get("/v1/wallet").status()).isEqualTo(200);
        browser.open("/console/partners/" + partnerId);
        assertThat(browser.text()).doesNotContain(rotated);
    }

    @Test
    void refusedInputIsShownNextToItsFieldAndChangesNothing() {
        NativeClient partner = newPartner(0);
        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/partners/" + partner.partnerId);
        type("amount", "0");
        type("reference", "zero-1");
        browser.submit(browser.find(By.id("top-up-button")));
        assertThat(browser.find(By.cssSelector("#amount ~ #error-amount")).getText()).contains("positive amount");
        assertThat(browser.find(By.id("amount")).getDomAttribute("aria-invalid")).isEqualTo("true");
        type("amount", "1.234");
        browser.submit(browser.find(By.id("top-up-button")));
        assertThat(browser.find(By.cssSelector("#amount ~ #error-amount")).getText()).contains("at most 2 decimals");
        type("amount", "1.00");
        type("reference", "no spaces allowed");
        browser.submit(browser.find(By.id("top-up-button")));
        assertThat(browser.find(By.cssSelector("#reference ~ #error-reference")).getText()).contains("letters, digits");
        assertThat(partner.availableInr()).isZero();

        type("callbackUrl", "ftp://example.com/hook");
        confirm(By.id("save-callback"));
        assertThat(browser.find(By.cssSelector("#callbackUrl ~ #error-callbackUrl")).getText()).contains("http");
        assertThat(admin().get("/admin/partners/" + partner.partnerId).json().get("callbackUrl").isNull()).isTrue();
    }

    /** A pending top-up approval filed through the admin API by a new FINANCE identity; its id. */
    private String pendingTopUp(NativeClient partner) {
        Identity finance = identity("FINANCE");
        Http filed = new AdminClient(base(), finance.token()).post("/admin/partners/" + partner.partnerId
                + "/wallets/INR/top-ups", "{\"amountMinor\":20000,\"reference\":\"pend-" + UUID.randomUUID().toString()
                .substring(0, 8) + "\"}");
        assertThat(filed.status()).isEqualTo(202);
        return filed.json().get("approval").get("id").stringValue();
    }

    @Test
    void aViewerSeesNoChangeButtonsAndEveryForgedChangeIsRefused() throws Exception {
        NativeClient partner = newPartner(0);
        String approval = pendingTopUp(partner);
        browser.logIn(VIEWER, VIEWER_TOKEN);
        for (String path : new String[] {"/console/partners", "/console/partners/" + partner.partnerId,
                "/console/approvals", "/console/approvals/" + approval}) {
            browser.open(path);
            assertThat(browser.findAll(By.cssSelector("main form[method=post]"))).as(path).isEmpty();
            assertThat(browser.findAll(By.cssSelector("main button.primary, main button.danger"))).as(path).isEmpty();
        }
        assertThat(browser.findAll(By.cssSelector("nav a[href='/console/identities']"))).isEmpty();
        browser.open("/console/identities");
        assertThat(browser.text()).contains("Not allowed");

        Session viewer = new Session().logIn(VIEWER, VIEWER_TOKEN);
        String csrf = "_csrf=" + enc(viewer.csrf("/console/partners/" + partner.partnerId));
        String p = "/console/partners/" + partner.partnerId;
        for (String[] post : new String[][] {{p + "/top-ups", "&amount=50.00&currency=INR&reference=forged-1"},
                {p + "/suspend", ""}, {p + "/rotate-secret", ""}, {p + "/callback-url", "&callbackUrl=https%3A%2F%2Fexample.com%2Fh"},
                {p + "/limits", "&requestsPerSecond=1"}, {"/console/partners", "&name=Forged"},
                {"/console/approvals/" + approval + "/approve", ""}, {"/console/approvals/" + approval + "/reject", ""},
                {"/console/identities", "&name=forged-x&role=ADMIN"}}) {
            HttpResponse<String> refused = viewer.post(post[0], csrf + post[1]);
            assertThat(refused.statusCode()).as(post[0]).isEqualTo(403);
            assertThat(refused.body()).as(post[0]).contains("Not allowed");
        }
        assertThat(partner.availableInr()).isZero();
        assertThat(partnerStatus(partner.partnerId)).isEqualTo("ACTIVE");
        assertThat(partner.get("/v1/wallet").status()).as("the secret still works").isEqualTo(200);
        assertThat(admin().get("/admin/approvals/" + approval).text("status")).isEqualTo("PENDING");
        assertThat(admin().get("/admin/identities").body()).doesNotContain("forged-x");
    }

    @Test
    void eachRoleIsRefusedWhatTheAdminApisMatrixRefusesIt() throws Exception {
        NativeClient partner = newPartner(0);
        Identity finance = identity("FINANCE");
        Identity operations = identity("OPERATIONS");
        String p = "/console/partners/" + partner.partnerId;

        Session fin = new Session().logIn(finance.name(), finance.token());
        String csrf = "_csrf=" + enc(fin.csrf(p));
        for (String path : new String[] {p + "/suspend", p + "/rotate-secret", p + "/limits", "/console/identities"}) {
            assertThat(fin.post(path, csrf).statusCode()).as(path).isEqualTo(403);
        }
        Session ops = new Session().logIn(operations.name(), operations.token());
        csrf = "_csrf=" + enc(ops.csrf(p));
        assertThat(ops.post(p + "/top-ups", csrf + "&amount=5.00&currency=INR&reference=ops-1").statusCode()).isEqualTo(403);
        assertThat(ops.post(p + "/credentials", csrf + "&dialect=AOPAY&keyId=x-" + partner.partnerId).statusCode())
                .isEqualTo(403);
        assertThat(partner.availableInr()).isZero();
        assertThat(partnerStatus(partner.partnerId)).isEqualTo("ACTIVE");

        // operations suspends and reactivates in the browser, each after a confirm; finance tops up below the threshold
        browser.logIn(operations.name(), operations.token()).open(p);
        assertThat(browser.findAll(By.id("top-up-button"))).isEmpty();
        confirm(By.id("suspend"));
        assertThat(browser.find(By.id("status")).getText()).isEqualTo("SUSPENDED");
        assertThat(partnerStatus(partner.partnerId)).isEqualTo("SUSPENDED");
        assertThat(partner.get("/v1/wallet").status()).isEqualTo(403);
        confirm(By.id("reactivate"));
        assertThat(partnerStatus(partner.partnerId)).isEqualTo("ACTIVE");
        browser.driver().manage().deleteAllCookies();

        browser.logIn(finance.name(), finance.token()).open(p);
        assertThat(browser.findAll(By.id("suspend"))).isEmpty();
        type("amount", "75.50");
        type("reference", "fin-below-1");
        browser.submit(browser.find(By.id("top-up-button")));
        assertThat(browser.find(By.id("notice")).getText()).contains("Topped up 75.50 INR").contains("0.00 → 75.50");
        assertThat(partner.availableInr()).isEqualTo(7_550);
        assertThat(admin().get("/admin/audit?target=partner:" + partner.partnerId + "&action=wallet.top-up").body())
                .contains(finance.name()).contains("console POST " + p + "/top-ups");
    }

    @Test
    void anAdminManagesIdentitiesWhoseTokensAreShownOnce() {
        String name = "con-" + UUID.randomUUID().toString().substring(0, 8);
        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console");
        browser.find(By.cssSelector("nav a[href='/console/identities']")).click();
        assertThat(browser.path()).isEqualTo("/console/identities");
        type("name", "Not Valid!");
        browser.submit(browser.find(By.id("create-identity")));
        assertThat(browser.find(By.cssSelector("#name ~ #error-name")).getText()).isNotBlank();
        type("name", name);
        new org.openqa.selenium.support.ui.Select(browser.find(By.id("role"))).selectByValue("FINANCE");
        browser.submit(browser.find(By.id("create-identity")));
        String token = browser.find(By.cssSelector("code[data-label='Token']")).getText();
        assertThat(token).startsWith("bsa_");
        assertThat(new AdminClient(base(), token).get("/admin/identities/me").text("role")).isEqualTo("FINANCE");

        browser.open("/console/identities");
        assertThat(browser.text()).contains(name).doesNotContain(token);
        confirm(By.cssSelector("tr[data-name='" + name + "'] button.rotate"));
        String rotated = browser.find(By.cssSelector("code[data-label='Token']")).getText();
        assertThat(rotated).startsWith("bsa_").isNotEqualTo(token);
        assertThat(new AdminClient(base(), token).get("/admin/identities/me").status()).isEqualTo(401);
        assertThat(new AdminClient(base(), rotated).get("/admin/identities/me").status()).isEqualTo(200);

        browser.open("/console/identities");
        confirm(By.cssSelector("tr[data-name='" + name + "'] button.disable"));
        assertThat(browser.find(By.id("notice")).getText()).contains(name).contains("DISABLED");
        assertThat(new AdminClient(base(), rotated).get("/admin/identities/me").status()).isEqualTo(401);
    }

    /** Whether the page fits the window once its layout has settled (just after a resize it may not have yet). */
    private boolean fits() {
        try {
            new WebDriverWait(browser.driver(), Duration.ofSeconds(3)).until(d -> browser.fitsTheWindow());
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    /** What sticks out of the window, outside the tables' own scrolling boxes (a failure's explanation). */
    private Object overflowing() {
        return ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
                "var w = document.documentElement.clientWidth, out = [];"
                + "document.querySelectorAll('body *').forEach(function (e) { var r = e.getBoundingClientRect();"
                + " if (r.right > w + 1 && !e.closest('.table-wrap')) out.push(e.tagName + '#' + e.id + '.' + e.className); });"
                + "return out.slice(0, 8).join(', ');");
    }

    @Test
    void everyPageFitsAPhone() {
        NativeClient partner = newPartner(123_456);
        String approval = pendingTopUp(partner);
        browser.width(ConsoleBrowser.PHONE_WIDTH).logIn(ADMIN, ADMIN_TOKEN);
        for (String path : new String[] {"/console/partners", "/console/partners/" + partner.partnerId,
                "/console/approvals", "/console/approvals/" + approval, "/console/identities"}) {
            browser.open(path);
            assertThat(fits()).as(path + " sticks out: " + overflowing()).isTrue();
        }
        browser.open("/console/partners");
        type("name", "Phone Co");
        browser.submit(browser.find(By.id("create-partner")));
        assertThat(browser.find(By.cssSelector("code[data-label='API secret']")).isDisplayed()).isTrue();
        assertThat(fits()).as("credentials shown once").isTrue();
        browser.open("/console/partners/" + partner.partnerId);
        type("amount", "0");
        type("reference", "phone-1");
        browser.submit(browser.find(By.id("top-up-button")));
        assertThat(browser.find(By.id("error-amount")).isDisplayed()).isTrue();
        assertThat(fits()).as("a form error").isTrue();
    }

    @Test
    void anAdminAddsACredentialAndSetsAllowListsAndLimitsWithErrorsNextToTheFields() {
        NativeClient partner = newPartner(0);
        String p = "/console/partners/" + partner.partnerId;
        String keyId = "REG-" + partner.partnerId;
        browser.logIn(ADMIN, ADMIN_TOKEN).open(p);
        new org.openqa.selenium.support.ui.Select(browser.find(By.id("new-dialect"))).selectByValue("AOPAY");
        type("new-keyId", keyId);
        type("new-ipAllowList", "not-an-address");
        browser.submit(browser.find(By.cssSelector("#add-credential button[type=submit]")));
        assertThat(browser.find(By.cssSelector("#new-ipAllowList ~ #error-new\\.ipAllowList")).getText())
                .contains("not-an-address");
        type("new-ipAllowList", "203.0.113.7");
        browser.submit(browser.find(By.cssSelector("#add-credential button[type=submit]")));
        String secret = browser.find(By.cssSelector("code[data-label='Secret']")).getText();
        assertThat(secret).hasSize(48);
        browser.open(p);
        assertThat(browser.find(By.id("credentials")).getText()).contains(keyId).contains("AOPAY").contains("203.0.113.7")
                .doesNotContain(secret);
        assertThat(partners.credential(keyId, "AOPAY").orElseThrow().secret().reveal()).isEqualTo(secret);

        // the native credential's allow-list is the partner's own
        String allow = "#allow-" + partner.keyId;
        type(allow.substring(1), "0.0.0.0/0");
        browser.submit(browser.find(By.cssSelector("td form.allow-list:has(" + allow + ") button")));
        assertThat(browser.find(By.cssSelector(allow + " ~ .field-error")).getText()).contains("admits every address");
        assertThat(partner.get("/v1/wallet").status()).isEqualTo(200);
        type(allow.substring(1), "198.51.100.0/24");
        browser.submit(browser.find(By.cssSelector("td form.allow-list:has(" + allow + ") button")));
        assertThat(browser.find(By.id("notice")).getText()).contains("198.51.100.0/24");
        assertThat(admin().get("/admin/partners/" + partner.partnerId).json().get("ipAllowList").get(0).stringValue())
                .isEqualTo("198.51.100.0/24");
        assertThat(partner.get("/v1/wallet").status()).as("from 127.0.0.1, now outside the list").isEqualTo(403);

        type("requestsPerSecond", "-1");
        browser.submit(browser.find(By.cssSelector("form[action$='/limits'] button")));
        assertThat(browser.find(By.cssSelector("#requestsPerSecond ~ #error-requestsPerSecond")).getText())
                .contains("whole number");
        type("requestsPerSecond", "7");
        type("burst", "");
        browser.submit(browser.find(By.cssSelector("form[action$='/limits'] button")));
        assertThat(browser.find(By.id("notice")).getText()).contains("Limits saved");
        assertThat(admin().get("/admin/partners/" + partner.partnerId + "/limits").json().get("requestsPerSecond").asInt())
                .isEqualTo(7);
    }

    @Test
    void aRejectedTopUpMovesNothing() {
        NativeClient partner = newPartner(0);
        String approval = pendingTopUp(partner);
        Identity b = identity("FINANCE");
        browser.logIn(b.name(), b.token()).open("/console/approvals/" + approval);
        type("reason", "no bank credit seen");
        browser.submit(browser.find(By.id("reject")));
        assertThat(browser.find(By.id("approval-status")).getText()).isEqualTo("REJECTED");
        assertThat(browser.text()).contains("no bank credit seen").contains("Rejected by " + b.name());
        assertThat(browser.findAll(By.cssSelector("main form[method=post]"))).isEmpty();
        assertThat(partner.availableInr()).isZero();
        browser.open("/console/approvals");
        assertThat(browser.find(By.id("decided")).getText()).contains(approval).contains("REJECTED").contains(b.name());
    }
}
