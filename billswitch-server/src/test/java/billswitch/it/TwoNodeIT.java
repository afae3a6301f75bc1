package billswitch.it;

import static billswitch.it.ProcessTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two real server processes on one PostgreSQL: duplicates sent through both make one payment, and the
 * janitors and webhook senders of both nodes share the work without doing any of it twice.
 */
class TwoNodeIT {
    private static final int DUPLICATES = 40;
    private static final int UNANSWERED = 40;

    @Test
    void twoNodesMakeOnePaymentPerReferenceAndProcessEachOrderAndEventOnce() throws Exception {
        Path dir = Files.createTempDirectory("billswitch-two-nodes");
        Map<String, AtomicInteger> deliveriesByEvent = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            deliveriesByEvent.computeIfAbsent(exchange.getRequestHeaders().getFirst("BillSwitch-Event-Id"),
                    k -> new AtomicInteger()).incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.start();
        String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
        try (EmbeddedPostgres pg = ProcessTestSupport.externalPostgres(dir);
             ServerProcess a = new ServerProcess(pg.getJdbcUrl("postgres", "postgres"), dir, ProcessTestSupport.FAST_SCHEDULES).start();
             ServerProcess b = new ServerProcess(pg.getJdbcUrl("postgres", "postgres"), dir, ProcessTestSupport.FAST_SCHEDULES).start()) {
            String jdbc = pg.getJdbcUrl("postgres", "postgres");
            ProcessTestSupport.PartnerKeys keys = ProcessTestSupport.newPartner(a.baseUrl(), "TWO-NODES", 100_000_000L, hookUrl);
            NativeClient viaA = keys.client(a.baseUrl());
            NativeClient viaB = keys.client(b.baseUrl());

            // the same reference through both nodes at once
            List<Future<Http>[]> pairs = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < DUPLICATES; i++) {
                    String key = "dup-" + i;
                    String body = """
                            {"operatorId":"airtel-prepaid","accountNumber":"98765432%02d","amountMinor":%d,"currency":"INR"}"""
                            .formatted(i % 8 + 10, 1_000 + i);
                    @SuppressWarnings("unchecked")
                    Future<Http>[] pair = new Future[] {pool.submit(() -> viaA.post("/v1/recharges", body, key)),
                            pool.submit(() -> viaB.post("/v1/recharges", body, key))};
                    pairs.add(pair);
                }
                // and payments left unanswered, for both janitors to settle
                for (int i = 0; i < UNANSWERED; i++) {
                    String key = "late-" + i;
                    NativeClient via = i % 2 == 0 ? viaA : viaB;
                    pool.submit(() -> via.post("/v1/recharges", """
                            {"operatorId":"airtel-prepaid","accountNumber":"98765432%s","amountMinor":1500,"currency":"INR"}"""
                            .formatted(key.hashCode() % 3 == 0 ? "99" : "19"), key));
                }
            }
            for (Future<Http>[] pair : pairs) {
                Http first = pair[0].get();
                Http second = pair[1].get();
                for (Http h : List.of(first, second)) {
                    assertThat(h.status()).as(h.body()).isIn(200, 409);
                }
                if (first.status() == 200 && second.status() == 200) {
                    assertThat(second.body()).isEqualTo(first.body());
                }
            }
            assertThat(queryLong(jdbc, "select count(*) from orders where partner_id = 'TWO-NODES' and reference like 'dup-%'"))
                    .isEqualTo(DUPLICATES);
            assertThat(queryLong(jdbc, """
                    select count(*) from transfers t join orders o on o.id = t.order_id
                    where o.partner_id = 'TWO-NODES' and o.reference like 'dup-%' and t.kind = 'PENDING'""")).isEqualTo(DUPLICATES);

