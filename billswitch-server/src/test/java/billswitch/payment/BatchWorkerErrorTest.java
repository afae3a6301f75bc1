package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.ledger.LedgerVerifier;
import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A batch worker killed by an Error (here: the operator's call, made from the worker once the batch committed,
 * throws one) through the real server: every caller waiting on that batch is answered REQUEST_IN_PROGRESS, never
 * failed (the batch committed: three holds and a settled payment); a new worker takes over, the next payment goes through, and once the janitor has
 * asked about the payments left INITIATED, each caller's repeat gets its outcome and the ledger verifies.
 */
class BatchWorkerErrorTest extends IntegrationTest {
    @Autowired
    Batches batches;
    @Autowired
    Janitor janitor;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void waitingCallersAreAnsweredInProgressAndTheWorkerIsReplaced() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String operator = faults.operator();
        String prefix = "err-" + UUID.randomUUID().toString().substring(0, 8);
        int restartsBefore = batches.restarts();
        faults.armGate();
        // The first payment holds the worker in its call; three queue behind it and go into one batch, whose first
        // call throws an Error after the batch committed.
        faults.next(Fault.BLOCK, Fault.ERROR, Fault.SUCCEED, Fault.SUCCEED, Fault.SUCCEED);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http> holder = pool.submit(() -> pay(client, operator, prefix + "-holder"));
            assertThat(faults.awaitEntered()).as("the batch worker is held in the operator's call").isTrue();
            List<Future<Http>> waiting = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String ref = prefix + "-" + i;
                waiting.add(pool.submit(() -> pay(client, operator, ref)));
            }
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (batches.waiting() < 3 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(batches.waiting()).as("three payments wait behind the held worker").isEqualTo(3);
            faults.release();

            // The held payment's answer (SUCCESS) was settled in the same batch as the three: all four callers
            // were waiting on the batch the Error killed.
            waiting.add(holder);
            for (Future<Http> f : waiting) {
                Http answer = f.get(60, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.body()).isEqualTo(409);
                assertThat(answer.errorCode()).isEqualTo("REQUEST_IN_PROGRESS");
            }
        }
        assertThat(batches.restarts()).as("a new worker took over").isEqualTo(restartsBefore + 1);

        // The next payment goes through the new worker.
        Http next = pay(client, operator, prefix + "-next");
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(next.text("status")).isEqualTo("SUCCESS");

        // The three were held (their batch committed) and never answered: INITIATED until the janitor asks. Their
        // repeats say so meanwhile; the upstream never heard of them, so the janitor's enquiry refunds them.
        Http repeat = pay(client, operator, prefix + "-1");
        assertThat(repeat.status()).as(repeat.body()).isEqualTo(409);
        assertThat(repeat.errorCode()).isEqualTo("REQUEST_IN_PROGRESS");
        faults.statusSays(billswitch.connector.spi.Outcome.FAILED);
        jdbc.sql("update orders set next_check_at = now() where partner_id = :p and status = 'INITIATED'")
                .param("p", client.partnerId).update();
        janitor.resolveDue();
        Http held = pay(client, operator, prefix + "-holder");
        assertThat(held.status()).as(held.body()).isEqualTo(200);
        assertThat(held.text("status")).as("its batch committed before the Error").isEqualTo("SUCCESS");
        for (int i = 1; i <= 3; i++) {
            Http settled = pay(client, operator, prefix + "-" + i);
            assertThat(settled.status()).as(settled.body()).isEqualTo(200);
            assertThat(settled.text("status")).isEqualTo("FAILED");
        }
        Http wallet = client.get("/v1/wallet?currency=INR");
        assertThat(wallet.json().toString()).contains("\"heldMinor\":0");
        assertThat(verifier.verify().ok()).isTrue();
    }

    private static Http pay(NativeClient client, String operator, String reference) {
        return client.post("/v1/recharges", """
                {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}"""
                .formatted(operator), reference);
    }
}
