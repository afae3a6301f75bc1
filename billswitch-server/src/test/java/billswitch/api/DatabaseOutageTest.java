package billswitch.api;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.payment.Janitor;
import billswitch.connector.spi.Outcome;
import billswitch.shared.Currency;
import billswitch.support.DialectPayments;
import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import billswitch.support.TcpProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The database taken away under the real server (its PostgreSQL behind a TCP proxy that the test cuts: every
 * connection closed, new ones refused, as when a primary dies before its standby is promoted): every API answers
 * DATABASE_UNAVAILABLE in its own shape, HTTP 503 with Retry-After, never a 500; nothing is paid meanwhile, and
 * the same request sent again once the database is back is paid once. A payment whose hold committed before the
 * database went away, and whose answer could not be recorded, is answered "in progress", never failed, and the
 * janitor settles it once the database is back.
 */
@DirtiesContext
class DatabaseOutageTest extends IntegrationTest {
    private static final EmbeddedPostgres POSTGRES;
    private static final TcpProxy PROXY;

    static {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-data", "outage-" + UUID.randomUUID()));
            POSTGRES = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                    .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                    .setPGStartupWait(Duration.ofSeconds(60)).start();
            PROXY = new TcpProxy(POSTGRES.getPort());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    PROXY.close();
                    POSTGRES.close();
                } catch (IOException ignored) {
                    // the JVM is ending
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("billswitch.db.url", () -> "jdbc:postgresql://127.0.0.1:" + PROXY.port() + "/postgres");
        registry.add("billswitch.db.user", () -> "postgres");
        // A request waits this long for a connection the database cannot give before it is answered 503.
        registry.add("billswitch.db.connection-timeout", () -> "2s");
        registry.add("billswitch.sandbox.allow-external-database", () -> "true");
        // The test's own PostgreSQL runs without fsync, for speed.
        registry.add("billswitch.db.allow-fsync-off", () -> "true");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Janitor janitor;

    private String baseUrl() {
        return "http://localhost:" + port;
    }

    @Value("${local.management.port}")
    int managementPort;

    /** Readiness (/actuator/health/readiness) is DOWN while the database is away, and UP again once it is back. */
    @Test
    void readinessGoesDownWhileTheDatabaseIsAwayAndLivenessStaysUp() throws Exception {
        RawClient management = new RawClient("http://localhost:" + managementPort);
        Http ready = management.get("/actuator/health/readiness", Map.of());
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        whileDown(() -> {
            Http down = management.get("/actuator/health/readiness", Map.of());
            assertThat(down.status()).as(down.body()).isEqualTo(503);
            assertThat(down.text("status")).isEqualTo("DOWN");
            assertThat(down.json().get("components").get("db").get("status").stringValue()).isEqualTo("DOWN");
            Http live = management.get("/actuator/health/liveness", Map.of());
            assertThat(live.status()).as(live.body()).isEqualTo(200);
        });
        Http back = null;
        for (int attempt = 0; attempt < 120; attempt++) {
            back = management.get("/actuator/health/readiness", Map.of());
            if (back.status() == 200) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(back.status()).as(back.body()).isEqualTo(200);
    }

    @Test
    void theNativeApiAnswers503DatabaseUnavailable() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String ref = "down-" + UUID.randomUUID();
        Function<String, Http> pay = r -> client.post("/v1/recharges", """
                {"operatorId":"jio-prepaid","accountNumber":"9876543210","amountMinor":34900,"currency":"INR"}""", r);
        NativeClient stranger = new NativeClient(baseUrl(), "NOBODY", "key-never-seen-" + UUID.randomUUID(), "secret");
        whileDown(() -> {
            assertNative503(pay.apply(ref));
            assertNative503(client.get("/v1/wallet?currency=INR"));
            assertNative503(client.get("/v1/transactions?reference=" + ref));
            // a key this node has not cached: looked up by the authentication filter, before any controller
            assertNative503(stranger.get("/v1/wallet?currency=INR"));
        });
        Http paid = retriedWhile503(() -> pay.apply(ref));
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        assertThat(ordersWith(client.partnerId, ref)).isOne();
    }

    @Test
    void aopayAnswersItsResponseCode31With503() throws Exception {
        NativeClient client = newPartner(1_000_000);
        Function<String, Http> pay = DialectPayments.aopay(partners, baseUrl(), client.partnerId);
        paidOnceAfterTheOutage(client.partnerId, pay, down -> {
            assertThat(down.json().propertyNames()).containsExactly("status", "response_code", "message");
            assertThat(down.json().get("status").booleanValue()).isFalse();
            assertThat(down.json().get("response_code").intValue()).isEqualTo(31);
        }, paid -> assertThat(paid.json().get("response_code").intValue()).as(paid.body()).isEqualTo(1));
    }

    @Test
    void ekoAnswersItsStatus907With503() throws Exception {
        NativeClient client = newPartner(1_000_000);
        Function<String, Http> pay = DialectPayments.eko(partners, baseUrl(), client.partnerId);
        paidOnceAfterTheOutage(client.partnerId, pay, down -> {
            assertThat(down.json().propertyNames()).containsExactly("status", "response_status_id", "response_type_id", "message");
            assertThat(down.json().get("status").intValue()).isEqualTo(907);
            assertThat(down.json().get("response_status_id").intValue()).isEqualTo(1);
        }, paid -> assertThat(paid.json().get("data").get("tx_status").asInt()).as(paid.body()).isZero());
    }

    @Test
    void appotaPayAnswersItsErrorCode91With503() throws Exception {
        NativeClient client = newPartner(0);
        partners.topUp(client.partnerId, Currency.VND, 1_000_000, "vnd-funding");
        Function<String, Http> pay = DialectPayments.appotaPay(partners, baseUrl(), client.partnerId);
        paidOnceAfterTheOutage(client.partnerId, pay, down -> {
            assertThat(down.json().propertyNames()).containsExactly("errorCode", "message");
            assertThat(down.json().get("errorCode").intValue()).isEqualTo(91);
        }, paid -> assertThat(paid.json().get("errorCode").intValue()).as(paid.body()).isZero());
    }

    /**
     * Every connection terminated (pg_terminate_backend: 57P01) and the database come back read-only, as a standby
     * answers while it is being promoted ("cannot execute INSERT in a read-only transaction": 25006): a payment is
     * answered 503 DATABASE_UNAVAILABLE, nothing is written, and once the database takes writes again the same
     * request is paid once.
     */
    @Test
    void aReadOnlyDatabaseAnswers503AndTheRetryPaysOnce() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String ref = "read-only-" + UUID.randomUUID();
        Function<String, Http> pay = r -> client.post("/v1/recharges", """
                {"operatorId":"jio-prepaid","accountNumber":"9876543210","amountMinor":34900,"currency":"INR"}""", r);
        try (java.sql.Connection admin = POSTGRES.getPostgresDatabase().getConnection();
             java.sql.Statement sql = admin.createStatement()) {
            sql.execute("alter database postgres set default_transaction_read_only = on");
            sql.execute("select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and datname = 'postgres'");
            try {
                for (int i = 0; i < 3; i++) {
                    assertNative503(pay.apply(ref));
                }
                assertThat(ordersWith(client.partnerId, ref)).isZero();
            } finally {
                sql.execute("alter database postgres reset default_transaction_read_only");
                sql.execute("select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and datname = 'postgres'");
            }
        }
        Http paid = retriedWhile503(() -> pay.apply(ref));
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        assertThat(ordersWith(client.partnerId, ref)).isOne();
    }

