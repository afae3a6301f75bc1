package billswitch.payment;

import billswitch.catalog.Operator;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.ledger.Ledger;
import billswitch.shared.Currency;
import billswitch.shared.Money;
import java.time.Instant;
import java.util.Map;

/** Placements and first answers of airtel-prepaid recharges, for tests that drive the batch steps directly. */
final class PaymentSteps {
    private static final String OPERATOR = "airtel-prepaid";
    private static final String ACCOUNT = "9876543210";

    private PaymentSteps() {
    }

    static Placements.Placement placement(Ledger ledger, String partnerId, String reference, long amountMinor) {
        return placement(ledger, partnerId, reference, amountMinor, 0, 0, Map.of());
    }

    /** A validated INR recharge debiting amount + fee from the partner's wallet; first check a minute on. */
    static Placements.Placement placement(Ledger ledger, String partnerId, String reference, long amountMinor,
                                          long feeMinor, long commissionMinor, Map<String, String> params) {
        PayCommand command = new PayCommand(partnerId, "native", reference, OrderKind.RECHARGE, OPERATOR, ACCOUNT,
                params, Money.of(amountMinor, Currency.INR), Operator.Channel.INSTANT, null, null);
        return new Placements.Placement(new OrderRepository.NewPayment(command, OPERATOR,
                new billswitch.pricing.Price(feeMinor, 0, 0, commissionMinor, 0, 0), null,
                "fp-" + reference, Instant.now().plusSeconds(60), new UpstreamTerms("sandbox", 0, 0), null),
                ledger.walletId(partnerId, Currency.INR),
                amountMinor + feeMinor, null);
    }

    /** The upstream's first answer to a held placement. */
    static Settlements.FirstAnswer firstAnswer(Settlements settlements, PaymentRules rules, Placements.Held held,
                                               ConnectorResult result, PaymentService.Renderer renderer) {
        PaymentInstruction instruction = new PaymentInstruction(held.orderId(), held.attemptId(), "BS" + held.attemptId(),
                rules.operator(OPERATOR), null, ACCOUNT, Map.of(), held.order().amountMinor(), Operator.Channel.INSTANT, null,
                null, Instant.now());
        return settlements.firstAnswer(held, instruction, new UpstreamTerms("sandbox", 0, 0), result, renderer);
    }
}
