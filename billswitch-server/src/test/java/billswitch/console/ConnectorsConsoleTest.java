package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.Http;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's Connectors in a real browser: each upstream with its circuit state; timeouts and the enabled flag
 * changed (a bad value shown next to its field); the base URL shown to ADMIN only; a viewer changes nothing.
 */
class ConnectorsConsoleTest extends ConsoleBrowserTest {

    @AfterEach
    void logOut() {
        browser.driver().manage().deleteAllCookies();
    }

    private String connector() {
        String name = "console-up-" + UUID.randomUUID().toString().substring(0, 8);
        Http created = admin().post("/admin/connectors", """
                {"name":"%s","type":"appotapay","baseUrl":"http://localhost:9","credentials":{"partnerCode":"P","apiKey":"K","secretKey":"S"}}"""
                .formatted(name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    private void type(String id, String text) {
        WebElement field = browser.find(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    @Test
    void operationsChangeTimeoutsAndDisableAConnector() {
        String name = connector();
        String token = admin().post("/admin/identities", "{\"name\":\"ops-" + name + "\",\"role\":\"OPERATIONS\"}").text("token");
        browser.logIn("ops-" + name, token).open("/console/connectors");
        assertThat(browser.find(By.id("connector-" + name)).getText()).contains("appotapay", "CLOSED", "ENABLED");
        assertThat(browser.find(By.id("connectors")).getText()).doesNotContain("http://localhost:9");
        browser.open("/console/connectors/" + name);
        assertThat(browser.findAll(By.id("baseUrl"))).as("ADMIN only").isEmpty();

        type("readMs", "999999999");
        browser.submit(browser.find(By.id("save")));
        assertThat(browser.find(By.id("error-readMs")).getText()).startsWith("timeouts.readMs must be");

        type("readMs", "15000");
        browser.find(By.id("enabled")).click();
        browser.submit(browser.find(By.id("save")));
        assertThat(browser.path()).endsWith("?saved");
        Http now = admin().get("/admin/connectors/" + name);
        assertThat(now.json().get("timeouts").get("readMs").intValue()).isEqualTo(15000);
        assertThat(now.json().get("enabled").booleanValue()).isFalse();
        assertThat(admin().get("/admin/audit?target=connector:" + name).json().toString()).contains("ops-" + name);
    }

    @Test
    void anAdminSeesTheBaseUrlAndAViewerChangesNothing() {
        String name = connector();
        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/connectors/" + name);
        assertThat(browser.find(By.id("baseUrl")).getText()).isEqualTo("http://localhost:9");
        browser.driver().manage().deleteAllCookies();

        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/connectors/" + name);
        assertThat(browser.findAll(By.id("save"))).isEmpty();
        assertThat(browser.findAll(By.id("baseUrl"))).isEmpty();
        AdminClient admin = admin();
        assertThat(admin.get("/admin/connectors/" + name).json().get("enabled").booleanValue()).isTrue();
    }
}
