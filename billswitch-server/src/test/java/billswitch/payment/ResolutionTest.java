package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The status janitor settles what the first answer could not, and never refunds blindly. */
class ResolutionTest extends IntegrationTest {

    @Autowired
    Janitor janitor;
    @Autowired
    JdbcClient jdbc;

    private void makeDue(String orderId) {
        jdbc.sql("update orders set next_check_at = now() - interval '1 second' where id = :id")
                .param("id", Long.parseLong(orderId)).update();
    }

    /** Runs janitor passes until none claims anything (only orders a test made due are claimable). */
    private void runJanitor() {
        while (janitor.resolveDue() > 0) {
            // next batch
        }
    }

    private String recharge(NativeClient client, String account, String key) {
        Http answer = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"%s","amountMinor":19900,"currency":"INR"}""".formatted(account), key);
        assertThat(answer.status()).isEqualTo(202);
        return answer.text("id");
    }

    /** A recharge of 100.00 through the fault-injecting operator. */
    private String hangingRechargeBody() {
        return """
                {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}""".formatted(faults.operator());
    }

    /** A payment whose upstream call hangs until {@code faults.release()}; its answer is set once it comes. */
    private record Hanging(String orderId, Thread thread, AtomicReference<Http> answer) {
    }

    /** Sends the recharge and returns once its order is held and the upstream call has started (and hangs). */
    private Hanging hangingRecharge(NativeClient client, String body, String reference) throws InterruptedException {
        faults.next(billswitch.support.FaultInjectingConnector.Fault.HANG);
        faults.armGate();
        AtomicReference<Http> answer = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().start(() -> answer.set(client.post("/v1/recharges", body, reference)));
        assertThat(faults.awaitEntered()).isTrue();
        String id = Long.toString(jdbc.sql("select id from orders where reference = :reference")
                .param("reference", reference).query(Long.class).single());
        return new Hanging(id, thread, answer);
    }

    private String status(NativeClient client, String id) {
        return client.get("/v1/transactions/" + id).text("status");
    }

    @Test
    void anUnansweredPaymentStaysHeldWhileProcessingThenSucceeds() {
        NativeClient client = newPartner(1_000_000);
        String id = recharge(client, "9876543219", "res-9");

        makeDue(id);
        runJanitor();
        // the sandbox still says "processing" within resolve-delay: the money stays held, nothing is refunded
        assertThat(status(client, id)).isIn("PENDING", "SUCCESS");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            makeDue(id);
            runJanitor();
            assertThat(status(client, id)).isEqualTo("SUCCESS");
        });
        // commission Rs 4.97 less its TDS (2%: Rs 0.10)
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 19_900 + 497 - 10);
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    @Test
    void aLateFailureIsRefundedAndEveryDialectSaysSo() {
        NativeClient client = newPartner(1_000_000);
        String id = recharge(client, "9876543299", "res-99");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            makeDue(id);
            runJanitor();
            assertThat(status(client, id)).isEqualTo("REFUNDED");
        });
        JsonNode order = client.get("/v1/transactions/" + id).json();
        assertThat(order.get("refund").get("amountMinor").longValue()).isEqualTo(19_900);
        assertThat(client.availableInr()).isEqualTo(1_000_000);
        JsonNode refund = client.get("/v1/wallet/statement?currency=INR&limit=1").json().get("entries").get(0);
        assertThat(refund.get("type").stringValue()).isEqualTo("REFUND");
        assertThat(refund.get("transactionId").stringValue()).isEqualTo(id);
    }

    @Test
    void theRefundShowsInTheAopayEkoAndAppotaStatusAnswers() {
        RawClient raw = new RawClient("http://localhost:" + port);
        Map<String, String> json = Map.of("Content-Type", "application/json");
        Http pending = raw.post("/api/AOP/DoRecharge", """
                {"operator":"518","canumber":"9876543299","amount":"10","referenceid":"aop-late-99","RegisterID":"AOP-554"}""", json);
        assertThat(pending.json().get("response_code").intValue()).isEqualTo(2);
        String id = Long.toString(pending.json().get("ackno").longValue());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            makeDue(id);
            runJanitor();
            Http status = raw.post("/api/AOP/RechargesStatus", """
                    {"registrationID":"AOP-554","referenceid":"aop-late-99"}""", json);
            assertThat(status.json().get("response_code").intValue()).isEqualTo(4);
            assertThat(status.json().get("refunded").stringValue()).isEqualTo("1");
        });
    }

    @Test
    void anOrderUnsettledPastTheMaximumAgeWaitsForReviewAndAnOperatorSettlesIt() {
        NativeClient client = newPartner(1_000_000);
        String id = recharge(client, "9876543219", "review-1");
        jdbc.sql("update orders set created_at = now() - interval '3 days' where id = :id").param("id", Long.parseLong(id)).update();
        jdbc.sql("update attempts set started_at = now() where order_id = :id").param("id", Long.parseLong(id)).update();
        makeDue(id);
        runJanitor();
        assertThat(status(client, id)).isEqualTo("NEEDS_REVIEW");
        assertThat(client.get("/v1/wallet?currency=INR").json().get("wallets").get(0).get("heldMinor").longValue()).isEqualTo(19_900);

        Http listed = admin().get("/admin/orders/review");
        assertThat(listed.body()).contains("\"id\":\"" + id + "\"");
        assertThat(admin().post("/admin/orders/" + id + "/settle", "{\"outcome\":\"MAYBE\",\"reason\":\"x\"}").errorCode())
                .isEqualTo("INVALID_REQUEST");
        Http settled = admin().post("/admin/orders/" + id + "/settle",
                "{\"outcome\":\"FAILED\",\"reason\":\"Operator confirmed by phone: not credited (ticket 4411)\"}");
        assertThat(settled.text("status")).isEqualTo("REFUNDED");
        assertThat(client.availableInr()).isEqualTo(1_000_000);
        assertThat(admin().post("/admin/orders/" + id + "/settle", "{\"outcome\":\"SUCCESS\",\"reason\":\"again\"}").errorCode())
                .isEqualTo("NOT_IN_REVIEW");
        assertThat(jdbc.sql("select review_reason from orders where id = :id").param("id", Long.parseLong(id))
                .query(String.class).single()).contains("ticket 4411");
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    @Test
    void anOrderOrphanedMidCallIsSettledAndItsReplayGetsTheOutcome() throws InterruptedException {
        NativeClient client = newPartner(1_000_000);
        String body = hangingRechargeBody();
        try {
            // the process "died" after the hold: the order is INITIATED with no answer stored
            Hanging call = hangingRecharge(client, body, "orphan-1");
            String id = call.orderId();
            assertThat(client.post("/v1/recharges", body, "orphan-1").errorCode()).isEqualTo("REQUEST_IN_PROGRESS");
            makeDue(id);
            runJanitor();   // the faulty connector's status says PENDING; the order is no longer INITIATED
            assertThat(status(client, id)).isEqualTo("PENDING");
            Http replay = client.post("/v1/recharges", body, "orphan-1");
            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.text("status")).isEqualTo("PENDING");

            // the slow call finally answers SUCCESS: that answer still settles the order, once
            faults.release();
            call.thread().join();
            assertThat(status(client, id)).isEqualTo("SUCCESS");
            assertThat(client.availableInr()).isEqualTo(1_000_000 - 10_000);
            // and the first answer given stays the answer to replays
            assertThat(client.post("/v1/recharges", body, "orphan-1").body()).isEqualTo(replay.body());
        } finally {
            faults.release();
        }
    }

    @Test
    void aSuccessArrivingAfterTheJanitorLearnedOfADeclineWaitsForReviewAndMovesNoMoney() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String body = hangingRechargeBody();
        try {
            Hanging call = hangingRecharge(client, body, "late-first-1");
            String id = call.orderId();
            // the janitor learns the payment, never answered, was declined: FAILED, refunded once
            faults.statusSays(billswitch.connector.spi.Outcome.FAILED);
            makeDue(id);
            runJanitor();
            assertThat(status(client, id)).isEqualTo("FAILED");
            assertThat(client.availableInr()).isEqualTo(1_000_000);

            // the hung call now says SUCCESS: it contradicts the refund, so the order waits for a reviewer, and no
            // money moves until one decides
            faults.release();
            call.thread().join();
            assertThat(call.answer().get().text("status")).isEqualTo("NEEDS_REVIEW");
            assertThat(status(client, id)).isEqualTo("NEEDS_REVIEW");
            assertThat(client.availableInr()).isEqualTo(1_000_000);
            assertThat(jdbc.sql("select count(*) from transfers where order_id = :id").param("id", Long.parseLong(id))
                    .query(Long.class).single()).isEqualTo(2);   // the hold and its void, nothing else
            assertThat(jdbc.sql("select contested_refund #>> '{success,operatorRef}' from orders where id = :id")
                    .param("id", Long.parseLong(id)).query(String.class).single()).isEqualTo("FLT" + id);
            assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
        } finally {
            faults.release();
        }
    }
}
