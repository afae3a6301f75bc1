package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.ledger.Ledger;
import billswitch.ledger.LedgerVerifier;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One batch of first answers, straight through {@link Batches#run}: the answer rendered from the
 * placed order must be the answer the order as stored renders to, field for field.
 */
class SettlementsTest extends IntegrationTest {
    @Autowired
    Batches batches;
    @Autowired
    Settlements settlements;
    @Autowired
    OrderRepository orders;
    @Autowired
    PaymentRules rules;
    @Autowired
    Ledger ledger;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;

    /** Renders every field of the order: any difference between placed-and-moved and stored shows. */
    private static final PaymentService.Renderer EVERY_FIELD = o -> new Answer(200, o.toString());

    private Placements.Held place(String partnerId, String reference, long amountMinor, long feeMinor, long commissionMinor) {
        return (Placements.Held) batches.run(List.of(PaymentSteps.placement(ledger, partnerId, reference,
                amountMinor, feeMinor, commissionMinor, Map.of("zone", "north", "circle", "KA", "a", "1")))).getFirst();
    }

    private List<Answer> settle(Settlements.FirstAnswer... answers) {
        return batches.run(List.of(answers)).stream().map(Answer.class::cast).toList();
    }

    private Settlements.FirstAnswer answer(Placements.Held held, ConnectorResult result) {
        return PaymentSteps.firstAnswer(settlements, rules, held, result, EVERY_FIELD);
    }

    @Test
    void theAnswerRenderedFromThePlacedOrderIsTheStoredOrdersAnswer() {
        NativeClient p = newPartner(100_000);
        Placements.Held paid = place(p.partnerId, "st-1", 10_000, 100, 250);
        Placements.Held declined = place(p.partnerId, "st-2", 20_000, 0, 0);
        Placements.Held pending = place(p.partnerId, "st-3", 5_000, 0, 0);

        List<Answer> answers = settle(
                answer(paid, ConnectorResult.of(Outcome.SUCCESS, "OPREF-1", "00", "ok")),
                answer(declined, ConnectorResult.of(Outcome.FAILED, null, "E12", "Invalid number")),
                answer(pending, ConnectorResult.of(Outcome.PENDING, "OPREF-3", "P", "In progress")));

        List<Order> stored = new ArrayList<>();
        for (Placements.Held h : List.of(paid, declined, pending)) {
            stored.add(orders.find(p.partnerId, h.orderId()).orElseThrow());
        }
        assertThat(answers).extracting(Answer::body).containsExactly(
                stored.get(0).toString(), stored.get(1).toString(), stored.get(2).toString());
        assertThat(stored).extracting(Order::status)
                .containsExactly(OrderStatus.SUCCESS, OrderStatus.FAILED, OrderStatus.PENDING);
        assertThat(stored.get(0).operatorRef()).isEqualTo("OPREF-1");
        assertThat(stored.get(1).refundedAt()).isNotNull();
        // Stored with the move: a replay answers the same.
        assertThat(orders.findEarlier(p.partnerId, "st-1", false).orElseThrow().answerBody()).isEqualTo(answers.get(0).body());
        // 100,000 - (10,000 + 100) + 250 commission - 5,000 still held; the declined 20,000 is back.
        assertThat(p.availableInr()).isEqualTo(100_000 - 10_100 + 250 - 5_000);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void anOrderTheJanitorReaskedIsSettledFromTheDatabaseAndAnswersItsStoredState() {
        NativeClient p = newPartner(50_000);
        Placements.Held held = place(p.partnerId, "st-4", 7_000, 0, 0);
        // The janitor asked before the first answer came and learned a reference.
        jdbc.sql("update orders set status = 'UNKNOWN', operator_ref = 'JANITOR-REF' where id = :id")
                .param("id", held.orderId()).update();

        Answer answer = settle(answer(held, ConnectorResult.of(Outcome.SUCCESS, null, "00", "ok"))).getFirst();

        Order stored = orders.find(p.partnerId, held.orderId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(OrderStatus.SUCCESS);
        assertThat(stored.operatorRef()).isEqualTo("JANITOR-REF");
        assertThat(answer.body()).isEqualTo(stored.toString());
        assertThat(p.availableInr()).isEqualTo(43_000);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aDeclineArrivingAfterTheJanitorReaskedTheOrderRefundsIt() {
        NativeClient p = newPartner(50_000);
        Placements.Held asPlaced = place(p.partnerId, "st-5", 7_000, 0, 0);
        Placements.Held reasked = place(p.partnerId, "st-6", 3_000, 0, 0);
        // The janitor asked about the second before its first answer came: still pending upstream.
        jdbc.sql("update orders set status = 'PENDING' where id = :id").param("id", reasked.orderId()).update();

        List<Answer> answers = settle(
                answer(asPlaced, ConnectorResult.of(Outcome.FAILED, null, "E12", "Invalid number")),
                answer(reasked, ConnectorResult.of(Outcome.FAILED, null, "E12", "Invalid number")));

        Order declined = orders.find(p.partnerId, asPlaced.orderId()).orElseThrow();
        Order refunded = orders.find(p.partnerId, reasked.orderId()).orElseThrow();
        // Declined as placed: FAILED. Declined once accepted (PENDING): REFUNDED, whoever brought the answer.
        assertThat(declined.status()).isEqualTo(OrderStatus.FAILED);
        assertThat(refunded.status()).isEqualTo(OrderStatus.REFUNDED);
        assertThat(refunded.failureCode()).isEqualTo("E12");
        assertThat(refunded.refundedAt()).isNotNull();
        assertThat(answers).extracting(Answer::body).containsExactly(declined.toString(), refunded.toString());
        assertThat(jdbc.sql("select kind from transfers where order_id = :id order by id").param("id", reasked.orderId())
                .query(String.class).list()).containsExactly("PENDING", "VOID_PENDING");
        assertThat(p.availableInr()).isEqualTo(50_000);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aStatusEnquiryThatNeverLeftTellsNothingAndRefundsNothing() {
        NativeClient p = newPartner(50_000);
        Placements.Held held = place(p.partnerId, "st-7", 7_000, 0, 0);
        settle(answer(held, ConnectorResult.of(Outcome.PENDING, "OPREF-7", "P", "In progress")));

        // The enquiry could not connect: the payment itself may well have gone through.
        tx.executeWithoutResult(s -> settlements.applyLaterAnswer(held.orderId(), new Settlements.LaterAnswer.Upstream(
                ConnectorResult.of(Outcome.NOT_SENT, null, "CONNECTION_REFUSED", "The upstream refused the connection"), 1, "sandbox")));

        Order stored = orders.find(p.partnerId, held.orderId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(OrderStatus.UNKNOWN);
        assertThat(stored.refundedAt()).isNull();
        assertThat(p.availableInr()).isEqualTo(43_000);
        assertThat(verifier.verify().ok()).isTrue();
    }
}
