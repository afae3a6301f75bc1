package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Operator;
import billswitch.ledger.LedgerVerifier;
import billswitch.shared.Currency;
import billswitch.shared.Money;
import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link PaymentService#pay} past the batch that holds the money: when the batch's worker could not queue an
 * instant answer, the request's own thread settles it; when the operator answers later, no thread waits for
 * it. Either way the operator is asked once.
 */
class PaymentServiceTest extends IntegrationTest {
    @Autowired
    PaymentService payments;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    JdbcClient jdbc;

    @Test
    void anInstantAnswerTheWorkerCouldNotQueueIsSettledByTheRequestsThreadAndTheOperatorIsAskedOnce() {
        NativeClient p = newPartner(100_000);
        String operator = faults.operator();
        faults.next(Fault.SUCCEED);
        int callsBefore = faults.payCalls();
        AtomicInteger renders = new AtomicInteger();
        List<String> renderedOn = new CopyOnWriteArrayList<>();
        // The worker renders the instant answer as it queues it; here that first rendering fails.
        PaymentService.Renderer renderer = order -> {
            renderedOn.add(Thread.currentThread().getName());
            if (renders.getAndIncrement() == 0) {
                throw new IllegalStateException("rendering failed once");
            }
            return new Answer(200, order.status().name() + " " + order.operatorRef());
        };
        PayCommand command = recharge(p.partnerId, operator, "fallback-1");

        Answer answer = payments.pay(command, renderer).join();

        long orderId = jdbc.sql("select id from orders where partner_id = :p and reference = 'fallback-1'")
                .param("p", p.partnerId).query(Long.class).single();
        assertThat(answer).isEqualTo(new Answer(200, "SUCCESS FLT" + orderId));
        assertThat(faults.payCalls() - callsBefore).isOne();
        assertThat(renderedOn).containsExactly("batch-0", Thread.currentThread().getName());
        assertThat(jdbc.sql("select status from orders where id = :id").param("id", orderId).query(String.class).single())
                .isEqualTo("SUCCESS");
        assertThat(jdbc.sql("select count(*) from attempts where order_id = :id").param("id", orderId)
                .query(Long.class).single()).isOne();
        assertThat(jdbc.sql("select kind from transfers where order_id = :id and code = 'PAYMENT' order by id")
                .param("id", orderId).query(String.class).list()).containsExactly("PENDING", "POST_PENDING");
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void anOperatorThatAnswersLaterIsSettledWhenItAnswersWithNoThreadWaitingForIt() throws Exception {
        NativeClient p = newPartner(100_000);
        String operator = faults.operator();
        faults.armGate();
        faults.next(Fault.HANG);
        int callsBefore = faults.payCalls();
        List<String> renderedOn = new CopyOnWriteArrayList<>();
        PaymentService.Renderer renderer = order -> {
            renderedOn.add(Thread.currentThread().getName());
            return new Answer(200, order.status().name());
        };
        PayCommand command = recharge(p.partnerId, operator, "later-1");

        CompletableFuture<Answer> answer = payments.pay(command, renderer);

        // pay returned with the operator still silent: the hold is in, the answer is not.
        assertThat(faults.awaitEntered()).isTrue();
        assertThat(answer).isNotDone();
        assertThat(p.availableInr()).isLessThan(100_000);
        faults.release();
        assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(new Answer(200, "SUCCESS"));
        assertThat(faults.payCalls() - callsBefore).isOne();
        assertThat(renderedOn).hasSize(1).noneMatch(Thread.currentThread().getName()::equals);
        assertThat(verifier.verify().ok()).isTrue();
    }

    /** A native INR 100.00 recharge of the faulty test operator. */
    private static PayCommand recharge(String partnerId, String operator, String reference) {
        return new PayCommand(partnerId, "native", reference, OrderKind.RECHARGE, operator, "9876543210", Map.of(),
                Money.of(10_000, Currency.INR), Operator.Channel.INSTANT, null, null);
    }
}
