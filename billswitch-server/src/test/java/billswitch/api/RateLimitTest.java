package billswitch.api;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.Currency;
import billswitch.support.DialectPayments;
import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Per-partner limits through the real server (off by default; set per partner through the admin API): a partner
 * over its rate or its requests at once is answered RATE_LIMITED in its API's own shape, HTTP 429 with
 * Retry-After, with nothing written; other partners are untouched.
 */
class RateLimitTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void theNativeApiAnswers429OverTheRate() {
        NativeClient client = newPartner(10_000_000);
        NativeClient other = newPartner(10_000_000);
        setLimits(client.partnerId, "{\"requestsPerSecond\":1,\"burst\":1}");
        Function<String, Http> pay = ref -> client.post("/v1/recharges", """
                {"operatorId":"jio-prepaid","accountNumber":"9876543210","amountMinor":34900,"currency":"INR"}""", ref);
        overTheRate(client.partnerId, pay, limited -> {
            assertThat(limited.json().propertyNames()).containsExactly("error");
            assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
        });
        // another partner has its own limits (none here)
        for (int i = 0; i < 5; i++) {
            assertThat(other.get("/v1/wallet?currency=INR").status()).isEqualTo(200);
        }
        Http limits = admin().get("/admin/partners/" + client.partnerId + "/limits");
        assertThat(limits.status()).isEqualTo(200);
        assertThat(limits.json().get("requestsPerSecond").intValue()).isEqualTo(1);
        assertThat(limits.json().get("maxInFlight").intValue()).isZero();
        assertThat(limits.json().get("override").get("burst").intValue()).isEqualTo(1);
    }

    /** A payment waiting on its operator holds the partner's one place; answered, it gives it back. */
    @Test
    void theNativeApiAnswers429OverItsRequestsAtOnce() throws Exception {
        NativeClient client = newPartner(10_000_000);
        setLimits(client.partnerId, "{\"maxInFlight\":1}");
        String operator = faults.operator();
        faults.armGate();
        faults.next(Fault.HANG);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http> waiting = pool.submit(() -> client.post("/v1/recharges", """
                    {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}"""
                    .formatted(operator), "hang-" + UUID.randomUUID()));
            try {
                assertThat(faults.awaitEntered()).isTrue();
                Http limited = client.get("/v1/wallet?currency=INR");
                assertThat(limited.status()).as(limited.body()).isEqualTo(429);
                assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
                assertThat(limited.header("Retry-After")).isEqualTo("1");
            } finally {
                faults.release();
            }
            Http paid = waiting.get();
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        }
        // the answered payment gave its place back (its permit is returned when the answer is complete)
        Http wallet = null;
        for (int i = 0; i < 100 && (wallet == null || wallet.status() == 429); i++) {
            wallet = client.get("/v1/wallet?currency=INR");
        }
        assertThat(wallet.status()).as(wallet.body()).isEqualTo(200);
    }

    /**
     * A request over the limits is refused before the replay memory: nothing is recorded for it, so the very same
     * signed bytes, sent again once the partner is under its limits, are handled as new (not REPLAYED_REQUEST).
     */
    @Test
    void aSignedRequestRefusedOverTheLimitsIsNotRecordedAndTheSameBytesPassLater() throws Exception {
        NativeClient client = newPartner(10_000_000);
        setLimits(client.partnerId, "{\"maxInFlight\":1}");
        String timestamp = Long.toString(NativeClient.uniqueMillis());
        String signature = client.signV2(timestamp, "GET", "/v1/wallet?currency=INR", null, null, "");
        java.util.Map<String, String> headers = java.util.Map.of("X-Signature-Version", "2");
        String operator = faults.operator();
        faults.armGate();
        faults.next(Fault.HANG);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http> waiting = pool.submit(() -> client.post("/v1/recharges", """
                    {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}"""
                    .formatted(operator), "hang-" + UUID.randomUUID()));
            try {
                assertThat(faults.awaitEntered()).isTrue();
                Http limited = client.sendRaw("GET", "/v1/wallet?currency=INR", "", headers, timestamp, signature);
                assertThat(limited.status()).as(limited.body()).isEqualTo(429);
                assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
                assertThat(limited.header("Retry-After")).isEqualTo("1");
            } finally {
                faults.release();
            }
            assertThat(waiting.get().status()).isEqualTo(200);
        }
        // the same signed bytes again, once the payment has given its place back
        Http again = null;
        for (int i = 0; i < 100 && (again == null || again.status() == 429); i++) {
            again = client.sendRaw("GET", "/v1/wallet?currency=INR", "", headers, timestamp, signature);
        }
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        // and its first use was recorded now: a third copy is a replay
        assertThat(client.sendRaw("GET", "/v1/wallet?currency=INR", "", headers, timestamp, signature).errorCode())
                .isEqualTo("REPLAYED_REQUEST");
    }

    @Test
    void aopayAnswersItsResponseCode31With429() {
        NativeClient client = newPartner(10_000_000);
        Function<String, Http> pay = DialectPayments.aopay(partners, "http://localhost:" + port, client.partnerId);
        setLimits(client.partnerId, "{\"requestsPerSecond\":1,\"burst\":1}");
        overTheRate(client.partnerId, pay, limited -> {
            assertThat(limited.json().propertyNames()).containsExactly("status", "response_code", "message");
            assertThat(limited.json().get("response_code").intValue()).isEqualTo(31);
        });
    }

    @Test
    void ekoAnswersItsStatus907With429() {
        NativeClient client = newPartner(10_000_000);
        Function<String, Http> pay = DialectPayments.eko(partners, "http://localhost:" + port, client.partnerId);
        setLimits(client.partnerId, "{\"requestsPerSecond\":1,\"burst\":1}");
        overTheRate(client.partnerId, pay, limited -> {
            assertThat(limited.json().propertyNames()).containsExactly("status", "response_status_id", "response_type_id", "message");
            assertThat(limited.json().get("status").intValue()).isEqualTo(907);
        });
    }

    @Test
    void appotaPayAnswersItsErrorCode91With429() {
        NativeClient client = newPartner(0);
        partners.topUp(client.partnerId, Currency.VND, 100_000_000, "vnd-funding");
        Function<String, Http> pay = DialectPayments.appotaPay(partners, "http://localhost:" + port, client.partnerId);
        setLimits(client.partnerId, "{\"requestsPerSecond\":1,\"burst\":1}");
        overTheRate(client.partnerId, pay, limited -> {
            assertThat(limited.json().propertyNames()).containsExactly("errorCode", "message");
            assertThat(limited.json().get("errorCode").intValue()).isEqualTo(91);
        });
    }

    @Test
    void negativeLimitsAreRefused() {
        NativeClient client = newPartner(0);
        Http refused = admin().send("PUT", "/admin/partners/" + client.partnerId + "/limits", "{\"maxInFlight\":-1}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").get("fields").has("maxInFlight")).isTrue();
        assertThat(admin().send("PUT", "/admin/partners/NO-SUCH/limits", "{\"maxInFlight\":1}").status()).isEqualTo(404);
    }

    private void setLimits(String partnerId, String body) {
        Http set = admin().send("PUT", "/admin/partners/" + partnerId + "/limits", body);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    /**
     * Sends payments back to back, each with a new reference, until one is refused (a rate of one a second with
     * bursts of one refuses the second of any two sent within a second): 429 with Retry-After, {@code limited}
     * checks the API's shape, and the refused reference has no order.
     */
    private void overTheRate(String partnerId, Function<String, Http> pay, Consumer<Http> limited) {
        String prefix = "rl" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 50; i++) {
            String ref = prefix + "-" + i;
            Http answer = pay.apply(ref);
            if (answer.status() == 429) {
                assertThat(answer.header("Retry-After")).isEqualTo("1");
                limited.accept(answer);
                assertThat(jdbc.sql("select count(*) from orders where partner_id = :p and reference = :r")
                        .param("p", partnerId).param("r", ref).query(Long.class).single()).isZero();
                return;
            }
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }
        throw new AssertionError("50 payments back to back, none refused over one a second");
    }
}
