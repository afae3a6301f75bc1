package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.ledger.Ledger;
import billswitch.ledger.LedgerVerifier;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A SUCCESS the upstream reports after the order was refunded does not vanish: the order waits for review with
 * both facts, no money moves, and a reviewer's "paid" charges the wallet again (once, or not at all when the
 * wallet cannot cover it) while "not paid" leaves it refunded.
 */
class RefundContestedTest extends IntegrationTest {
    @Autowired
    Batches batches;
    @Autowired
    Settlements settlements;
    @Autowired
    PaymentService payments;
    @Autowired
    OrderRepository orders;
    @Autowired
    PaymentRules rules;
    @Autowired
    Ledger ledger;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;

    /** 10,000 + 100 fee (the biller's CCF, ours on success) held, 250 commission on success. */
    private static final long AMOUNT = 10_000;
    private static final long FEE = 100;
    private static final long COMMISSION = 250;

    /**
     * An order the upstream accepted (PENDING), that the janitor then learned was declined (REFUNDED, its hold
     * voided), and that the upstream now reports paid after all.
     */
    private Order refundedThenReportedPaid(NativeClient p, String reference) {
        Placements.Held held = (Placements.Held) batches.run(List.of(PaymentSteps.placement(ledger, p.partnerId, reference,
                AMOUNT, FEE, COMMISSION, Map.of()))).getFirst();
        batches.run(List.of(PaymentSteps.firstAnswer(settlements, rules, held,
                ConnectorResult.of(Outcome.PENDING, null, "P", "in progress"), o -> new Answer(202, o.status().name()))));
        later(held.orderId(), ConnectorResult.of(Outcome.FAILED, null, "E17", "Recharge failed at the operator"));
        assertThat(order(p, held.orderId()).status()).isEqualTo(OrderStatus.REFUNDED);
        later(held.orderId(), ConnectorResult.of(Outcome.SUCCESS, "OPREF-LATE", "00", "Recharge successful"));
        return order(p, held.orderId());
    }

    /** The janitor's status enquiry (or an upstream's callback) answering, as the janitor applies it. */
    private void later(long orderId, ConnectorResult result) {
        tx.executeWithoutResult(s -> settlements.applyLaterAnswer(orderId, new Settlements.LaterAnswer.Upstream(result, 1, "sandbox")));
    }

    private Order order(NativeClient p, long orderId) {
        return orders.find(p.partnerId, orderId).orElseThrow();
    }

    private List<String> transfers(long orderId) {
        return jdbc.sql("select kind || ' ' || code || ' ' || amount_minor from transfers where order_id = :id order by id")
                .param("id", orderId).query(String.class).list();
    }

    private String contested(long orderId, String path) {
        return jdbc.sql("select contested_refund #>> :path::text[] from orders where id = :id")
                .param("path", "{" + path + "}").param("id", orderId).query(String.class).list().getFirst();
    }

    private String reviewReason(long orderId) {
        return jdbc.sql("select review_reason from orders where id = :id").param("id", orderId).query(String.class).list()
                .getFirst();
    }