    /**
     * The batch worker is held in the operator's call right after a payment's hold committed; the database goes
     * away; the operator then answers SUCCESS, which cannot be recorded. The partner hears "in progress" (never
     * failed, never a 500), the money stays held, and once the database is back the janitor asks the operator
     * and settles the payment as paid: the reference then answers SUCCESS.
     */
    @Test
    void aPaymentHeldBeforeTheOutageIsInProgressNeverFailed() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String operator = faults.operator();
        String ref = "held-" + UUID.randomUUID();
        faults.armGate();
        faults.next(Fault.BLOCK);
        Http answer;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http> paying = pool.submit(() -> client.post("/v1/recharges", """
                    {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}""".formatted(operator), ref));
            try {
                assertThat(faults.awaitEntered()).as("the worker is in the operator's call, the hold committed").isTrue();
                PROXY.cut();
                faults.release();
                answer = paying.get();
            } finally {
                faults.release();
                PROXY.restore();
            }
        }
        awaitDatabase();
        assertThat(answer.status()).as(answer.body()).isEqualTo(409);
        assertThat(answer.errorCode()).isEqualTo("REQUEST_IN_PROGRESS");

        long orderId = jdbc.sql("select id from orders where partner_id = :p and reference = :r")
                .param("p", client.partnerId).param("r", ref).query(Long.class).single();
        assertThat(status(orderId)).isEqualTo("INITIATED");
        JsonNode wallet = client.get("/v1/wallet?currency=INR").json().get("wallets").get(0);
        assertThat(wallet.get("heldMinor").longValue()).as("the money stays held, not refunded").isPositive();

        faults.statusSays(Outcome.SUCCESS);
        jdbc.sql("update orders set next_check_at = now() - interval '1 second' where id = :id").param("id", orderId).update();
        while (janitor.resolveDue() > 0) {
            // until nothing is due
        }
        assertThat(status(orderId)).isEqualTo("SUCCESS");
        Http replay = client.post("/v1/recharges", """
                {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}""".formatted(operator), ref);
        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.text("status")).isEqualTo("SUCCESS");
        assertThat(ordersWith(client.partnerId, ref)).isOne();
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    /** A payment sent while the database is away is answered 503 ({@code down} checks its shape); sent again, it is paid once. */
    private void paidOnceAfterTheOutage(String partnerId, Function<String, Http> pay, Consumer<Http> down, Consumer<Http> paid)
            throws Exception {
        String ref = "down-" + UUID.randomUUID().toString().substring(0, 12);
        whileDown(() -> {
            Http answer = pay.apply(ref);
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isEqualTo("1");
            down.accept(answer);
        });
        Http answer = retriedWhile503(() -> pay.apply(ref));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        paid.accept(answer);
        assertThat(ordersWith(partnerId, ref)).isOne();
    }

    private interface Check {
        void run() throws Exception;
    }

    private void whileDown(Check check) throws Exception {
        PROXY.cut();
        try {
            check.run();
        } finally {
            PROXY.restore();
        }
    }

    /**
     * Sends a request again while it is answered 503 (as a partner does, after Retry-After): the pool reconnects
     * in its own time once the database is back.
     */
    private static Http retriedWhile503(java.util.function.Supplier<Http> send) throws InterruptedException {
        for (int attempt = 0; attempt < 120; attempt++) {
            Http answer = send.get();
            if (answer.status() != 503) {
                return answer;
            }
            assertThat(answer.header("Retry-After")).isEqualTo("1");
            Thread.sleep(1000);
        }
        throw new AssertionError("still 503 after 120 tries");
    }

    /** Waits until the server's pool reaches the database again (after an earlier test's outage). */
    @BeforeEach
    void awaitDatabase() throws InterruptedException {
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                jdbc.sql("select 1").query(Integer.class).single();
                return;
            } catch (RuntimeException e) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the database is still unreachable");
    }

    private static void assertNative503(Http answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        assertThat(answer.errorCode()).isEqualTo("DATABASE_UNAVAILABLE");
    }

    private String status(long orderId) {
        return jdbc.sql("select status from orders where id = :id").param("id", orderId).query(String.class).single();
    }

    private long ordersWith(String partnerId, String reference) {
        // The test's own query may be the first to meet a pooled connection the outage ended (the payments went
        // through the batches' pool): that one failure evicts the pool, and the query is asked again.
        try {
            return countOrders(partnerId, reference);
        } catch (org.springframework.dao.DataAccessResourceFailureException e) {
            return countOrders(partnerId, reference);
        }
    }

    private long countOrders(String partnerId, String reference) {
        return jdbc.sql("select count(*) from orders where partner_id = :partner and reference = :reference")
                .param("partner", partnerId).param("reference", reference).query(Long.class).single();
    }
}
