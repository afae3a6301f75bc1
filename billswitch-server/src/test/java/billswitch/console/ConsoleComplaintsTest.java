package billswitch.console;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.ConsoleBrowser;
import billswitch.support.ConsoleBrowserTest;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.TestPropertySource;

/**
 * The console's complaints in a real browser: raised for a partner, taken, resolved with a refund (the payment
 * REFUNDED, the partner told), a refund above the threshold (100.00 here, as ConsolePartnersTest, so they share one
 * Spring context) waiting for a second person on the approvals page; refused input next to its field; the list's
 * filters; a viewer changes nothing; the pages fit a phone.
 */
@TestPropertySource(properties = "billswitch.admin.approval-threshold-minor=10000")
class ConsoleComplaintsTest extends ConsoleBrowserTest {

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

    private String pay(NativeClient client, long amountMinor, String reference) {
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":%d,"currency":"INR"}"""
                .formatted(amountMinor), reference);
        assertThat(paid.text("status")).as(paid.body()).isEqualTo("SUCCESS");
        return paid.text("id");
    }

    /** A new OPERATIONS identity: its name and token. */
    private String[] operations() {
        String name = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        Http ops = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"OPERATIONS\"}".formatted(name));
        assertThat(ops.status()).as(ops.body()).isEqualTo(201);
        return new String[] {name, ops.text("token")};
    }

    private String complaintIdFromPath() {
        String path = browser.path();
        assertThat(path).matches("/console/complaints/[0-9]+");
        return path.substring("/console/complaints/".length());
    }

    @Test
    void anOperatorRaisesAComplaintForAPartnerTakesItAndResolvesItWithARefund() {
        NativeClient client = newPartner(1_000_000);
        String reference = "cc-" + UUID.randomUUID().toString().substring(0, 8);
        String tx = pay(client, 5_000, reference);
        long afterPayment = client.availableInr();

        browser.logIn(ADMIN, ADMIN_TOKEN).open("/console");
        browser.submit(browser.find(By.linkText("Complaints")));
        assertThat(browser.path()).isEqualTo("/console/complaints");

        // a reference the partner never used: refused next to the field, nothing raised
        type("partnerId", client.partnerId);
        type("raise-reference", "no-such-" + reference);
        type("description", "Recharged, no credit");
        browser.submit(browser.find(By.id("raise-button")));
        assertThat(browser.find(By.id("error-reference")).getText()).contains("no such payment");
        assertThat(browser.find(By.id("partnerId")).getAttribute("value")).isEqualTo(client.partnerId);

        type("raise-reference", reference);
        new Select(browser.find(By.id("type"))).selectByValue("NOT_CREDITED");
        browser.submit(browser.find(By.id("raise-button")));
        String id = complaintIdFromPath();
        assertThat(browser.find(By.id("notice")).getText()).contains("Complaint " + id + " raised for " + client.partnerId);
        assertThat(browser.find(By.id("complaint-status")).getText()).isEqualTo("INITIALIZED");
        assertThat(browser.find(By.id("complaint-transaction")).getText()).isEqualTo(tx);
        assertThat(browser.find(By.id("forward-state")).getText()).isEqualTo("PENDING");
        assertThat(client.get("/v1/complaints/" + id).text("status")).isEqualTo("INITIALIZED");

        browser.submit(browser.find(By.id("assign")));
        assertThat(browser.find(By.id("complaint-status")).getText()).isEqualTo("ASSIGNED");
        assertThat(browser.find(By.id("complaint-assignee")).getText()).isEqualTo(ADMIN);

        // no resolution: refused next to it, nothing refunded
        browser.find(By.id("refund")).click();
        browser.submit(browser.find(By.id("resolve")));
        assertThat(browser.find(By.id("error-resolution")).getText()).isEqualTo("must not be empty");
        assertThat(browser.find(By.id("complaint-status")).getText()).isEqualTo("ASSIGNED");
        assertThat(client.availableInr()).isEqualTo(afterPayment);

        type("resolution", "Not credited by the operator: refunded.");
        if (!browser.find(By.id("refund")).isSelected()) {
            browser.find(By.id("refund")).click();
        }
        browser.submit(browser.find(By.id("resolve")));
        assertThat(browser.find(By.id("notice")).getText()).contains("resolved, the payment refunded");
        assertThat(browser.find(By.id("complaint-status")).getText()).isEqualTo("RESOLVED");
        assertThat(browser.find(By.id("order-status")).getText()).isEqualTo("REFUNDED");
        assertThat(browser.find(By.id("complaint-refund")).getText()).isNotBlank();
        assertThat(browser.findAll(By.id("resolve"))).as("a closed complaint has no forms").isEmpty();
        assertThat(browser.find(By.id("history")).getText()).contains("INITIALIZED", "ASSIGNED", "RESOLVED");
        assertThat(browser.find(By.id("audit")).getText()).contains("complaint.raise", "complaint.assign",
                "complaint.resolve-with-refund");

        Http seen = client.get("/v1/complaints/" + id);
        assertThat(seen.text("status")).isEqualTo("RESOLVED");
        assertThat(seen.text("resolution")).isEqualTo("Not credited by the operator: refunded.");
        assertThat(client.availableInr()).isGreaterThan(afterPayment);

        // the list, filtered
        browser.open("/console/complaints?status=RESOLVED&partner=" + client.partnerId);
        assertThat(browser.find(By.id("complaints")).getText()).contains(id, "RESOLVED");
        browser.open("/console/complaints?overdue=on&partner=" + client.partnerId);
        assertThat(browser.find(By.id("complaints")).getText()).doesNotContain(id).contains("No complaints match.");
        browser.open("/console/complaints?status=LOST");
        assertThat(browser.find(By.id("error-status")).getText()).contains("must be one of");

        browser.width(ConsoleBrowser.PHONE_WIDTH).open("/console/complaints");
        assertThat(browser.fitsTheWindow()).as("the list fits a phone").isTrue();
        browser.open("/console/complaints/" + id);
        assertThat(browser.fitsTheWindow()).as("a complaint fits a phone").isTrue();
    }

    @Test
    void aRefundAboveTheThresholdWaitsForASecondPersonOnTheApprovalsPage() {
        NativeClient client = newPartner(1_000_000);
        String reference = "cc-big-" + UUID.randomUUID().toString().substring(0, 8);
        pay(client, 20_000, reference);
        String id = client.send("POST", "/v1/complaints", """
                {"reference":"%s","type":"PAID_TWICE","description":"Debited twice"}""".formatted(reference),
                Map.of("Content-Type", "application/json")).text("id");
        long afterPayment = client.availableInr();

        // two operations people (neither created the other: the approver must not be the requester's creation)
        String[] requester = operations();
        String[] approver = operations();
        browser.logIn(requester[0], requester[1]).open("/console/complaints/" + id);
        type("resolution", "Debited twice: refunded.");
        browser.find(By.id("refund")).click();
        browser.submit(browser.find(By.id("resolve")));
        assertThat(browser.path()).startsWith("/console/approvals/");
        assertThat(browser.find(By.id("notice")).getText()).contains("second person");
        assertThat(browser.find(By.id("approval-complaint")).getText()).isEqualTo(id);
        assertThat(browser.findAll(By.id("approve"))).as("not by the requester").isEmpty();
        String approvalPath = browser.path();
        assertThat(client.get("/v1/complaints/" + id).text("status")).isEqualTo("INITIALIZED");
        assertThat(client.availableInr()).isEqualTo(afterPayment);

        browser.driver().manage().deleteAllCookies();
        browser.logIn(approver[0], approver[1]).open(approvalPath);
        WebElement page = browser.find(By.tagName("html"));
        browser.find(By.id("approve")).click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        browser.awaitNextPage(page);
        assertThat(browser.find(By.id("approval-status")).getText()).isEqualTo("APPROVED");
        assertThat(browser.find(By.id("approval-result")).getText()).contains("Complaint " + id + " is RESOLVED");

        browser.submit(browser.find(By.id("approval-complaint")));
        assertThat(browser.find(By.id("complaint-status")).getText()).isEqualTo("RESOLVED");
        assertThat(client.get("/v1/complaints/" + id).text("status")).isEqualTo("RESOLVED");
        assertThat(client.availableInr()).isGreaterThan(afterPayment);
    }

    @Test
    void aViewerSeesComplaintsButNoFormToChangeThem() {
        NativeClient client = newPartner(1_000_000);
        String reference = "cc-v-" + UUID.randomUUID().toString().substring(0, 8);
        pay(client, 5_000, reference);
        String id = client.send("POST", "/v1/complaints", """
                {"reference":"%s","type":"WRONG_ACCOUNT","description":"Wrong number"}""".formatted(reference),
                Map.of("Content-Type", "application/json")).text("id");

        browser.logIn(VIEWER, VIEWER_TOKEN).open("/console/complaints");
        assertThat(browser.find(By.id("complaints")).getText()).contains(id);
        assertThat(browser.findAll(By.id("raise"))).isEmpty();
        browser.open("/console/complaints/" + id);
        assertThat(browser.find(By.id("complaint-description")).getText()).isEqualTo("Wrong number");
        assertThat(browser.findAll(By.id("assign"))).isEmpty();
        assertThat(browser.findAll(By.id("resolve"))).isEmpty();
        browser.open("/console/complaints/abc");
        assertThat(browser.text()).doesNotContain("Exception");
    }
}