    @Test
    void theUpstreamRepeatingItsSuccessAfterAComplaintsRefundChangesNothing() {
        NativeClient p = newPartner(50_000);
        Placements.Held held = (Placements.Held) batches.run(List.of(PaymentSteps.placement(ledger, p.partnerId, "cmp-late-1",
                AMOUNT, FEE, COMMISSION, Map.of()))).getFirst();
        batches.run(List.of(PaymentSteps.firstAnswer(settlements, rules, held,
                ConnectorResult.of(Outcome.SUCCESS, "OPREF-1", "00", "Recharge successful"), o -> new Answer(200, o.status().name()))));
        assertThat(order(p, held.orderId()).status()).isEqualTo(OrderStatus.SUCCESS);
        tx.executeWithoutResult(s -> settlements.applyLaterAnswer(held.orderId(),
                new Settlements.LaterAnswer.ComplaintRefund("complaint 1: not credited")));
        assertThat(order(p, held.orderId()).status()).isEqualTo(OrderStatus.REFUNDED);
        List<String> moved = transfers(held.orderId());
        long available = p.availableInr();
        assertThat(available).as("the payment and its commission both reversed").isEqualTo(50_000);

        // the upstream's callback (or a status answer) repeats its success: the complaint's decision stands
        later(held.orderId(), ConnectorResult.of(Outcome.SUCCESS, "OPREF-1", "00", "Recharge successful"));

        assertThat(order(p, held.orderId()).status()).isEqualTo(OrderStatus.REFUNDED);
        assertThat(transfers(held.orderId())).isEqualTo(moved);
        assertThat(p.availableInr()).isEqualTo(available);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aSuccessAfterTheRefundWaitsForReviewWithBothFactsAndMovesNoMoney() {
        NativeClient p = newPartner(50_000);

        Order contested = refundedThenReportedPaid(p, "late-ok-1");

        assertThat(contested.status()).isEqualTo(OrderStatus.NEEDS_REVIEW);
        // The refund stands as the partner was told, and is still shown: the money is back in the wallet.
        assertThat(contested.refundedAt()).isNotNull();
        assertThat(contested.failureCode()).isEqualTo("E17");
        assertThat(contested.operatorRef()).isEqualTo("OPREF-LATE");
        // Both facts, kept beside each other.
        assertThat(contested(contested.id(), "refund,code")).isEqualTo("E17");
        assertThat(contested(contested.id(), "refund,message")).isEqualTo("Recharge failed at the operator");
        assertThat(contested(contested.id(), "refund,at")).isNotNull();
        assertThat(contested(contested.id(), "success,operatorRef")).isEqualTo("OPREF-LATE");
        assertThat(contested(contested.id(), "success,code")).isEqualTo("00");
        assertThat(contested(contested.id(), "success,message")).isEqualTo("Recharge successful");
        assertThat(contested(contested.id(), "success,at")).isNotNull();
        // No money moved: the hold and its refund, nothing else.
        assertThat(transfers(contested.id())).containsExactly("PENDING PAYMENT 10100", "VOID_PENDING REFUND 10100");
        assertThat(p.availableInr()).isEqualTo(50_000);
        assertThat(payments.ordersNeedingReview(10_000)).extracting(Order::id).contains(contested.id());

        // The same success again (a repeated callback) changes nothing.
        later(contested.id(), ConnectorResult.of(Outcome.SUCCESS, "OPREF-LATE", "00", "Recharge successful"));
        assertThat(order(p, contested.id()).updatedAt()).isEqualTo(contested.updatedAt());
        assertThat(transfers(contested.id())).hasSize(2);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aReviewerWhoFindsItPaidChargesTheWalletAgainOnce() {
        NativeClient p = newPartner(50_000);
        Order contested = refundedThenReportedPaid(p, "late-ok-2");

        Order settled = payments.settleReview(contested.id(), true, "Operator statement shows it credited (ticket 77)");

        assertThat(settled.status()).isEqualTo(OrderStatus.SUCCESS);
        assertThat(settled.refundedAt()).isNull();
        assertThat(settled.operatorRef()).isEqualTo("OPREF-LATE");
        assertThat(transfers(contested.id())).containsExactly("PENDING PAYMENT 10100", "VOID_PENDING REFUND 10100",
                "POSTED PAYMENT 10100", "POSTED COMMISSION 250", "POSTED CCF 100", "POSTED UPSTREAM 10000");
        assertThat(p.availableInr()).isEqualTo(50_000 - AMOUNT - FEE + COMMISSION);
        assertThat(reviewReason(contested.id())).contains("ticket 77");
        // Both facts stay on record after the review.
        assertThat(contested(contested.id(), "success,operatorRef")).isEqualTo("OPREF-LATE");

        // Settled once: a second decision is refused and charges nothing.
        assertThatThrownBy(() -> payments.settleReview(contested.id(), true, "again"))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_IN_REVIEW));
        assertThat(transfers(contested.id())).hasSize(6);
        assertThat(p.availableInr()).isEqualTo(50_000 - AMOUNT - FEE + COMMISSION);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aChargeTheWalletCannotCoverIsRefusedAndNothingMoves() {
        NativeClient p = newPartner(50_000);
        Order contested = refundedThenReportedPaid(p, "late-ok-3");
        // The partner spent the refund: all but 10,099 of the wallet is held by another payment.
        batches.run(List.of(PaymentSteps.placement(ledger, p.partnerId, "spends-it", 50_000 - (AMOUNT + FEE - 1))));
        assertThat(p.availableInr()).isEqualTo(AMOUNT + FEE - 1);

        assertThatThrownBy(() -> payments.settleReview(contested.id(), true, "credited after all"))
                .isInstanceOfSatisfying(BillSwitchException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_FUNDS);
                    assertThat(e.getMessage()).contains("charging it again takes 101.00 INR")
                            .contains("wallet has 100.99 available");
                });

        Order after = order(p, contested.id());
        assertThat(after.status()).isEqualTo(OrderStatus.NEEDS_REVIEW);
        assertThat(after.updatedAt()).isEqualTo(contested.updatedAt());
        assertThat(reviewReason(contested.id())).isNull();
        assertThat(transfers(contested.id())).hasSize(2);
        assertThat(p.availableInr()).isEqualTo(AMOUNT + FEE - 1);
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void aReviewerWhoFindsItNotPaidLeavesItRefundedAndMovesNoMoney() {
        NativeClient p = newPartner(50_000);
        Order contested = refundedThenReportedPaid(p, "late-ok-4");

        Order settled = payments.settleReview(contested.id(), false, "Operator reversed the credit (ticket 78)");

        assertThat(settled.status()).isEqualTo(OrderStatus.REFUNDED);
        assertThat(settled.refundedAt()).isNotNull();
        assertThat(settled.failureCode()).isEqualTo("REVIEW");
        assertThat(transfers(contested.id())).containsExactly("PENDING PAYMENT 10100", "VOID_PENDING REFUND 10100");
        assertThat(p.availableInr()).isEqualTo(50_000);
        assertThat(contested(contested.id(), "refund,code")).isEqualTo("E17");
        assertThat(verifier.verify().ok()).isTrue();
    }
}
