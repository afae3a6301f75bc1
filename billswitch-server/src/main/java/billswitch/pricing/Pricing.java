package billswitch.pricing;

import billswitch.catalog.Operator;
import billswitch.shared.Currency;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Prices a payment: the biller's convenience fee, the partner's fee and commission from its pricing plan,
 * and India's taxes on them (TDS on commission, GST on fees; INR payments only). Called once per payment on
 * the payment path: it reads memory only, never the database.
 */
@Component
public class Pricing {
    private final int tdsBps;
    private final int gstBps;

    public Pricing(@Value("${billswitch.pricing.tds-bps:200}") int tdsBps,
                   @Value("${billswitch.pricing.gst-bps:1800}") int gstBps) {
        if (tdsBps < 0 || tdsBps > 10_000 || gstBps < 0 || gstBps > 10_000) {
            throw new IllegalArgumentException("tax rates are basis points between 0 and 10000");
        }
        this.tdsBps = tdsBps;
        this.gstBps = gstBps;
    }

    /** The price of a payment of {@code amountMinor} by {@code partnerId} to {@code operator}, paid by {@code mode}. */
    public Price price(String partnerId, Operator operator, long amountMinor, PaymentMode mode) {
        long fee = 0;
        long commission = operator.commissionMinor(amountMinor);
        boolean taxed = operator.currency() == Currency.INR;
        return new Price(operator.feeMinor(amountMinor), fee, taxed ? percentOf(fee, gstBps) : 0, commission,
                taxed ? percentOf(commission, tdsBps) : 0, 0);
    }

    /** {@code bps} basis points of {@code minor}, rounded half up to the minor unit. */
    static long percentOf(long minor, int bps) {
        return (Math.multiplyExact(minor, (long) bps) + 5_000) / 10_000;
    }
}
