package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.Http;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** Logging in to the console, in a real browser: who may, what a failed or ended session shows. */
class ConsoleLoginTest extends ConsoleBrowserTest {

    @AfterEach
    void logOutIfLoggedIn() {
        browser.driver().manage().deleteAllCookies();
    }

    @Test
    void theDemoAdminLogsInToTheOverviewAndOut() {
        browser.logIn(ADMIN, ADMIN_TOKEN);
        assertThat(browser.path()).isEqualTo("/console");
        assertThat(browser.find(By.cssSelector("form.who")).getText()).contains("admin").contains("ADMIN");
        browser.logOut();
        assertThat(browser.path()).isEqualTo("/console/login?logout");
        browser.open("/console");
        assertThat(browser.path()).startsWith("/console/login");
    }

    @Test
    void theDemoViewerLogsInReadOnly() {
        browser.logIn(VIEWER, VIEWER_TOKEN);
        assertThat(browser.path()).isEqualTo("/console");
        assertThat(browser.find(By.cssSelector("form.who")).getText()).contains("viewer").contains("READ_ONLY");
    }

    @Test
    void aWrongTokenOrAnotherIdentitysTokenIsRefused() {
        browser.logIn(ADMIN, "demo-admin-wrong");
        assertThat(browser.path()).isEqualTo("/console/login?error");
        assertThat(browser.text()).contains("Wrong name or token.");
        browser.logIn(VIEWER, ADMIN_TOKEN);
        assertThat(browser.path()).isEqualTo("/console/login?error");
    }

    @Test
    void fiveWrongTokensLockTheNameEvenForTheRightOne() {
        String name = "lock-" + UUID.randomUUID().toString().substring(0, 8);
        String token = admin().post("/admin/identities", "{\"name\":\"" + name + "\",\"role\":\"READ_ONLY\"}")
                .json().get("token").asString();
        for (int i = 0; i < 5; i++) {
            browser.logIn(name, "wrong-" + i);
            assertThat(browser.path()).isEqualTo("/console/login?error");
        }
        browser.logIn(name, token);
        assertThat(browser.path()).isEqualTo("/console/login?locked");
        assertThat(browser.text()).contains("Too many failed logins");
    }

    @Test
    void aSessionEndsWhenItsIdentityIsDisabled() {
        String name = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        String token = admin().post("/admin/identities", "{\"name\":\"" + name + "\",\"role\":\"OPERATIONS\"}")
                .json().get("token").asString();
        browser.logIn(name, token);
        assertThat(browser.path()).isEqualTo("/console");
        Http disabled = admin().post("/admin/identities/" + name + "/disable", null);
        assertThat(disabled.status()).isEqualTo(200);
        browser.open("/console");
        assertThat(browser.path()).isEqualTo("/console/login?expired");
        browser.open("/console");
        assertThat(browser.path()).startsWith("/console/login");
    }

    @Test
    void theLoginPageFitsAPhone() {
        try {
            browser.width(ConsoleBrowser.PHONE_WIDTH).open("/console/login");
            assertThat(browser.fitsTheWindow()).isTrue();
            browser.logIn(ADMIN, ADMIN_TOKEN);
            assertThat(browser.fitsTheWindow()).isTrue();
        } finally {
            browser.width(ConsoleBrowser.DESKTOP_WIDTH);
        }
    }
}
