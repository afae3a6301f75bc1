package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.ConsoleSession;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * A partner's credit limit and low-balance threshold in the console: FINANCE sets them (audited as through the admin
 * API), the wallet card shows them, a limit below what the wallet owes is refused next to its field; a viewer sees
 * no form and a forged change is refused; the page fits a phone.
 */
class ConsoleWalletTermsTest extends ConsoleBrowserTest {
    @AfterEach
    void logOut() {
        browser.driver().manage().deleteAllCookies();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
    }

    private void type(String id, String text) {
        WebElement field = browser.find(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private String financeToken(String name) {
        Http created = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"FINANCE\"}".formatted(name));
        assertThat(created.status()).isEqualTo(201);
        return created.text("token");
    }

    private JsonNode wallet(NativeClient partner) {
        return admin().get("/admin/partners/" + partner.partnerId + "/wallets/INR").json();
    }

    @Test
    void financeSetsTheCreditLimitAndThresholdAndALimitBelowTheOverdraftIsRefusedNextToItsField() {
        NativeClient partner = newPartner(10_000);
        String name = "fin-" + UUID.randomUUID().toString().substring(0, 8);
        String p = "/console/partners/" + partner.partnerId;
        browser.logIn(name, financeToken(name)).open(p);
        new Select(browser.find(By.id("terms-currency"))).selectByValue("INR");
        type("credit-limit", "250.00");
        type("low-balance-threshold", "120");
        browser.submit(browser.find(By.id("wallet-terms-button")));
        assertThat(browser.find(By.id("notice")).getText()).contains("credit limit 250.00").contains("threshold 120.00");
        assertThat(browser.find(By.cssSelector(".stat[data-currency=INR]")).getText()).isEqualTo("350.00");
        assertThat(browser.text()).contains("credit limit 250.00").contains("below 120.00");
        assertThat(wallet(partner).get("creditLimitMinor").longValue()).isEqualTo(25_000);
        assertThat(wallet(partner).get("lowBalanceThresholdMinor").longValue()).isEqualTo(12_000);
        assertThat(admin().get("/admin/audit?target=partner:" + partner.partnerId + "&action=wallet.credit-limit").body())
                .contains(name).contains("console POST " + p + "/wallet-terms");
        assertThat(admin().get("/admin/audit?target=partner:" + partner.partnerId + "&action=wallet.low-balance-threshold")
                .body()).contains(name);

        // a payment draws on the limit; a limit below what the wallet now owes is refused next to its field
        assertThat(partner.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""",
                "console-limit-1").text("status")).isEqualTo("SUCCESS");
        JsonNode before = wallet(partner);
        browser.open(p);
        type("credit-limit", "0");
        browser.submit(browser.find(By.id("wallet-terms-button")));
        assertThat(browser.find(By.cssSelector("#credit-limit ~ #error-creditLimit")).getText()).contains("at least");
        assertThat(browser.find(By.id("credit-limit")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(wallet(partner)).as("nothing changed").isEqualTo(before);
        type("credit-limit", "abc");
        browser.submit(browser.find(By.id("wallet-terms-button")));
        assertThat(browser.find(By.cssSelector("#credit-limit ~ #error-creditLimit")).getText()).contains("amount in INR");

        browser.width(ConsoleBrowser.PHONE_WIDTH);
        try {
            new WebDriverWait(browser.driver(), Duration.ofSeconds(3)).until(d -> browser.fitsTheWindow());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the partner's page with a form error does not fit a phone");
        }
    }

    @Test
    void aViewerSeesNoFormAndAForgedChangeIsRefused() {
        NativeClient partner = newPartner(0);
        String p = "/console/partners/" + partner.partnerId;
        browser.logIn(VIEWER, VIEWER_TOKEN).open(p);
        assertThat(browser.findAll(By.id("wallet-terms"))).isEmpty();
        assertThat(browser.text()).contains("credit limit 0.00");

        ConsoleSession viewer = new ConsoleSession(port);
        viewer.logIn(VIEWER, VIEWER_TOKEN);
        String csrf = "_csrf=" + ConsoleSession.enc(viewer.csrf(p));
        HttpResponse<String> refused = viewer.post(p + "/wallet-terms", csrf + "&currency=INR&creditLimit=1000&lowBalanceThreshold=5");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(wallet(partner).get("creditLimitMinor").longValue()).isZero();
        assertThat(wallet(partner).get("lowBalanceThresholdMinor").longValue()).isZero();
    }
}
