package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowserTest;
import billswitch.support.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/** Editing one field of an operator in the console changes that field: not its routes, not its other parameters. */
class OperatorEditKeepsTest extends ConsoleBrowserTest {

    @Test
    void renamingAnOperatorKeepsItsSixParametersAndItsRoutesCostsAndWeights() {
        String id = "keep-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder params = new StringBuilder("{\"name\":\"acc\",\"label\":\"Account\",\"type\":\"Numeric\",\"regex\":\"^[0-9]{10}$\",\"errorMessage\":\"ten digits\",\"account\":true}");
        for (int i = 1; i < 6; i++) {
            params.append(",{\"name\":\"p").append(i).append("\",\"label\":\"P").append(i)
                    .append("\",\"type\":\"AlphaNumeric\",\"required\":true}");
        }
        Http created = admin().post("/admin/operators", """
                {"id":"%s","name":"Keep Me","categoryId":"broadband","kind":"UTILITY","country":"IN","currency":"INR",
                 "fetchOption":"OPTIONAL","exactness":"ADHOC","minAmountMinor":100,"maxAmountMinor":100000,
                 "params":[%s]}""".formatted(id, params));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String stub = "keep-up-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(admin().post("/admin/connectors", """
                {"name":"%s","type":"stub","baseUrl":"http://127.0.0.1:9","credentials":{"token":"t"},
                 "timeouts":{"connectMs":500,"readMs":1000},"maxInFlight":5}""".formatted(stub)).status()).isEqualTo(201);
        Http routed = admin().send("PUT", "/admin/operators/" + id + "/routes", """
                [{"connector":"sandbox","upstreamCode":"%s","priority":1,"weight":3,"cost":50},
                 {"connector":"%s","upstreamCode":"X-%s","priority":1,"weight":1,"cost":80}]""".formatted(id, stub, id));
        assertThat(routed.status()).as(routed.body()).isEqualTo(200);
        String routesBefore = admin().get("/admin/operators/" + id + "/routes").body();

        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console/catalog/operators/" + id);
        assertThat(browser.findAll(By.cssSelector("input[name$='.name'][name^='params[']")))
                .as("a row for each of the six parameters and one blank").hasSizeGreaterThanOrEqualTo(7);
        WebElement name = browser.find(By.id("name"));
        name.clear();
        name.sendKeys("Kept");
        browser.submit(browser.find(By.id("save")));

        JsonNode operator = admin().get("/admin/operators/" + id).json();
        JsonNode detail = operator.has("operator") ? operator.get("operator") : operator;
        assertThat(detail.get("name").asString()).isEqualTo("Kept");
        JsonNode stored = operator.has("params") ? operator.get("params") : detail.get("params");
        assertThat(stored).hasSize(6);
        assertThat(admin().get("/admin/operators/" + id + "/routes").body()).isEqualTo(routesBefore);
        browser.driver().manage().deleteAllCookies();
    }
}
