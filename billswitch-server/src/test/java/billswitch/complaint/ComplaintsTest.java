package billswitch.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.ledger.LedgerVerifier;
import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Complaints through the real server: raised and read natively (a partner sees only its own), refused clearly
 * with no money moved, escalated by the deadline sweep under a clock the test sets, resolved with a refund that
 * moves money once however many resolve at once, a refund above the approval threshold waiting for a second
 * identity, and every change audited.
 */
@TestPropertySource(properties = "billswitch.admin.approval-threshold-minor=10000")
class ComplaintsTest extends IntegrationTest {

    @Autowired
    ComplaintDeadlines deadlines;
    @Autowired
    Clock clock;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    JdbcClient jdbc;

    /** A successful recharge of {@code amountMinor} (airtel-prepaid: commission 2.5%); its transaction id. */
    private String recharge(NativeClient client, long amountMinor, String reference) {
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":%d,"currency":"INR"}"""
                .formatted(amountMinor), reference);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        return paid.text("id");
    }

    private static Http complain(NativeClient client, String body) {
        return client.send("POST", "/v1/complaints", body, java.util.Map.of("Content-Type", "application/json"));
    }

    private static String notCredited(String transactionId) {
        return """
                {"transactionId":"%s","type":"NOT_CREDITED","description":"Paid, the operator shows nothing."}"""
                .formatted(transactionId);
    }

    private AdminClient identity(String role) {
        String name = role.toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        Http created = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(created.status()).isEqualTo(201);
        return new AdminClient("http://localhost:" + port, created.text("token"));
    }

    @Test
    void aPartnerRaisesAComplaintAndReadsItButNotAnotherPartnersOne() {
        NativeClient client = newPartner(1_000_000);
        String tx = recharge(client, 5000, "cmp-raise-1");

        Http raised = complain(client, notCredited(tx));
        assertThat(raised.status()).isEqualTo(201);
        String id = raised.text("id");
        assertThat(raised.text("status")).isEqualTo("INITIALIZED");
        assertThat(raised.text("transactionId")).isEqualTo(tx);
        assertThat(raised.text("reference")).isEqualTo("cmp-raise-1");
        assertThat(raised.text("disposition")).isEqualTo("D11");
        // the deadline: raised plus the type's turnaround (NOT_CREDITED: 3 days by default)
        assertThat(Duration.between(Instant.parse(raised.text("createdAt")), Instant.parse(raised.text("dueAt"))))
                .isEqualTo(Duration.ofDays(3));

        Http read = client.get("/v1/complaints/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("id")).isEqualTo(id);
        assertThat(read.text("status")).isEqualTo("INITIALIZED");

        // by the partner's reference, another type: its own deadline
        Http byReference = complain(client, """
                {"reference":"cmp-raise-1","type":"WRONG_ACCOUNT","description":"Wrong number recharged."}""");
        assertThat(byReference.status()).isEqualTo(201);
        assertThat(byReference.text("disposition")).isEqualTo("D21");
        assertThat(Duration.between(Instant.parse(byReference.text("createdAt")), Instant.parse(byReference.text("dueAt"))))
                .isEqualTo(Duration.ofDays(7));

        NativeClient other = newPartner(0);
        Http foreign = other.get("/v1/complaints/" + id);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.errorCode()).isEqualTo("COMPLAINT_NOT_FOUND");
        assertThat(client.get("/v1/complaints/abc").errorCode()).isEqualTo("COMPLAINT_NOT_FOUND");

        // unsigned: refused like every native call
        Http unsigned = client.sendRaw("POST", "/v1/complaints", notCredited(tx),
                java.util.Map.of("Content-Type", "application/json"), null, null);
        assertThat(unsigned.status()).isEqualTo(401);

        // audited as the partner's own change
        JsonNode entries = admin().get("/admin/audit?target=complaint:" + id).json().get("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("action").stringValue()).isEqualTo("complaint.raise");
        assertThat(entries.get(0).get("actor").stringValue()).isEqualTo("partner:" + client.partnerId);
    }

    @Test
    void badComplaintsAreClearNativeErrorsAndMoveNoMoney() {
        NativeClient client = newPartner(1_000_000);
        String tx = recharge(client, 5000, "cmp-bad-1");
        long available = client.availableInr();
        NativeClient other = newPartner(1_000_000);
        String othersTx = recharge(other, 5000, "cmp-bad-other");

        Http unknown = complain(client, notCredited("999999999999"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("TRANSACTION_NOT_FOUND");
        Http foreign = complain(client, notCredited(othersTx));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.errorCode()).isEqualTo("TRANSACTION_NOT_FOUND");
        Http unknownReference = complain(client, """
                {"reference":"no-such-ref","type":"PAID_TWICE","description":"x"}""");
        assertThat(unknownReference.errorCode()).isEqualTo("TRANSACTION_NOT_FOUND");

        Http badType = complain(client, """
                {"transactionId":"%s","type":"LOST","description":"x"}""".formatted(tx));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(badType.json().get("error").get("fields").has("type")).isTrue();
        Http empty = complain(client, """
                {"transactionId":"%s","type":"NOT_CREDITED","description":"   "}""".formatted(tx));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error").get("fields").has("description")).isTrue();
        Http tooLong = complain(client, """
                {"transactionId":"%s","type":"NOT_CREDITED","description":"%s"}""".formatted(tx, "x".repeat(257)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("error").get("fields").has("description")).isTrue();
        Http both = complain(client, """
                {"transactionId":"%s","reference":"cmp-bad-1","type":"NOT_CREDITED","description":"x"}""".formatted(tx));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("error").get("fields").has("transactionId")).isTrue();
        Http neither = complain(client, """
                {"type":"NOT_CREDITED","description":"x"}""");
        assertThat(neither.status()).isEqualTo(400);
        Http extra = complain(client, """
                {"transactionId":"%s","type":"NOT_CREDITED","description":"x","amount":5}""".formatted(tx));
        assertThat(extra.status()).isEqualTo(400);

        assertThat(complain(client, notCredited(tx)).status()).isEqualTo(201);
        Http duplicate = complain(client, notCredited(tx));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("COMPLAINT_EXISTS");

        assertThat(client.availableInr()).isEqualTo(available);
    }

    @Test
    void deadlinesEscalateOpenComplaintsUnderAControlledClock() {
        NativeClient client = newPartner(1_000_000);
        String tx = recharge(client, 5000, "cmp-due-1");
        String soon = complain(client, notCredited(tx)).text("id");
        String later = complain(client, """
                {"transactionId":"%s","type":"WRONG_ACCOUNT","description":"Wrong number."}""".formatted(tx)).text("id");
        String tx2 = recharge(client, 5000, "cmp-due-2");
        String closed = complain(client, notCredited(tx2)).text("id");
        assertThat(admin().post("/admin/complaints/" + closed + "/reject", "{\"reason\":\"Credited on time.\"}").status())
                .isEqualTo(200);

        deadlines.sweep(clock);
        assertThat(client.get("/v1/complaints/" + soon).text("status")).isEqualTo("INITIALIZED");

        deadlines.sweep(Clock.offset(clock, Duration.ofDays(4)));
        assertThat(client.get("/v1/complaints/" + soon).text("status")).isEqualTo("ESCALATED");
        assertThat(client.get("/v1/complaints/" + later).text("status")).isEqualTo("INITIALIZED");

        assertThat(admin().post("/admin/complaints/" + later + "/assign", null).status()).isEqualTo(200);
        deadlines.sweep(Clock.offset(clock, Duration.ofDays(8)));
        assertThat(client.get("/v1/complaints/" + later).text("status")).isEqualTo("ESCALATED");
        assertThat(client.get("/v1/complaints/" + closed).text("status")).isEqualTo("REJECTED");

        JsonNode history = admin().get("/admin/complaints/" + soon).json().get("history");
        assertThat(history.get(history.size() - 1).get("to").stringValue()).isEqualTo("ESCALATED");
        assertThat(history.get(history.size() - 1).get("actor").stringValue()).isEqualTo("system");
        JsonNode audit = admin().get("/admin/audit?target=complaint:" + soon + "&action=complaint.escalate").json()
                .get("entries");
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("actorRole").stringValue()).isEqualTo("SYSTEM");
        // an escalated complaint is still resolved by a person
        assertThat(admin().post("/admin/complaints/" + soon + "/resolve", "{\"resolution\":\"Credited now.\"}").json()
                .get("status").stringValue()).isEqualTo("RESOLVED");
    }

    @Test
    void aRefundThroughAComplaintMovesMoneyOnceEvenWhenResolvedManyTimesAtOnce() throws Exception {
        NativeClient client = newPartner(1_000_000);
        long before = client.availableInr();
        String tx = recharge(client, 5000, "cmp-refund-1");
        assertThat(client.availableInr()).isEqualTo(before - 5000 + 125 - 3); // commission less 2% TDS, half up
        String id = complain(client, notCredited(tx)).text("id");

        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<Http> resolve = () -> {
                start.await();
                return admin().post("/admin/complaints/" + id + "/resolve",
                        "{\"resolution\":\"Not credited by the operator: refunded.\",\"refund\":true}");
            };
            answers.add(pool.submit(resolve));
        }
        start.countDown();
        int ok = 0;
        for (Future<Http> f : answers) {
            Http a = f.get();
            if (a.status() == 200) {
                ok++;
                assertThat(a.json().get("status").stringValue()).isEqualTo("RESOLVED");
            } else {
                assertThat(a.status()).isEqualTo(409);
                assertThat(a.errorCode()).isEqualTo("COMPLAINT_CLOSED");
            }
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(1);

        // the wallet has exactly what it had before the payment: the hold posted and the commission both reversed
        assertThat(client.availableInr()).isEqualTo(before);
        assertThat(client.get("/v1/transactions/" + tx).text("status")).isEqualTo("REFUNDED");
        // the order's money, as the admin API and the console show it, ends with every transfer's mirror
        int mirrored = 0;
        for (tools.jackson.databind.JsonNode t : admin().get("/admin/orders/" + tx).json().get("transfers")) {
            mirrored += t.get("code").asString().equals("REVERSAL") ? 1 : 0;
        }
        assertThat(mirrored).as("the posted hold, the commission, its TDS and the upstream's share reversed").isEqualTo(4);
        Http read = client.get("/v1/complaints/" + id);
        assertThat(read.text("status")).isEqualTo("RESOLVED");
        assertThat(read.number("refundMinor")).isEqualTo(5000 - 125 + 3);
        long reversals = jdbc.sql("select count(*) from transfers where order_id = :o and code = 'REVERSAL'")
                .param("o", Long.parseLong(tx)).query(Long.class).single();
        long posted = jdbc.sql("""
                select count(*) from transfers where order_id = :o and kind in ('POSTED', 'POST_PENDING')
                and code <> 'REVERSAL'""").param("o", Long.parseLong(tx)).query(Long.class).single();
        assertThat(reversals).isEqualTo(posted).isPositive();
        assertThat(verifier.verify().ok()).isTrue();

        // another complaint on the refunded payment cannot refund it again
        String second = complain(client, """
                {"transactionId":"%s","type":"PAID_TWICE","description":"Charged twice."}""".formatted(tx)).text("id");
        Http again = admin().post("/admin/complaints/" + second + "/resolve", "{\"resolution\":\"again\",\"refund\":true}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("NOT_REFUNDABLE");
        assertThat(client.availableInr()).isEqualTo(before);

        JsonNode audit = admin().get("/admin/audit?target=complaint:" + id + "&action=complaint.resolve-with-refund")
                .json().get("entries");
        assertThat(audit).hasSize(1);
    }

    @Test
    void aRefundAboveTheThresholdWaitsForASecondIdentity() {
        NativeClient client = newPartner(1_000_000);
        long before = client.availableInr();
        String tx = recharge(client, 19900, "cmp-approve-1");
        long paid = client.availableInr();
        String id = complain(client, notCredited(tx)).text("id");
        AdminClient first = identity("OPERATIONS");
        AdminClient second = identity("OPERATIONS");
        AdminClient viewer = identity("READ_ONLY");

        assertThat(viewer.post("/admin/complaints/" + id + "/resolve", "{\"resolution\":\"x\",\"refund\":true}").status())
                .isEqualTo(403);
        Http filed = first.post("/admin/complaints/" + id + "/resolve", "{\"resolution\":\"Refunded.\",\"refund\":true}");
        assertThat(filed.status()).isEqualTo(202);
        String approval = filed.json().get("approval").get("id").stringValue();
        assertThat(filed.json().get("approval").get("action").stringValue()).isEqualTo("COMPLAINT_REFUND");
        assertThat(client.availableInr()).isEqualTo(paid);
        assertThat(client.get("/v1/complaints/" + id).text("status")).isEqualTo("INITIALIZED");

        assertThat(first.post("/admin/approvals/" + approval + "/approve", null).status()).isEqualTo(403);
        assertThat(viewer.post("/admin/approvals/" + approval + "/approve", null).status()).isEqualTo(403);
        Http approved = second.post("/admin/approvals/" + approval + "/approve", null);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.text("status")).isEqualTo("APPROVED");

        assertThat(client.get("/v1/complaints/" + id).text("status")).isEqualTo("RESOLVED");
        assertThat(client.get("/v1/transactions/" + tx).text("status")).isEqualTo("REFUNDED");
        assertThat(client.availableInr()).isEqualTo(before);
        assertThat(second.post("/admin/approvals/" + approval + "/approve", null).status()).isEqualTo(200);
        assertThat(client.availableInr()).isEqualTo(before);
        assertThat(verifier.verify().ok()).isTrue();
    }
}
