package billswitch.api;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.Currency;
import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.DialectPayments;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The batch queue's limit (1 here) through the real server, in every API: while the batch worker is held
 * by a payment whose operator blocks, one payment more waits in the queue and the rest are refused BUSY,
 * in the API's own shape, before anything is written (no order, the wallet untouched). The payment that
 * held the worker settles although its first answer was queued into a full queue; the one that waited goes
 * through; each refused one goes through when sent again with the same reference.
 */
@TestPropertySource(properties = "billswitch.batching.queue-limit=1")
class BusyTest extends IntegrationTest {
    private static final String EKO_INITIATOR = "9962981729";
    private static final String EKO_USER_CODE = "20810200";

    @Autowired
    JdbcClient jdbc;

    private RawClient raw() {
        return new RawClient("http://localhost:" + port);
    }

    @Test
    void theNativeApiAnswers503Busy() throws Exception {
        NativeClient client = newPartner(1_000_000);
        Function<String, Http> pay = ref -> client.post("/v1/recharges", """
                {"operatorId":"jio-prepaid","accountNumber":"9876543210","amountMinor":34900,"currency":"INR"}""", ref);
        refusedWhileTheQueueIsFull(client, Currency.INR, pay, busy -> {
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.json().propertyNames()).containsExactly("error");
            assertThat(busy.errorCode()).isEqualTo("BUSY");
            assertThat(busy.json().get("error").get("message").stringValue())
                    .isEqualTo("BillSwitch is busy; retry with the same reference.");
        }, paid -> {
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            assertThat(paid.text("status")).isEqualTo("SUCCESS");
        });
    }

    @Test
    void aopayAnswersItsResponseCode31() throws Exception {
        NativeClient client = newPartner(1_000_000);
        Function<String, Http> pay = DialectPayments.aopay(partners, "http://localhost:" + port, client.partnerId);
        refusedWhileTheQueueIsFull(client, Currency.INR, pay, busy -> {
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.json().propertyNames()).containsExactly("status", "response_code", "message");
            assertThat(busy.json().get("status").booleanValue()).isFalse();
            assertThat(busy.json().get("response_code").intValue()).isEqualTo(31);
            assertThat(busy.text("message")).isEqualTo("BillSwitch is busy; retry with the same reference.");
        }, paid -> {
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            assertThat(paid.json().get("response_code").intValue()).isEqualTo(1);
        });
    }

    @Test
    void ekoAnswersItsStatus907() throws Exception {
        NativeClient client = newPartner(1_000_000);
        Function<String, Http> pay = DialectPayments.eko(partners, "http://localhost:" + port, client.partnerId);
        refusedWhileTheQueueIsFull(client, Currency.INR, pay, busy -> {
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.json().propertyNames()).containsExactly("status", "response_status_id", "response_type_id", "message");
            assertThat(busy.json().get("status").intValue()).isEqualTo(907);
            assertThat(busy.json().get("response_status_id").intValue()).isEqualTo(1);
            assertThat(busy.text("message")).isEqualTo("BillSwitch is busy; retry with the same reference.");
        }, paid -> {
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            assertThat(paid.json().get("status").intValue()).isZero();
            assertThat(paid.json().get("data").get("tx_status").asInt()).isZero();
        });
    }

    @Test
    void appotaPayAnswersItsErrorCode91Busy() throws Exception {
        NativeClient client = newPartner(0);
        partners.topUp(client.partnerId, Currency.VND, 1_000_000, "vnd-funding");
        Function<String, Http> pay = DialectPayments.appotaPay(partners, "http://localhost:" + port, client.partnerId);
        refusedWhileTheQueueIsFull(client, Currency.VND, pay, busy -> {
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.json().propertyNames()).containsExactly("errorCode", "message");
            assertThat(busy.json().get("errorCode").intValue()).isEqualTo(91);
            assertThat(busy.text("message")).isEqualTo("BillSwitch is busy; retry with the same reference.");
        }, paid -> {
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            assertThat(paid.json().get("errorCode").intValue()).isZero();
        });
    }

    /**
     * Holds the batch worker (a payment of another partner whose operator blocks), sends three payments of
     * {@code client}'s partner at once, and checks: one waits in the queue (its limit is 1), the other two
     * are refused ({@code busy} checks the answer) with nothing written and the wallet untouched; once the
     * worker is let go, the one that waited is paid, and each refused one is paid when sent again with its
     * own reference ({@code paid} checks the answers); every reference has exactly one order.
     */
    private void refusedWhileTheQueueIsFull(NativeClient client, Currency currency, Function<String, Http> pay,
                                            Consumer<Http> busy, Consumer<Http> paid) throws Exception {
        long before = wallet(client, currency).get("availableMinor").longValue();
        String prefix = "busy" + UUID.randomUUID().toString().substring(0, 8);
        List<String> refs = List.of(prefix + "-1", prefix + "-2", prefix + "-3");

        NativeClient holder = newPartner(100_000);
        String operator = faults.operator();
        faults.armGate();
        faults.next(Fault.BLOCK);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http> held = pool.submit(() -> holder.post("/v1/recharges", """
                    {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}"""
                    .formatted(operator), prefix + "-holder"));
            try {
                assertThat(faults.awaitEntered()).as("the batch worker is held in the operator's call").isTrue();
                Map<String, Future<Http>> sent = new LinkedHashMap<>();
                for (String ref : refs) {
                    sent.put(ref, pool.submit(() -> pay.apply(ref)));
                }
                // Exactly one fits in the queue; the others are answered at once.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (sent.values().stream().filter(Future::isDone).count() < refs.size() - 1 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                List<String> refused = new ArrayList<>();
                String queued = null;
                for (Map.Entry<String, Future<Http>> e : sent.entrySet()) {
                    if (e.getValue().isDone()) {
                        refused.add(e.getKey());
                    } else {
                        queued = e.getKey();
                    }
                }
                assertThat(refused).as("refused while the queue was full").hasSize(refs.size() - 1);
                for (String ref : refused) {
                    Http answer = sent.get(ref).get();
                    busy.accept(answer);
                    assertThat(answer.header("Retry-After")).isEqualTo("1");
                    assertThat(ordersWith(client, ref)).as("no order for a refused payment").isZero();
                    Http lookup = client.get("/v1/transactions?reference=" + ref);
                    assertThat(lookup.status()).isEqualTo(404);
                    assertThat(lookup.errorCode()).isEqualTo("TRANSACTION_NOT_FOUND");
                }
                // Nothing written for anyone of the partner yet: the one queued waits behind the held worker.
                assertThat(ordersWith(client, queued)).isZero();
                JsonNode untouched = wallet(client, currency);
                assertThat(untouched.get("availableMinor").longValue()).isEqualTo(before);
                assertThat(untouched.get("heldMinor").longValue()).isZero();
                assertThat(sent.get(queued)).isNotDone();

                faults.release();
                // The held payment's first answer was queued into a full queue: never refused, it settles.
                Http holderPaid = held.get();
                assertThat(holderPaid.status()).as(holderPaid.body()).isEqualTo(200);
                assertThat(holderPaid.text("status")).isEqualTo("SUCCESS");
                paid.accept(sent.get(queued).get());
                for (String ref : refused) {
                    paid.accept(pay.apply(ref));
                }
            } finally {
                faults.release();
            }
        }
        long charged = 0;
        for (String ref : refs) {
            assertThat(ordersWith(client, ref)).as("one order for " + ref).isOne();
            JsonNode order = client.get("/v1/transactions?reference=" + ref).json();
            assertThat(order.get("status").stringValue()).isEqualTo("SUCCESS");
            // the wallet paid amount + ccf + fee + gst and got the commission less its TDS
            charged += order.get("amountMinor").longValue() + order.get("ccfMinor").longValue()
                    + order.get("feeMinor").longValue() + order.get("gstMinor").longValue()
                    - order.get("commissionMinor").longValue() + order.get("tdsMinor").longValue();
        }
        JsonNode after = wallet(client, currency);
        assertThat(after.get("availableMinor").longValue()).isEqualTo(before - charged);
        assertThat(after.get("heldMinor").longValue()).isZero();
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    private static JsonNode wallet(NativeClient client, Currency currency) {
        return client.get("/v1/wallet?currency=" + currency.name()).json().get("wallets").get(0);
    }

    private long ordersWith(NativeClient client, String reference) {
        return jdbc.sql("select count(*) from orders where partner_id = :partner and reference = :reference")
                .param("partner", client.partnerId).param("reference", reference).query(Long.class).single();
    }
}
