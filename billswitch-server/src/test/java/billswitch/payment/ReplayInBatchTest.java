package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A replayed payment in a batch of fresh ones, through the real server: its batch records the marks with the
 * orders in one round trip and refuses the replay alone; the fresh payments are paid by that same batch, not
 * retried one by one.
 */
class ReplayInBatchTest extends IntegrationTest {
    private static final String BODY = """
            {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""";

    @Autowired
    private Batches batches;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private DataSource dataSource;

    private static Map<String, String> v1Headers(String idempotencyKey) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Idempotency-Key", idempotencyKey);
        return h;
    }

    @Test
    void aReplayedPaymentIsRefusedAloneAndTheFreshOnesOfItsBatchArePaid() throws Exception {
        NativeClient client = newPartner(1_000_000);
        // A version 1 signature does not cover Idempotency-Key: its copy under a new key names a new reference, so
        // its order is written with the batch's and must not stay.
        String ts = Long.toString(NativeClient.uniqueMillis());
        String signature = client.sign(ts, "POST", "/v1/recharges", BODY);
        Http original = client.sendRaw("POST", "/v1/recharges", BODY, v1Headers("orig"), ts, signature);
        assertThat(original.status()).as(original.body()).isEqualTo(200);
        int retriedBefore = batches.retriedOneByOne();

        List<Future<Http>> fresh = new ArrayList<>();
        Future<Http> replayed;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("lock table orders in exclusive mode");
            }
            // the first payment's batch waits on the lock; what comes meanwhile queues for the next batch
            fresh.add(pool.submit(() -> client.post("/v1/recharges", BODY, "fresh-1")));
            await(() -> jdbc.sql("select count(*) from pg_locks where not granted and relation = 'orders'::regclass")
                    .query(Long.class).single() > 0);
            fresh.add(pool.submit(() -> client.post("/v1/recharges", BODY, "fresh-2")));
            replayed = pool.submit(() -> client.sendRaw("POST", "/v1/recharges", BODY, v1Headers("copy"), ts, signature));
            fresh.add(pool.submit(() -> client.post("/v1/recharges", BODY, "fresh-3")));
            await(() -> batches.waiting() >= 3);
            holder.rollback();

            for (Future<Http> f : fresh) {
                Http paid = f.get();
                assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            }
            Http refused = replayed.get();
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo("REPLAYED_REQUEST");
        }

        assertThat(batches.retriedOneByOne()).as("batches retried one payment at a time").isEqualTo(retriedBefore);
        assertThat(jdbc.sql("select reference from orders where partner_id = :p order by reference")
                .param("p", client.partnerId).query(String.class).list())
                .containsExactly("fresh-1", "fresh-2", "fresh-3", "orig");
        assertThat(jdbc.sql("select count(*) from attempts a join orders o on o.id = a.order_id where o.partner_id = :p")
                .param("p", client.partnerId).query(Long.class).single()).isEqualTo(4);
    }

    /** Waits (a bounded number of polls) until the condition holds; fails if it never does. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the condition never held");
    }
}
