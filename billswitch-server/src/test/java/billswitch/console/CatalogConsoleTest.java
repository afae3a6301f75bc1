package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's Catalog in a real browser: an operator created with a parameter regex (a regex that does not compile
 * shown next to its field first) is paid through the native API; disabled from the list, it is refused; a viewer sees
 * no change buttons and is refused a change sent anyway.
 */
class CatalogConsoleTest extends ConsoleBrowserTest {

    @AfterEach
    void logOut() {
        browser.driver().manage().deleteAllCookies();
    }

    private void type(String id, String text) {
        WebElement field = browser.find(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    @Test
    void anOperatorCreatedInTheConsoleIsPaidThroughTheNativeApi() {
        String id = "console-op-" + UUID.randomUUID().toString().substring(0, 8);
        browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(ADMIN, ADMIN_TOKEN).open("/console/catalog");
        browser.submit(browser.find(By.id("new-operator")));
        assertThat(browser.path()).isEqualTo("/console/catalog/operators/new");
        type("id", id);
        type("name", "Console Water");
        new Select(browser.find(By.id("categoryId"))).selectByValue("water");
        type("minAmountMinor", "500");
        type("maxAmountMinor", "100");
        type("params[0].name", "utility_acc_no");
        type("params[0].label", "Consumer number");
        new Select(browser.find(By.id("params[0].type"))).selectByValue("AlphaNumeric");
        type("params[0].regex", "^CW[0-9]{6");
        type("params[0].errorMessage", "CW and six digits");
        new Select(browser.find(By.id("route.connector"))).selectByValue("sandbox");
        type("route.upstreamCode", id);
        browser.submit(browser.find(By.id("save")));

        // refused: each problem next to its field, the values kept
        assertThat(browser.find(By.id("error-params[0].regex")).getText()).startsWith("is not a valid regular expression");
        assertThat(browser.find(By.id("error-maxAmountMinor")).getText()).contains("must not be less than minAmountMinor");
        assertThat(browser.find(By.id("name")).getAttribute("value")).isEqualTo("Console Water");
        assertThat(admin().get("/admin/operators/" + id).status()).isEqualTo(404);
        assertThat(browser.fitsTheWindow()).isTrue();
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
                "document.getElementById('params').scrollIntoView({block: 'center'});");
        java.nio.file.Path shot = browser.screenshot("catalog-editor");
        moveIntoRepository(shot);

        type("maxAmountMinor", "500000");
        type("params[0].regex", "^CW[0-9]{6}$");
        browser.submit(browser.find(By.id("save")));
        assertThat(browser.path()).isEqualTo("/console/catalog/operators/" + id + "?saved");
        JsonCheck.operator(admin().get("/admin/operators/" + id));

        NativeClient partner = newPartner(1_000_000);
        Http wrong = partner.post("/v1/bills/pay", "{\"operatorId\":\"" + id
                + "\",\"accountNumber\":\"1234567890\",\"amountMinor\":5000,\"currency\":\"INR\"}", UUID.randomUUID().toString());
        assertThat(wrong.errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(wrong.body()).contains("CW and six digits");
        Http paid = partner.post("/v1/bills/pay", "{\"operatorId\":\"" + id
                + "\",\"accountNumber\":\"CW123456\",\"amountMinor\":5000,\"currency\":\"INR\"}", UUID.randomUUID().toString());
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);

        browser.open("/console/catalog?q=" + id);
        assertThat(browser.find(By.id("operators")).getText()).contains(id, "ENABLED");
        browser.submit(browser.find(By.cssSelector("#operator-" + id + " button.toggle")));
        assertThat(browser.find(By.id("operator-" + id)).getText()).contains("DISABLED");
        assertThat(partner.post("/v1/bills/pay", "{\"operatorId\":\"" + id
                + "\",\"accountNumber\":\"CW123456\",\"amountMinor\":5000,\"currency\":\"INR\"}", UUID.randomUUID().toString())
                .errorCode()).isEqualTo("OPERATOR_DISABLED");
        assertThat(admin().get("/admin/audit?target=operator:" + id).json().toString())
                .contains("catalog.operator.create", "catalog.operator.change", "\"actor\":\"admin\"");

        browser.width(ConsoleBrowser.PHONE_WIDTH).open("/console/catalog/operators/" + id);
        assertThat(browser.find(By.id("name")).getAttribute("value")).isEqualTo("Console Water");
        assertThat(browser.fitsTheWindow()).isTrue();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
    }

    @Test
    void aViewerSeesNoChangeButtonsAndIsRefusedAChange() {
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/catalog");
        assertThat(browser.find(By.id("operators")).getText()).contains("mseb");
        assertThat(browser.findAll(By.id("new-operator"))).isEmpty();
        assertThat(browser.findAll(By.cssSelector("button.toggle"))).isEmpty();
        browser.open("/console/catalog/operators/mseb");
        assertThat(browser.findAll(By.id("save"))).isEmpty();
        // a change sent anyway, with the session's own CSRF token: refused
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript("""
                const f = document.createElement('form'); f.method = 'post'; f.action = '/console/catalog/operators/mseb/enabled';
                const csrf = document.querySelector('input[name=_csrf]');
                const e = document.createElement('input'); e.name = 'enabled'; e.value = 'false'; f.appendChild(e);
                if (csrf) { f.appendChild(csrf.cloneNode()); }
                document.body.appendChild(f); f.submit();""");
        browser.await(By.tagName("h1"));
        assertThat(admin().get("/admin/operators/mseb").json().get("enabled").booleanValue()).isTrue();
    }

    /**
     * The screenshot where the repository's docs/ are: {@link ConsoleBrowser#screenshot} resolves docs/ from the
     * parent of the working directory, which is the repository's parent when Maven runs from the repository's root.
     */
    private static void moveIntoRepository(java.nio.file.Path shot) {
        java.nio.file.Path repository = java.nio.file.Path.of("").toAbsolutePath();
        while (repository != null && !java.nio.file.Files.exists(repository.resolve("billswitch-server"))) {
            repository = repository.getParent();
        }
        if (repository == null || shot.startsWith(repository)) {
            return;
        }
        try {
            java.nio.file.Path target = repository.resolve("docs/console").resolve(shot.getFileName());
            java.nio.file.Files.createDirectories(target.getParent());
            java.nio.file.Files.move(shot, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the created operator must be, as the admin API shows it. */
    private static final class JsonCheck {
        static void operator(Http h) {
            assertThat(h.status()).as(h.body()).isEqualTo(200);
            assertThat(h.json().get("params").get(0).get("regex").stringValue()).isEqualTo("^CW[0-9]{6}$");
            assertThat(h.json().get("params").get(0).get("account").booleanValue()).isTrue();
            assertThat(h.json().get("maxAmountMinor").longValue()).isEqualTo(500_000);
            assertThat(h.json().get("enabled").booleanValue()).isTrue();
        }
    }
}
