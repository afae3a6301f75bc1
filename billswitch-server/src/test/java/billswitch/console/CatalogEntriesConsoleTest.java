package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.ConsoleSession;
import billswitch.support.Http;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's categories, locations and an operator's plans in a real browser: created and edited with each
 * refused field shown next to it, as the admin API then shows them; a plan added, edited and removed; a viewer sees
 * no change controls and a change sent anyway is refused 403; the pages fit a phone.
 */
class CatalogEntriesConsoleTest extends ConsoleBrowserTest {

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

    @Test
    void aCategoryAndALocationAreCreatedAndEditedWithErrorsNextToTheirFields() {
        String id = "console-cat-" + UUID.randomUUID().toString().substring(0, 8);
        int providerId = 700_000 + ThreadLocalRandom.current().nextInt(200_000);
        browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(ADMIN, ADMIN_TOKEN).open("/console/catalog");
        browser.submit(browser.find(By.id("new-category")));
        assertThat(browser.path()).isEqualTo("/console/catalog/categories/new");
        type("id", id);
        type("name", "Console Gas");
        type("group", "Utility");
        type("country", "india");
        type("providerId", "many");
        browser.submit(browser.find(By.id("save")));
        assertThat(browser.find(By.id("error-providerId")).getText()).isEqualTo("must be a whole number");
        type("providerId", String.valueOf(providerId));
        browser.submit(browser.find(By.id("save")));
        assertThat(browser.find(By.id("error-country")).getText()).contains("ISO 3166");
        assertThat(browser.find(By.id("name")).getAttribute("value")).isEqualTo("Console Gas");
        assertThat(admin().get("/admin/categories/" + id).status()).isEqualTo(404);
        type("country", "IN");
        browser.submit(browser.find(By.id("save")));
        assertThat(browser.path()).isEqualTo("/console/catalog/categories/" + id + "?saved");

        type("name", "Console Piped Gas");
        type("group", "Utilities");
        browser.submit(browser.find(By.id("save")));
        Http category = admin().get("/admin/categories/" + id);
        assertThat(category.json().get("name").stringValue()).isEqualTo("Console Piped Gas");
        assertThat(category.json().get("group").stringValue()).isEqualTo("Utilities");
        assertThat(category.json().get("providerId").intValue()).isEqualTo(providerId);
        assertThat(category.json().get("enabled").booleanValue()).isTrue();
        browser.find(By.id("enabled")).click();
        browser.submit(browser.find(By.id("save")));
        assertThat(admin().get("/admin/categories/" + id).json().get("enabled").booleanValue()).isFalse();
        assertThat(admin().get("/admin/audit?target=category:" + id).json().toString())
                .contains("catalog.category.create", "catalog.category.change", "\"actor\":\"admin\"");

        String location = "CON-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        browser.open("/console/catalog/locations/new");
        type("id", location);
        type("name", "Console Circle");
        type("abbreviation", "");
        type("country", "IN");
        type("providerId", String.valueOf(providerId));
        browser.submit(browser.find(By.id("save")));
        assertThat(browser.find(By.id("error-abbreviation")).getText()).isEqualTo("is required");
        type("abbreviation", "CC");
        browser.submit(browser.find(By.id("save")));
        assertThat(browser.path()).isEqualTo("/console/catalog/locations/" + location + "?saved");
        assertThat(admin().get("/admin/locations/" + location).json().get("abbreviation").stringValue()).isEqualTo("CC");

        browser.width(ConsoleBrowser.PHONE_WIDTH).open("/console/catalog/categories/" + id);
        assertThat(browser.fitsTheWindow()).isTrue();
    }

