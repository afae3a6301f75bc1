package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.NativeClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The audit log in a real browser: who did what to what, the keys that changed, filters and their errors. */
class AuditLogPageTest extends ConsoleBrowserTest {

    @AfterEach
    void logOut() {
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
        browser.driver().manage().deleteAllCookies();
    }

    @Test
    void aChangeShowsItsActorActionAndWhatChanged() {
        NativeClient client = newPartner(0);
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/suspend", null).status()).isEqualTo(200);
        assertThat(admin().post("/admin/partners/" + client.partnerId + "/reactivate", null).status()).isEqualTo(200);

        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/audit");
        browser.find(By.id("target")).sendKeys("partner:" + client.partnerId);
        browser.submit(browser.find(By.cssSelector("#audit-filter button[type=submit]")));
        List<WebElement> entries = browser.findAll(By.cssSelector("tr.audit-entry"));
        assertThat(entries).hasSize(2);
        // newest first
        assertThat(entries.get(0).findElement(By.className("action")).getText()).isEqualTo("partner.reactivate");
        assertThat(entries.get(1).findElement(By.className("action")).getText()).isEqualTo("partner.suspend");
        assertThat(entries.get(1).getText()).contains("admin").contains("partner:" + client.partnerId);
        assertThat(entries.get(1).findElement(By.cssSelector("table.diff")).getText())
                .contains("status").contains("ACTIVE").contains("SUSPENDED");
        assertThat(entries.get(1).findElements(By.cssSelector("table.diff tr"))).as("only what changed").hasSize(1);

        browser.open("/console/audit?target=partner:" + client.partnerId + "&action=partner.suspend");
        assertThat(browser.findAll(By.cssSelector("tr.audit-entry"))).hasSize(1);
        browser.open("/console/audit?target=partner:" + client.partnerId + "&actor=nobody");
        assertThat(browser.text()).contains("No entries.");
        browser.open("/console/audit?target=partner:" + client.partnerId + "&from=2020-01-01T00:00&to=2020-01-02T00:00");
        assertThat(browser.text()).contains("No entries.");
        browser.width(ConsoleBrowser.PHONE_WIDTH).open("/console/audit");
        assertThat(browser.fitsTheWindow()).isTrue();
        assertThat(browser.findAll(By.cssSelector("main button[type=submit]"))).as("a filter, no change buttons")
                .extracting(WebElement::getText).containsExactly("Filter");
    }

    @Test
    void badDatesAreShownNextToTheirFields() {
        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/audit?from=soon&to=2026-01-01T00:00");
        assertThat(browser.find(By.id("error-from")).getText()).contains("date and time");
        browser.open("/console/audit?from=2026-01-02T00:00&to=2026-01-01T00:00");
        assertThat(browser.find(By.id("error-to")).getText()).isEqualTo("must not be before from");
    }
}
