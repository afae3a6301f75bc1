package billswitch.it;

import static billswitch.it.ProcessTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The README's production deployment, failed over for real: a PostgreSQL primary and a synchronous streaming
 * standby (real servers, {@link PostgresPair}), the packaged jar on the multi-host URL
 * ({@code targetServerType=primary}), 8 partners' clients paying. The primary is SIGKILLed and the standby
 * promoted (pg_ctl promote). Then: payments resume; no request was ever answered 500 (every answer is an
 * outcome, "in progress", or 503 DATABASE_UNAVAILABLE / BUSY with Retry-After); every payment answered SUCCESS
 * is in the promoted database as SUCCESS; no reference is charged twice; the ledger verifies.
 */
class DatabaseFailoverIT {
    private static final int CLIENTS = 8;
    private static final long FUNDING = 1_000_000_000L;
    private static final String BODY = """
            {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""";

    /** What the clients heard. */
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, String> finalAnswers = new ConcurrentHashMap<>();
    private final Queue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger retryable = new AtomicInteger();

    @Test
    void promotingTheStandbyAfterThePrimaryDiesLosesNoAcknowledgedPaymentAndAnswersNo500() throws Exception {
        try (PostgresPair pg = PostgresPair.start()) {
            ServerProcess server = new ServerProcess(pg.multiHostJdbc(), pg.dir(), ProcessTestSupport.fastSchedulesWith(
                    "--billswitch.sandbox.allow-external-database=true",
                    // a request waits this long for a connection before it is answered 503 DATABASE_UNAVAILABLE
                    "--billswitch.db.connection-timeout=5s")).start();
            try {
                List<NativeClient> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(ProcessTestSupport.newPartner(server.baseUrl(), "FAILOVER-" + c, FUNDING, null)
                            .client(server.baseUrl()));
                }
                AtomicBoolean paying = new AtomicBoolean(true);
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int c = 0; c < CLIENTS; c++) {
                        NativeClient client = clients.get(c);
                        int clientNo = c;
                        pool.submit(() -> {
                            for (int n = 0; paying.get(); n++) {
                                payUntilAnswered(client, "f" + clientNo + "-" + n, paying);
                            }
                        });
                    }
                    awaitAcknowledged(100);
                    pg.killPrimary();
                    int beforePromotion = acknowledged.size();
                    pg.promoteStandby();
                    // payments resume on the promoted standby
                    awaitAcknowledged(beforePromotion + 100);
                    paying.set(false);
                }
                String db = pg.standbyJdbc();
                ProcessTestSupport.awaitSettled(db, Duration.ofSeconds(120));

                assertThat(wrongAnswers).as("answers other than an outcome, in progress or 503 retryable").isEmpty();
                // every payment answered SUCCESS survived the primary's death
                for (String reference : acknowledged) {
                    String partner = "FAILOVER-" + reference.substring(1, reference.indexOf('-'));
                    assertThat(ProcessTestSupport.queryText(db, "select coalesce(max(status), 'MISSING') from orders "
                            + "where partner_id = '" + partner + "' and reference = '" + reference + "'"))
                            .as(reference).isEqualTo("SUCCESS");
                }
                assertThat(queryLong(db, """
                        select count(*) from (select partner_id, reference from orders where kind <> 'BILL_FETCH'
                        group by partner_id, reference having count(*) > 1) t""")).isZero();
                assertThat(queryLong(db, """
                        select count(*) from (select order_id from transfers where kind = 'PENDING' and order_id is not null
                        group by order_id having count(*) > 1) t""")).isZero();
                Http verify = new AdminClient(server.baseUrl(), "demo-admin").get("/admin/ledger/verify");
                assertThat(verify.status()).as(verify.body()).isEqualTo(200);
                assertThat(verify.json().get("ok").booleanValue()).as(verify.body()).isTrue();
                System.out.printf("failover test: %d payments acknowledged, %d answered retryable (503 or in progress)%n",
                        acknowledged.size(), retryable.get());
            } finally {
                server.close();
            }
        }
    }

    /**
     * Sends one payment until it has its outcome, as a partner's client does: the same reference again after a
     * 503 (Retry-After) or "in progress". Any other answer is wrong (a 500 above all).
     */
    private void payUntilAnswered(NativeClient client, String reference, AtomicBoolean paying) {
        while (true) {
            Http answer;
            try {
                answer = client.post("/v1/recharges", BODY, reference);
            } catch (RuntimeException e) {
                wrongAnswers.add(reference + ": no answer (" + e + ")");
                return;
            }
            String code = answer.json() != null && answer.json().has("error") ? answer.errorCode() : null;
            if (answer.status() == 200) {
                String status = answer.text("status");
                finalAnswers.put(reference, status);
                if ("SUCCESS".equals(status)) {
                    acknowledged.add(reference);
                    return;
                }
                if ("FAILED".equals(status)) {
                    wrongAnswers.add(reference + ": FAILED, " + answer.body());
                    return;
                }
                // PENDING or UNKNOWN: asked again below
            } else if ((answer.status() == 503 && ("DATABASE_UNAVAILABLE".equals(code) || "BUSY".equals(code))
                    && "1".equals(answer.header("Retry-After")))
                    || (answer.status() == 409 && "REQUEST_IN_PROGRESS".equals(code))) {
                retryable.incrementAndGet();
            } else {
                wrongAnswers.add(reference + ": " + answer.status() + " " + answer.body());
                return;
            }
            sleep(answer.status() == 503 ? 1000 : 200);
        }
    }

    /** Waits until {@code count} payments were answered SUCCESS (bounded, so a broken switch fails rather than hangs). */
    private void awaitAcknowledged(int count) throws InterruptedException {
        for (int i = 0; i < 1200 && acknowledged.size() < count; i++) {
            if (!wrongAnswers.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(wrongAnswers).as("wrong answers").isEmpty();
        assertThat(acknowledged.size()).as("payments answered SUCCESS").isGreaterThanOrEqualTo(count);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
