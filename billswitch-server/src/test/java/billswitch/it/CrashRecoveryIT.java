package billswitch.it;

import static billswitch.it.ProcessTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Kills the real server with SIGKILL several times while concurrent partners pay, restarts it, lets it
 * settle, and proves no money was lost or created and no reference was charged twice. Shortened here;
 * the soak runs it longer: -Dbillswitch.soak.seconds=600 -Dbillswitch.soak.kills=30 (README).
 */
class CrashRecoveryIT {
    private static final int SECONDS = Integer.getInteger("billswitch.soak.seconds", 12);
    private static final int KILLS = Integer.getInteger("billswitch.soak.kills", 3);
    private static final int CLIENTS = 16;
    private static final long FUNDING = 1_000_000_000L;

    private static String body(String account, long amount) {
        return """
                {"operatorId":"airtel-prepaid","accountNumber":"%s","amountMinor":%d,"currency":"INR"}""".formatted(account, amount);
    }

    /** Accounts that succeed, decline, go unanswered then succeed, or go unanswered then fail late. */
    private static String account(ThreadLocalRandom random) {
        int roll = random.nextInt(100);
        String suffix = roll < 70 ? "1" + random.nextInt(8) : roll < 80 ? "18" : roll < 92 ? "19" : "99";
        return "98765432" + suffix;
    }

    @Test
    void killingTheServerMidLoadLosesNoMoneyAndChargesNoReferenceTwice() throws Exception {
        Path dir = Files.createTempDirectory("billswitch-crash");
        try (EmbeddedPostgres pg = ProcessTestSupport.externalPostgres(dir)) {
            String jdbc = pg.getJdbcUrl("postgres", "postgres");
            ServerProcess server = new ServerProcess(jdbc, dir, ProcessTestSupport.FAST_SCHEDULES).start();
            try {
                NativeClient client = ProcessTestSupport.newPartner(server.baseUrl(), "CRASH-1", FUNDING, null)
                        .client(server.baseUrl());
                Map<String, String> bodies = new ConcurrentHashMap<>();
                Map<String, String> answered = new ConcurrentHashMap<>();
                Set<String> unanswered = ConcurrentHashMap.newKeySet();
                AtomicBoolean loading = new AtomicBoolean(true);
                AtomicLong sent = new AtomicLong();

                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int c = 0; c < CLIENTS; c++) {
                        int clientNo = c;
                        pool.submit(() -> {
                            ThreadLocalRandom random = ThreadLocalRandom.current();
                            for (int n = 0; loading.get(); n++) {
                                String key = "c" + clientNo + "-" + n;
                                String body = body(account(random), 1_000 + random.nextInt(4_000));
                                bodies.put(key, body);
                                sent.incrementAndGet();
                                // like a real client: while the server is down, retry this payment, not a new one
                                while (!send(client, key, body, answered, unanswered) && loading.get()) {
                                    sleepQuietly(100);
                                }
                            }
                        });
                    }
                    for (int k = 0; k < KILLS; k++) {
                        Thread.sleep(SECONDS * 1000L / (KILLS + 1));
                        server.kill();
                        server.start();
                    }
                    Thread.sleep(SECONDS * 1000L / (KILLS + 1));
                    loading.set(false);
                }
                // a real client retries what it never heard back about: same key, same body
                for (int round = 0; round < 60 && !unanswered.isEmpty(); round++) {
                    for (String key : List.copyOf(unanswered)) {
                        send(client, key, bodies.get(key), answered, unanswered);
                    }
                    if (!unanswered.isEmpty()) {
                        Thread.sleep(500);
                    }
                }
                assertThat(unanswered).as("every request is eventually answered").isEmpty();
                ProcessTestSupport.awaitSettled(jdbc, Duration.ofSeconds(120));

                Http verify = new AdminClient(server.baseUrl(), "demo-admin").get("/admin/ledger/verify");
                assertThat(verify.json().get("ok").booleanValue()).as(verify.body()).isTrue();
                // at most one debit per reference
                assertThat(queryLong(jdbc, """
                        select count(*) from (select order_id from transfers where kind = 'PENDING' and order_id is not null
                        group by order_id having count(*) > 1) t""")).isZero();
                assertThat(queryLong(jdbc, """
                        select count(*) from (select partner_id, reference from orders where kind <> 'BILL_FETCH'
                        group by partner_id, reference having count(*) > 1) t""")).isZero();
                // every accepted payment ended paid or refunded, and every refusal's hold is gone
                assertThat(queryLong(jdbc, "select count(*) from orders where partner_id = 'CRASH-1' "
                        + "and status not in ('SUCCESS','FAILED','REFUNDED')")).isZero();
                assertThat(queryLong(jdbc, """
                        select count(*) from orders o where o.partner_id = 'CRASH-1' and o.status in ('FAILED','REFUNDED')
                        and not exists (select 1 from transfers v where v.order_id = o.id and v.kind = 'VOID_PENDING')""")).isZero();
                // the wallet equals its top-ups minus its successful payments plus their commission less its TDS
                long paid = queryLong(jdbc, "select coalesce(sum(amount_minor + ccf_minor + fee_minor + gst_minor "
                        + "- commission_minor + tds_minor), 0) from orders "
                        + "where partner_id = 'CRASH-1' and status = 'SUCCESS'");
                long balance = queryLong(jdbc, "select credits_posted - debits_posted from accounts "
                        + "where kind = 'WALLET' and partner_id = 'CRASH-1' and currency = 'INR'");
                long held = queryLong(jdbc, "select debits_pending from accounts where kind = 'WALLET' "
                        + "and partner_id = 'CRASH-1' and currency = 'INR'");
                assertThat(balance).isEqualTo(FUNDING - paid);
                assertThat(held).isZero();
                // what a partner was told as final stays true
                for (Map.Entry<String, String> e : answered.entrySet()) {
                    if (e.getValue().equals("SUCCESS") || e.getValue().equals("FAILED")) {
                        assertThat(client.get("/v1/transactions?reference=" + e.getKey()).text("status"))
                                .as(e.getKey()).isEqualTo(e.getValue());
                    }
                }
                long orders = queryLong(jdbc, "select count(*) from orders where partner_id = 'CRASH-1'");
                System.out.printf("crash test: %d requests, %d orders, %d kills, %d paid, %d refunded or failed%n",
                        sent.get(), orders, KILLS,
                        queryLong(jdbc, "select count(*) from orders where partner_id = 'CRASH-1' and status = 'SUCCESS'"),
                        queryLong(jdbc, "select count(*) from orders where partner_id = 'CRASH-1' and status <> 'SUCCESS'"));
                assertThat(orders).isGreaterThan(50);
            } finally {
                server.close();
            }
        }
    }

    /** Sends once; true when the request got its answer. */
    private static boolean send(NativeClient client, String key, String body, Map<String, String> answered, Set<String> unanswered) {
        try {
            Http h = client.post("/v1/recharges", body, key);
            if ((h.status() == 200 || h.status() == 202) && h.json() != null && h.json().get("status") != null) {
                answered.put(key, h.json().get("status").stringValue());
                unanswered.remove(key);
                return true;
            }
            if (h.status() == 402) {
                answered.put(key, "REFUSED");
                unanswered.remove(key);
                return true;
            }
        } catch (RuntimeException e) {
            // the server is down or was killed mid-request
        }
        unanswered.add(key);
        return false;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
