package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.spi.Outcome;
import billswitch.ledger.LedgerVerifier;
import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Through the real server with a connector that answers late: the janitor re-asked an INITIATED payment (its call
 * still out), the upstream said "declined" and the order was refunded; then the call answers SUCCESS. The order
 * waits for review with both facts (NEEDS_REVIEW, the contested refund shown by the admin API), no money moves, and
 * the ledger verifies.
 */
class LateAnswerTest extends IntegrationTest {
    private static final long FUNDING = 1_000_000;

    @Autowired
    Janitor janitor;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aSuccessArrivingAfterTheJanitorRefundedGoesToReview() throws Exception {
        NativeClient client = newPartner(FUNDING);
        String operator = faults.operator();
        String reference = "late-" + UUID.randomUUID().toString().substring(0, 8);
        faults.armGate();
        faults.next(Fault.HANG);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http> answer = pool.submit(() -> client.post("/v1/recharges", """
                    {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}"""
                    .formatted(operator), reference));
            assertThat(faults.awaitEntered()).as("the operator's call is out").isTrue();
            long orderId = jdbc.sql("select id from orders where partner_id = :p and reference = :r")
                    .param("p", client.partnerId).param("r", reference).query(Long.class).single();

            // The janitor asks about it (its grace taken as passed) and the upstream says declined: refunded.
            faults.statusSays(Outcome.FAILED);
            jdbc.sql("update orders set next_check_at = now() where id = :id").param("id", orderId).update();
            janitor.resolveDue();
            assertThat(admin().get("/admin/orders/" + orderId).text("status")).isEqualTo("FAILED");
            assertThat(client.availableInr()).isEqualTo(FUNDING);

            // Then the call answers: paid.
            faults.release();
            Http late = answer.get(60, TimeUnit.SECONDS);
            assertThat(late.status()).as(late.body()).isLessThan(300);
            assertThat(late.text("status")).isEqualTo("NEEDS_REVIEW");

            JsonNode order = admin().get("/admin/orders/" + orderId).json();
            assertThat(order.get("status").stringValue()).isEqualTo("NEEDS_REVIEW");
            assertThat(order.get("contestedRefund").get("refund").get("code").stringValue()).isEqualTo("DECLINED");
            assertThat(order.get("contestedRefund").get("success").get("operatorRef").stringValue()).isEqualTo("FLT" + orderId);
            assertThat(admin().get("/admin/orders/review?limit=500").body()).contains("\"" + orderId + "\"");
            // The refund stands until a reviewer decides: the wallet has all its money, nothing held.
            assertThat(client.availableInr()).isEqualTo(FUNDING);
            assertThat(jdbc.sql("select count(*) from transfers where order_id = :id").param("id", orderId)
                    .query(Long.class).single()).isEqualTo(2);
            assertThat(verifier.verify().ok()).isTrue();
        } finally {
            faults.release();
        }
    }
}