    @Test
    void anOperatorsPlansAreAddedEditedAndRemoved() {
        String operator = "console-plans-" + UUID.randomUUID().toString().substring(0, 8);
        Http made = admin().post("/admin/operators", """
                {"id":"%s","name":"Console Mobile","categoryId":"mobile-prepaid","kind":"PREPAID","country":"IN","currency":"INR",
                 "fetchOption":"NOT_SUPPORTED","exactness":"EXACT","minAmountMinor":1000,"maxAmountMinor":100000,
                 "params":[{"name":"mobile","label":"Mobile","type":"Numeric","account":true}]}""".formatted(operator));
        assertThat(made.status()).as(made.body()).isEqualTo(201);

        browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(ADMIN, ADMIN_TOKEN).open("/console/catalog/operators/" + operator);
        type("plan.code", "RC199");
        type("plan.amountMinor", "500");
        type("plan.description", "1.5 GB a day");
        type("plan.validity", "28 days");
        browser.submit(browser.find(By.id("save-plan")));
        assertThat(browser.find(By.id("error-plan.amountMinor")).getText()).contains("within the operator's limits");
        assertThat(browser.find(By.id("plan.description")).getAttribute("value")).isEqualTo("1.5 GB a day");
        type("plan.amountMinor", "19900");
        new Select(browser.find(By.id("plan.locationId"))).selectByValue("IN-DL");
        browser.submit(browser.find(By.id("save-plan")));
        assertThat(browser.find(By.id("plan-RC199")).getText()).contains("19900", "1.5 GB a day", "IN-DL");
        Http plans = admin().get("/admin/operators/" + operator + "/plans");
        assertThat(plans.body()).contains("\"code\":\"RC199\"", "\"amountMinor\":19900");

        browser.submit(browser.find(By.cssSelector("#plan-RC199 a.edit-plan")));
        assertThat(browser.find(By.id("plan.code")).getAttribute("readonly")).isNotNull();
        type("plan.description", "2 GB a day");
        type("plan.amountMinor", "29900");
        browser.submit(browser.find(By.id("save-plan")));
        assertThat(browser.find(By.id("plan-RC199")).getText()).contains("29900", "2 GB a day");
        assertThat(admin().get("/admin/operators/" + operator + "/plans").body()).contains("\"amountMinor\":29900",
                "2 GB a day");

        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
        browser.submit(browser.find(By.cssSelector("#plan-RC199 button.remove-plan")));
        assertThat(browser.findAll(By.id("plan-RC199"))).isEmpty();
        assertThat(admin().get("/admin/operators/" + operator + "/plans").body()).doesNotContain("RC199");
        assertThat(admin().get("/admin/audit?target=plan:" + operator + "/RC199").json().toString())
                .contains("catalog.plan.create", "catalog.plan.change", "catalog.plan.delete");
    }

    @Test
    void aViewerSeesNoCategoryOrPlanControlsAndIsRefused() {
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/catalog");
        assertThat(browser.findAll(By.id("new-category"))).isEmpty();
        assertThat(browser.findAll(By.id("new-location"))).isEmpty();
        browser.open("/console/catalog/categories/electricity");
        assertThat(browser.findAll(By.id("save"))).isEmpty();
        browser.open("/console/catalog/operators/mseb");
        assertThat(browser.findAll(By.id("plan-form"))).isEmpty();
        assertThat(browser.findAll(By.cssSelector("button.remove-plan"))).isEmpty();

        ConsoleSession viewer = new ConsoleSession(port);
        viewer.logIn(VIEWER, VIEWER_TOKEN);
        String csrf = viewer.csrf("/console/catalog");
        HttpResponse<String> forged = viewer.post("/console/catalog/categories/electricity", "name=Hacked&group=Utility"
                + "&country=IN&providerId=8&enabled=true&_csrf=" + ConsoleSession.enc(csrf));
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> plan = viewer.post("/console/catalog/operators/mseb/plans", "code=X1&amountMinor=1000"
                + "&description=x&_csrf=" + ConsoleSession.enc(csrf));
        assertThat(plan.statusCode()).isEqualTo(403);
        assertThat(admin().get("/admin/categories/electricity").json().get("name").stringValue()).isNotEqualTo("Hacked");
        assertThat(admin().get("/admin/operators/mseb/plans").body()).doesNotContain("\"X1\"");
    }
}