            ProcessTestSupport.awaitSettled(jdbc, Duration.ofSeconds(120));
            // every hold resolved exactly once, whichever node's janitor got there
            assertThat(queryLong(jdbc, """
                    select count(*) from transfers p where p.kind = 'PENDING'
                    and (select count(*) from transfers r where r.pending_id = p.id) <> 1""")).isZero();
            Http verify = new AdminClient(a.baseUrl(), "demo-admin").get("/admin/ledger/verify");
            assertThat(verify.json().get("ok").booleanValue()).as(verify.body()).isTrue();

            // Side by side on one host, each node's Actuator on its own management port: both ready, and each
            // counted the payments it answered and keeps its own last ledger verification (ServerProcess verified both).
            assertThat(a.managementPort()).isNotEqualTo(b.managementPort());
            for (ServerProcess node : List.of(a, b)) {
                Http ready = new RawClient(node.managementUrl()).get("/actuator/health/readiness", Map.of());
                assertThat(ready.status()).as(ready.body()).isEqualTo(200);
                String metrics = new RawClient(node.managementUrl()).get("/actuator/prometheus", Map.of()).body();
                assertThat(metrics).contains("billswitch_payments_total{");
                assertThat(metrics).contains("billswitch_ledger_verify_ok 1.0");
            }

            // every event delivered, each exactly once, though both nodes' senders were running
            long events = queryLong(jdbc, "select count(*) from webhook_events where partner_id = 'TWO-NODES'");
            assertThat(events).isEqualTo(DUPLICATES + UNANSWERED);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (queryLong(jdbc, "select count(*) from webhook_events where status <> 'DELIVERED'") > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(queryLong(jdbc, "select count(*) from webhook_events where status <> 'DELIVERED'")).isZero();
            assertThat(deliveriesByEvent).hasSize((int) events);
            assertThat(deliveriesByEvent.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));

            // the exact signed bytes of a recharge paid through node A, sent to node B with a new Idempotency-Key:
            // version 1 signs no Idempotency-Key, so only the replay memory both nodes share refuses it
            String body = """
                    {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1234,"currency":"INR"}""";
            String ts = Long.toString(NativeClient.uniqueMillis());
            String v1 = viaA.sign(ts, "POST", "/v1/recharges", body);
            Http paid = viaA.sendRaw("POST", "/v1/recharges", body,
                    Map.of("Content-Type", "application/json", "Idempotency-Key", "replay-1"), ts, v1);
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            Http replayed = viaB.sendRaw("POST", "/v1/recharges", body,
                    Map.of("Content-Type", "application/json", "Idempotency-Key", "replay-2"), ts, v1);
            assertThat(replayed.status()).isEqualTo(401);
            assertThat(replayed.errorCode()).isEqualTo("REPLAYED_REQUEST");
            // version 2 signs the Idempotency-Key: under a new one the same bytes do not even verify, on either node
            String v2 = viaA.signV2(ts, "POST", "/v1/recharges", "application/json", "replay-3", body);
            Map<String, String> v2Headers = Map.of("Content-Type", "application/json", "Idempotency-Key", "replay-3",
                    "X-Signature-Version", "2");
            assertThat(viaA.sendRaw("POST", "/v1/recharges", body, v2Headers, ts, v2).status()).isEqualTo(200);
            assertThat(viaB.sendRaw("POST", "/v1/recharges", body, v2Headers, ts, v2).errorCode())
                    .isEqualTo("REPLAYED_REQUEST");
            Map<String, String> newKey = Map.of("Content-Type", "application/json", "Idempotency-Key", "replay-4",
                    "X-Signature-Version", "2");
            assertThat(viaB.sendRaw("POST", "/v1/recharges", body, newKey, ts, v2).errorCode()).isEqualTo("INVALID_SIGNATURE");
            assertThat(queryLong(jdbc, "select count(*) from orders where partner_id = 'TWO-NODES' and reference like 'replay-%'"))
                    .isEqualTo(2);
        } finally {
            receiver.stop(0);
        }
    }
}
