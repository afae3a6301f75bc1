package billswitch.it;

import static billswitch.it.ProcessTestSupport.adminCall;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.NativeClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A BillSwitch (A) paying through another (B), both real processes on their own PostgreSQL, killed with SIGKILL
 * three times under load and restarted on its database, while its partner's clients retry each payment with the
 * same reference, as CrashRecoveryIT's do. A's payments go to B through a billswitch connector (airtel-prepaid)
 * and an eko one (jio-prepaid). Attempts cut off by a kill are settled by A's janitor from B's status. In the end
 * no A payment was paid twice at B, every one A calls paid was paid once there, none A failed or refunded was,
 * B paid nothing else, and both ledgers verify.
 */
class UpstreamCrashIT {
    private static final int CLIENTS = 8;
    private static final int PER_CLIENT = 40;
    private static final int KILLS = 3;
    private static final long A_FUNDING = 1_000_000_000L;
    private static final long B_FUNDING = 1_000_000_000L;
    private static final String INITIATOR = "9876500002";
    private static final String USER_CODE = "30810202";

    /** What a client finally heard of a payment. */
    private enum Heard { ANSWERED, IN_PROGRESS, DOWN }

    @Test
    void killingAMidLoadPaysEachOfItsPaymentsAtMostOnceUpstream() throws Exception {
        long started = System.nanoTime();
        Path dirA = Files.createTempDirectory("billswitch-upstream-crash-a");
        Path dirB = Files.createTempDirectory("billswitch-upstream-crash-b");
        try (EmbeddedPostgres pgA = ProcessTestSupport.externalPostgres(dirA);
             EmbeddedPostgres pgB = ProcessTestSupport.externalPostgres(dirB);
             ServerProcess b = new ServerProcess(pgB.getJdbcUrl("postgres", "postgres"), dirB,
                     ProcessTestSupport.FAST_SCHEDULES).start();
             ServerProcess a = new ServerProcess(pgA.getJdbcUrl("postgres", "postgres"), dirA,
                     ProcessTestSupport.fastSchedulesWith("--billswitch.resolution.initiated-grace=10s")).start()) {
            String jdbcA = pgA.getJdbcUrl("postgres", "postgres");
            String jdbcB = pgB.getJdbcUrl("postgres", "postgres");
            ProcessTestSupport.PartnerKeys switchA = ProcessTestSupport.newPartner(b.baseUrl(), "SWITCH-A", B_FUNDING, null);
            String ekoAccessKey = ProcessTestSupport.addCredential(b.baseUrl(), "SWITCH-A", """
                    {"dialect":"EKO","keyId":"switch-a-developer-key","attributes":{"initiatorId":"%s","userCodes":["%s"],
                    "requireRequestHash":true}}""".formatted(INITIATOR, USER_CODE));
            adminCall(a.baseUrl(), "POST", "/admin/connectors", """
                    {"name":"native-b","type":"billswitch","baseUrl":"%s","credentials":{"apiKey":"%s","secret":"%s"},
                    "timeouts":{"connectMs":1000,"readMs":5000}}""".formatted(b.baseUrl(), switchA.apiKey(), switchA.apiSecret()), 201);
            adminCall(a.baseUrl(), "POST", "/admin/connectors", """
                    {"name":"eko-b","type":"eko","baseUrl":"%s","credentials":{"developerKey":"switch-a-developer-key",
                    "accessKey":"%s","initiatorId":"%s","userCode":"%s"},"timeouts":{"connectMs":1000,"readMs":5000}}"""
                    .formatted(b.baseUrl(), ekoAccessKey, INITIATOR, USER_CODE), 201);
            adminCall(a.baseUrl(), "PUT", "/admin/operators/airtel-prepaid/routes", """
                    [{"connector":"native-b","upstreamCode":"airtel-prepaid","priority":1}]""", 200);
            adminCall(a.baseUrl(), "PUT", "/admin/operators/jio-prepaid/routes", """
                    [{"connector":"eko-b","upstreamCode":"401","priority":1}]""", 200);
            NativeClient shop = ProcessTestSupport.newPartner(a.baseUrl(), "SHOP-1", A_FUNDING, null).client(a.baseUrl());

            Map<String, String> bodies = new ConcurrentHashMap<>();
            Map<String, String> answered = new ConcurrentHashMap<>();
            Set<String> unanswered = ConcurrentHashMap.newKeySet();
            AtomicInteger sent = new AtomicInteger();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(pool.submit(() -> {
                        for (int n = 0; n < PER_CLIENT; n++) {
                            String reference = "c" + client + "-" + n;
                            String body = body(ThreadLocalRandom.current());
                            bodies.put(reference, body);
                            sent.incrementAndGet();
                            // while A is down, this payment is sent again with its reference, never a new one
                            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                            while (send(shop, reference, body, answered, unanswered) == Heard.DOWN
                                    && System.nanoTime() < deadline) {
                                sleep(100);
                            }
                        }
                        return null;
                    }));
                }
                for (int k = 1; k <= KILLS; k++) {
                    int due = CLIENTS * PER_CLIENT * k / (KILLS + 1);
                    while (sent.get() < due) {
                        Thread.sleep(20);
                    }
                    a.kill();
                    a.start();
                }
                for (Future<?> client : clients) {
                    client.get();
                }
            }
            // what a client never heard the end of, it asks again (same reference, same body) until it does
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!unanswered.isEmpty() && System.nanoTime() < deadline) {
                for (String reference : List.copyOf(unanswered)) {
                    send(shop, reference, bodies.get(reference), answered, unanswered);
                }
                sleep(500);
            }
            assertThat(unanswered).as("every payment is eventually answered").isEmpty();

            ProcessTestSupport.awaitSettled(jdbcA, Duration.ofSeconds(90));
            ProcessTestSupport.awaitSettled(jdbcB, Duration.ofSeconds(90));
            for (ServerProcess node : List.of(a, b)) {
                Http verify = adminCall(node.baseUrl(), "GET", "/admin/ledger/verify", null, 200);
                assertThat(verify.json().get("ok").booleanValue()).as(verify.body()).isTrue();
            }
            UpstreamAudit.Upstream atB = new UpstreamAudit.Upstream(jdbcB, "SWITCH-A");
            UpstreamAudit.Totals totals = UpstreamAudit.reconcile(a.baseUrl(), jdbcA, "SHOP-1", List.of(atB));
            UpstreamAudit.assertWalletMatchesPaidOrders(b.baseUrl(), atB, "INR", B_FUNDING);
            // a reference names one payment at A, and each made at most one order at B per attempt
            assertThat(ProcessTestSupport.queryLong(jdbcA, "select count(*) from orders where partner_id = 'SHOP-1' "
                    + "and kind <> 'BILL_FETCH'")).isEqualTo(bodies.size() - refused(answered));
            // what the partner was told as final stays true
            for (Map.Entry<String, String> e : answered.entrySet()) {
                if (e.getValue().equals("SUCCESS") || e.getValue().equals("FAILED")) {
                    assertThat(shop.get("/v1/transactions?reference=" + e.getKey()).text("status")).as(e.getKey())
                            .isEqualTo(e.getValue());
                }
            }
            // the kills did cut attempts off before A read B's answer: those A's janitor settled from B's status
            String cutOff = ProcessTestSupport.queryText(jdbcA, """
                    select coalesce(string_agg(status || '=' || n, ' '), '') from (select o.status, count(*) n from orders o
                    where partner_id = 'SHOP-1' and exists (select 1 from attempts t where t.order_id = o.id
                    and t.outcome is null) group by o.status) s""");
            System.out.printf("upstream crash: %d payments, %d kills, A %s, %d paid at B, cut off before B's answer: %s,"
                            + " %d s%n", bodies.size(), KILLS, totals.downstreamByStatus(), totals.upstreamPaid(), cutOff,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            assertThat(cutOff).isNotEmpty();
            assertThat(totals.upstreamPaid()).isGreaterThan(CLIENTS * PER_CLIENT / 2);
        }
    }

    /** Mostly paid, some declined (ending 18), unanswered then paid (19), or unanswered then declined (99). */
    private static String body(ThreadLocalRandom random) {
        int roll = random.nextInt(100);
        String ending = roll < 78 ? "1" + random.nextInt(8) : roll < 88 ? "18" : roll < 96 ? "19" : "99";
        return """
                {"operatorId":"%s","accountNumber":"98765432%s","amountMinor":%d,"currency":"INR"}"""
                .formatted(random.nextBoolean() ? "airtel-prepaid" : "jio-prepaid", ending, 100 * (10 + random.nextInt(90)));
    }

    /** Sends once and records what was heard. */
    private static Heard send(NativeClient shop, String reference, String body, Map<String, String> answered,
                              Set<String> unanswered) {
        try {
            Http h = shop.post("/v1/recharges", body, reference);
            if ((h.status() == 200 || h.status() == 202) && h.json() != null && h.json().get("status") != null) {
                answered.put(reference, h.json().get("status").stringValue());
                unanswered.remove(reference);
                return Heard.ANSWERED;
            }
            if (h.status() == 402) {
                answered.put(reference, "REFUSED");
                unanswered.remove(reference);
                return Heard.ANSWERED;
            }
            unanswered.add(reference);
            // REQUEST_IN_PROGRESS: A has the payment, unsettled since a kill; BUSY or NO_ROUTE: nothing was done
            return h.status() == 409 ? Heard.IN_PROGRESS : Heard.DOWN;
        } catch (RuntimeException e) {
            unanswered.add(reference);
            return Heard.DOWN;
        }
    }

    private static int refused(Map<String, String> answered) {
        return (int) answered.values().stream().filter("REFUSED"::equals).count();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
