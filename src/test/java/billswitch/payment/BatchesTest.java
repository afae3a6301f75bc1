package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Operator;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.ledger.Ledger;
import billswitch.ledger.LedgerVerifier;
import billswitch.shared.Currency;
import billswitch.shared.Money;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** One batch holding both kinds of work, straight through {@link Batches#run}. */
class BatchesTest extends IntegrationTest {
    @Autowired
    Batches batches;
    @Autowired
    PaymentRules rules;
    @Autowired
    Ledger ledger;
    @Autowired
    LedgerVerifier verifier;

    private Placements.Placement placement(String partnerId, String reference, long amountMinor) {
        PayCommand command = new PayCommand(partnerId, "native", reference, OrderKind.RECHARGE, "airtel-prepaid",
                "9876543210", Map.of(), Money.of(amountMinor, Currency.INR), Operator.Channel.INSTANT, null, null);
        return new Placements.Placement(new OrderRepository.NewPayment(command, "airtel-prepaid", 0, 0, null,
                "fp-" + reference, Instant.now().plusSeconds(60)), ledger.walletId(partnerId, Currency.INR), amountMinor,
                "sandbox");
    }

    private Settlements.FirstAnswer answer(Placements.Held held, Outcome outcome) {
        PaymentInstruction instruction = new PaymentInstruction(held.orderId(), held.attemptId(),
                rules.operator("airtel-prepaid"), "9876543210", Map.of(), held.order().amountMinor(),
                Operator.Channel.INSTANT, Instant.now());
        return new Settlements.FirstAnswer(held.order(), instruction, ConnectorResult.of(outcome, null, "X", "answer"),
                o -> new Answer(200, o.status().name()));
    }

    @Test
    void aRefundInTheBatchFundsAHoldInTheSameBatchAndEveryStepIsAnsweredInOrder() {
        NativeClient p = newPartner(10_000);
        NativeClient q = newPartner(5_000);
        Placements.Held first = (Placements.Held) batches.run(List.of(placement(p.partnerId, "b-1", 10_000))).getFirst();
        Placements.Held other = (Placements.Held) batches.run(List.of(placement(q.partnerId, "b-2", 5_000))).getFirst();
        assertThat(p.availableInr()).isZero();

        List<Object> results = batches.run(List.of(
                placement(p.partnerId, "b-3", 10_000),        // only fits once b-1's refund is in
                answer(first, Outcome.FAILED),
                placement(q.partnerId, "b-4", 1),             // q's wallet is empty until b-2 fails: refused
                answer(other, Outcome.SUCCESS)));

        assertThat(results.get(0)).isInstanceOf(Placements.Held.class);
        assertThat(results.get(1)).isEqualTo(new Answer(200, "FAILED"));
        assertThat(results.get(2)).isInstanceOf(Placements.Refused.class);
        assertThat(results.get(3)).isEqualTo(new Answer(200, "SUCCESS"));
        Placements.Held third = (Placements.Held) results.get(0);
        // The refund came first: the new hold opened on the refunded balance.
        assertThat(third.order().walletOpeningMinor()).isEqualTo(10_000);
        assertThat(third.order().walletClosingMinor()).isZero();
        assertThat(p.availableInr()).isZero();
        assertThat(q.availableInr()).isZero();
        assertThat(verifier.verify().ok()).isTrue();
    }
}
