package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.ConsoleSession;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import billswitch.support.StubUpstream;
import billswitch.support.StubUpstream.Paid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reconciliation in the console, in a real browser: an upstream's report imported through the page settles what it
 * proves and its cases are shown with what each side says; a case is resolved with a note (none: the error next to
 * the note); a missing connector is named next to its field; the day's statements and their CSV; a viewer sees no
 * import nor resolve form and a forged one is refused; every page fits a phone.
 */
class ReconciliationConsoleTest extends ConsoleBrowserTest {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;

    @AfterEach
    void logOut() {
        browser.driver().manage().deleteAllCookies();
        browser.width(ConsoleBrowser.DESKTOP_WIDTH);
    }

    private static Path file(String name, String content) {
        try {
            Path f = Files.createTempDirectory("report").resolve(name);
            Files.writeString(f, content);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aReportImportedThroughThePageShowsItsCasesAndOneIsResolved() {
        try (StubUpstream upstream = StubUpstream.start(port, jdbc, catalog)) {
            NativeClient client = newPartner(1_000_000);
            Paid unknown = upstream.pay(client, "9876570001", "500");
            Paid paid = upstream.pay(client, "9876570002", "SUCCESS");
            assertThat(unknown.status()).isEqualTo("UNKNOWN");
            Path report = file("report.csv", "ref,reference,amount,status,time\n"
                    + "UP-1," + unknown.reference() + ",100.00,SUCCESS,09:00\n"
                    + "UP-2," + paid.reference() + ",100.00,FAILED,09:01\n"
                    + "UP-3,BSNOTOURS42,100.00,SUCCESS,09:02\n");

            browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(ADMIN, ADMIN_TOKEN).open("/console");
            browser.submit(browser.find(By.linkText("Reconciliation")));
            assertThat(browser.path()).isEqualTo("/console/reconciliation");

            // no connector chosen: named next to the field, nothing done
            browser.find(By.id("file")).sendKeys(report.toString());
            browser.submit(browser.find(By.id("reconcile")));
            assertThat(browser.find(By.id("error-connector")).getText()).contains("Choose the connector");
            assertThat(upstream.status(unknown.orderId())).isEqualTo("UNKNOWN");

            new Select(browser.find(By.id("connector"))).selectByValue(upstream.connector);
            assertThat(browser.find(By.id("date")).getAttribute("value"))
                    .isEqualTo(LocalDate.now(ZoneId.of("Asia/Kolkata")).toString());
            browser.find(By.id("file")).sendKeys(report.toString());
            browser.submit(browser.find(By.id("reconcile")));
            assertThat(browser.find(By.id("notice")).getText()).contains("Reconciled " + upstream.connector, "1 settled",
                    "2 cases opened");
            assertThat(browser.find(By.id("lines")).getText()).contains("SETTLED → SUCCESS", "STATUS_MISMATCH",
                    "MISSING_HERE", "BSNOTOURS42");
            assertThat(upstream.status(unknown.orderId())).isEqualTo("SUCCESS");
            browser.width(ConsoleBrowser.PHONE_WIDTH);
            assertThat(browser.fitsTheWindow()).isTrue();
            browser.width(ConsoleBrowser.DESKTOP_WIDTH);

            // the same file again: nothing changes
            browser.open("/console/reconciliation");
            new Select(browser.find(By.id("connector"))).selectByValue(upstream.connector);
            browser.find(By.id("file")).sendKeys(report.toString());
            browser.submit(browser.find(By.id("reconcile")));
            assertThat(browser.find(By.id("notice")).getText()).contains("reconciled before", "nothing was changed");
            assertThat(upstream.transfers(unknown, "POST_PENDING")).isEqualTo(1);

            // the open cases with what each side says
            browser.open("/console/reconciliation");
            WebElement mismatch = caseOf(upstream.connector, "STATUS_MISMATCH");
            String card = mismatch.getText();
            assertThat(card).contains(paid.orderId(), paid.reference(), "100.00 INR", "SUCCESS", "UP-2", "FAILED");
            assertThat(caseOf(upstream.connector, "MISSING_HERE").getText()).contains("UP-3", "none");
            assertThat(browser.find(By.id("runs")).getText()).contains(upstream.connector);
            browser.width(ConsoleBrowser.PHONE_WIDTH);
            assertThat(browser.fitsTheWindow()).isTrue();
            browser.width(ConsoleBrowser.DESKTOP_WIDTH);

            // resolved with a note; without one, the error next to the note
            String caseId = mismatch.getAttribute("id").substring("case-".length());
            browser.submit(browser.find(By.id("resolve-" + caseId)));
            assertThat(browser.find(By.id("error-note-" + caseId)).getText()).contains("required");
            browser.find(By.id("note-" + caseId)).sendKeys("Upstream confirmed on the phone that it was paid.");
            browser.submit(browser.find(By.id("resolve-" + caseId)));
            assertThat(browser.find(By.id("notice")).getText()).contains("Case " + caseId + " resolved by admin");
            assertThat(browser.findAll(By.id("case-" + caseId))).isEmpty();
            Http closed = admin().get("/admin/audit?action=reconciliation.case.close");
            assertThat(closed.body()).contains("reconciliation-case:" + caseId, "console POST");

            // the day's statement of this partner, and its CSV
            browser.submit(browser.find(By.id("statements-link")));
            browser.find(By.id("partner")).sendKeys(client.partnerId);
            browser.submit(browser.find(By.id("show")));
            String row = browser.find(By.id("statement-" + client.partnerId + "-INR")).getText();
            assertThat(row).contains("10000.00", "-200.00");
            browser.width(ConsoleBrowser.PHONE_WIDTH);
            assertThat(browser.fitsTheWindow()).isTrue();
            ConsoleSession session = new ConsoleSession(port);
            session.logIn(ADMIN, ADMIN_TOKEN);
            HttpResponse<String> csv = session.get(browser.find(By.id("csv")).getAttribute("href")
                    .replace("http://localhost:" + port, ""));
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment", "statements-");
            assertThat(csv.body()).startsWith("subject,date,currency,line,amount_minor,amount")
                    .contains("partner:" + client.partnerId, ",INR,payments,-20000,");
        }
    }

    private WebElement caseOf(String connector, String kind) {
        return browser.findAll(By.cssSelector("#open-cases article")).stream()
                .filter(a -> a.getText().contains(connector) && a.getText().contains(kind))
                .findFirst().orElseThrow(() -> new AssertionError("no open " + kind + " case of " + connector));
    }

    @Test
    void aViewerSeesNoFormsAndAForgedImportOrResolveIsRefused() {
        browser.width(ConsoleBrowser.DESKTOP_WIDTH).logIn(VIEWER, VIEWER_TOKEN).open("/console/reconciliation");
        assertThat(browser.findAll(By.id("import-form"))).isEmpty();
        assertThat(browser.findAll(By.cssSelector("#open-cases form"))).isEmpty();
        browser.width(ConsoleBrowser.PHONE_WIDTH);
        assertThat(browser.fitsTheWindow()).isTrue();

        ConsoleSession viewer = new ConsoleSession(port);
        viewer.logIn(VIEWER, VIEWER_TOKEN);
        String csrf = viewer.csrf("/console/reconciliation");
        HttpResponse<String> forged = viewer.postFile("/console/reconciliation/import",
                Map.of("_csrf", csrf, "connector", "sandbox", "date", LocalDate.now(ZoneId.of("Asia/Kolkata")).toString()),
                "file", "r.csv", "ref,reference,amount,status,time\n".getBytes(StandardCharsets.UTF_8));
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> resolve = viewer.post("/console/reconciliation/cases/1/close",
                "note=x&_csrf=" + ConsoleSession.enc(csrf));
        assertThat(resolve.statusCode()).isEqualTo(403);
    }
}
