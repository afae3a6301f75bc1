package billswitch.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.ConsoleSession;
import billswitch.support.Http;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole catalog exported and imported in the console, and an upstream's operator list: the download is the admin
 * API's export; an edited file (larger than the server's other multipart bodies may be) is previewed with its change
 * and nothing written, then applied; a bad file's errors name their place; Apply applies only the previewed file; a
 * viewer sees no import controls and a forged import is refused 403; the page fits a phone.
 */
class CatalogImportConsoleTest extends ConsoleBrowserTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @AfterEach
    void logOut() {
        browser.driver().manage().deleteAllCookies();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
    }

    private String operator() {
        String id = "console-import-" + UUID.randomUUID().toString().substring(0, 8);
        Http made = admin().post("/admin/operators", """
                {"id":"%s","name":"Import Water","categoryId":"water","kind":"UTILITY","country":"IN","currency":"INR",
                 "fetchOption":"OPTIONAL","exactness":"EXACT","minAmountMinor":100,"maxAmountMinor":100000,
                 "params":[{"name":"utility_acc_no","label":"Consumer","type":"Numeric","account":true}]}""".formatted(id));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return id;
    }

    /** The file with the operator's name changed, padded past 64 KB with whitespace (still the same JSON). */
    private static byte[] renamed(String export, String id, String name) {
        ObjectNode root = (ObjectNode) JSON.readTree(export);
        for (JsonNode o : root.get("operators")) {
            if (o.get("id").stringValue().equals(id)) {
                ((ObjectNode) o).put("name", name);
            }
        }
        return (JSON.writeValueAsString(root) + " ".repeat(100_000) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Path file(String name, byte[] content) {
        try {
            Path f = Files.createTempDirectory("catalog-import").resolve(name);
            Files.write(f, content);
            return f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anExportedFileEditedIsPreviewedThenApplied() {
        String id = operator();
        ConsoleSession session = new ConsoleSession(port);
        session.logIn(ADMIN, ADMIN_TOKEN);
        HttpResponse<String> download = session.get("/console/catalog/export");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition").orElse("")).contains("catalog.json");
        assertThat(JSON.readTree(download.body())).isEqualTo(JSON.readTree(admin().get("/admin/catalog/export").body()));

        byte[] edited = renamed(download.body(), id, "Import Water Renamed");
        assertThat(edited.length).as("larger than the 64 KB other multipart bodies may be").isGreaterThan(100_000);
        browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(ADMIN, ADMIN_TOKEN).open("/console/catalog");
        browser.submit(browser.find(By.id("catalog-import")));
        browser.find(By.id("file")).sendKeys(file("catalog.json", edited).toString());
        browser.submit(browser.find(By.id("preview")));
        String preview = browser.find(By.id("preview-operators")).getText();
        assertThat(preview).contains(id + " (name)");
        assertThat(admin().get("/admin/operators/" + id).json().get("name").stringValue())
                .as("a preview writes nothing").isEqualTo("Import Water");
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);

        browser.submit(browser.find(By.id("apply")));
        assertThat(browser.find(By.id("import-applied")).getText()).contains("1 changed");
        assertThat(admin().get("/admin/operators/" + id).json().get("name").stringValue()).isEqualTo("Import Water Renamed");
        assertThat(admin().get("/admin/audit?action=catalog.import").json().toString()).contains("\"actor\":\"admin\"");

        // applied once: the kept file is gone, a second Apply (a stale page) is refused and changes nothing
        String csrf = session.csrf("/console/catalog/import");
        HttpResponse<String> stale = session.post("/console/catalog/import/apply", "digest=" + "0".repeat(64)
                + "&_csrf=" + ConsoleSession.enc(csrf));
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).contains("upload the file and preview it again");
        // the 16 MiB limit is this form's alone: the same file to another form is over the 64 KB multipart limit
        HttpResponse<String> small = session.postFile("/console/catalog/categories", Map.of("_csrf", csrf), "file",
                "catalog.json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(small.statusCode()).as("the same form, small: read and answered").isEqualTo(200);
        assertThat(small.body()).contains("is required");
        HttpResponse<String> elsewhere = session.postFile("/console/catalog/categories", Map.of("_csrf", csrf), "file",
                "catalog.json", edited);
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("INVALID_REQUEST");
    }

    @Test
    void aBadFilesErrorsNameTheirPlaceAndNothingIsApplied() {
        browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(ADMIN, ADMIN_TOKEN).open("/console/catalog/import");
        byte[] bad = """
                {"format":"billswitch-catalog/1","categories":[],"locations":[],
                 "operators":[{"name":"No Id","categoryId":"water"}]}""".getBytes(StandardCharsets.UTF_8);
        browser.find(By.id("file")).sendKeys(file("bad.json", bad).toString());
        browser.submit(browser.find(By.id("preview")));
        assertThat(browser.find(By.id("error-file")).getText()).contains("invalid field");
        assertThat(browser.find(By.id("import-errors")).getText()).contains("operators[0].id");
        assertThat(browser.findAll(By.id("apply"))).isEmpty();
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();
    }

    @Test
    void anUpstreamsOperatorListIsPulledPreviewedAndApplied() {
        WireMockServer eko = new WireMockServer(options().dynamicPort());
        eko.start();
        try {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            int code = 900_000 + ThreadLocalRandom.current().nextInt(90_000);
            String connector = "eko-console-" + tag;
            Http created = admin().post("/admin/connectors", """
                    {"name":"%s","type":"eko","baseUrl":"http://localhost:%d","timeouts":{"connectMs":500,"readMs":2000},
                     "credentials":{"developerKey":"becbbce45f79c6f5109f848acd540567",
                      "accessKey":"d2fe1d99-6298-4af2-8cc5-d97dcf46df30","initiatorId":"9962981729","userCode":"20810200"}}"""
                    .formatted(connector, eko.port()));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            eko.stubFor(get(urlPathEqualTo("/ekoapi/v2/billpayments/operators")).willReturn(aResponse().withBody("""
                    {"status":0,"response_status_id":-1,"response_type_id":1000,"message":"Success","data":[
                      {"operator_id":%d,"name":"Console Eko Water %s","billFetchResponse":1,"high_commission_channel":0,
                       "kyc_required":0,"operator_category":11,"location_id":1}]}""".formatted(code, tag))));
            eko.stubFor(get(urlPathEqualTo("/ekoapi/v2/billpayments/operators/" + code)).willReturn(aResponse().withBody("""
                    {"status":0,"response_status_id":-1,"response_type_id":1000,"message":"Success","operator_id":%d,
                     "fetchBill":1,"BBPS":1,"data":[{"param_name":"utility_acc_no","param_label":"K Number","param_id":1,
                      "param_type":"Numeric","regex":"^[0-9]{12}$","error_message":"K Number is 12 digits"}]}"""
                    .formatted(code))));

            browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(ADMIN, ADMIN_TOKEN).open("/console/connectors/" + connector);
            browser.submit(browser.find(By.id("upstream-import-link")));
            assertThat(new Select(browser.find(By.id("connector"))).getFirstSelectedOption().getAttribute("value"))
                    .isEqualTo(connector);
            browser.submit(browser.find(By.id("upstream-preview")));
            assertThat(browser.find(By.id("upstream-table")).getText()).contains("eko-" + code);
            assertThat(admin().get("/admin/operators/eko-" + code).status()).as("a preview writes nothing").isEqualTo(404);
            browser.submit(browser.find(By.id("upstream-apply")));
            assertThat(browser.find(By.id("upstream-applied")).getText()).contains("1 created");
            JsonNode operator = admin().get("/admin/operators/eko-" + code).json();
            assertThat(operator.get("params").get(0).get("regex").stringValue()).isEqualTo("^[0-9]{12}$");
            assertThat(operator.get("enabled").booleanValue()).isFalse();
        } finally {
            eko.stop();
        }
    }

    @Test
    void aViewerSeesNoImportControlsAndAForgedImportIsRefused() {
        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/catalog/import");
        assertThat(browser.findAll(By.id("export-download"))).hasSize(1);
        assertThat(browser.findAll(By.id("import-form"))).isEmpty();
        assertThat(browser.findAll(By.id("upstream-form"))).isEmpty();
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();

        ConsoleSession viewer = new ConsoleSession(port);
        viewer.logIn(VIEWER, VIEWER_TOKEN);
        String csrf = viewer.csrf("/console/catalog");
        String export = admin().get("/admin/catalog/export").body();
        HttpResponse<String> preview = viewer.postFile("/console/catalog/import/preview", Map.of("_csrf", csrf), "file",
                "catalog.json", export.getBytes(StandardCharsets.UTF_8));
        assertThat(preview.statusCode()).isEqualTo(403);
        HttpResponse<String> apply = viewer.post("/console/catalog/import/apply", "digest=x&_csrf=" + ConsoleSession.enc(csrf));
        assertThat(apply.statusCode()).isEqualTo(403);
        HttpResponse<String> upstream = viewer.post("/console/catalog/upstream-import/apply",
                "digest=x&_csrf=" + ConsoleSession.enc(csrf));
        assertThat(upstream.statusCode()).isEqualTo(403);
    }
}
