package billswitch.payment;

import billswitch.catalog.Operator;
import billswitch.connector.spi.Bill;
import billswitch.pricing.Price;
import billswitch.shared.Currency;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An order as the partner sees it: one bill fetch, bill payment or recharge, whatever attempts it took.
 * walletOpening/ClosingMinor are the wallet's available balance around the hold; refundedAt is set when
 * the hold was voided. dialect is the API the order came through; productCode the product the partner named
 * (null if none), as sent. price holds every figure decided when it was validated (ccf, fee, gst, commission, tds,
 * plan version), never recomputed.
 */
public record Order(long id, String partnerId, String reference, OrderKind kind, String dialect,
                    Operator.Channel channel, String operatorId, String accountNumber, Map<String, String> params,
                    long amountMinor, Price price, Currency currency, OrderStatus status,
                    Long billFetchId, String productCode, Bill bill, String operatorRef, String failureCode, String failureMessage,
                    Long walletOpeningMinor, Long walletClosingMinor, Instant refundedAt,
                    Instant createdAt, Instant updatedAt) {

    public Order {
        // One order of parameters however the order was made (read back from jsonb, or placed in this process).
        params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /**
     * This order after a state change at {@code at}, as the guarded update in the database leaves it: the
     * operator's reference kept if the answer has none, the failure replaced, refunded when it failed.
     */
    Order movedTo(OrderStatus to, String newOperatorRef, String newFailureCode, String newFailureMessage, Instant at) {
        boolean refunded = to == OrderStatus.FAILED || to == OrderStatus.REFUNDED;
        return new Order(id, partnerId, reference, kind, dialect, channel, operatorId, accountNumber, params, amountMinor,
                price, currency, to, billFetchId, productCode, bill,
                newOperatorRef != null ? newOperatorRef : operatorRef, newFailureCode, newFailureMessage,
                walletOpeningMinor, walletClosingMinor, refunded ? at : refundedAt, createdAt, at);
    }

    /** What the partner's wallet was charged (held): amount + ccf + fee + gst. */
    public long debitMinor() {
        return price.debitMinor(amountMinor);
    }

    /** The biller's customer convenience fee, paid to the upstream with the amount. */
    public long ccfMinor() {
        return price.ccfMinor();
    }

    /** The partner's fee from its pricing plan, before GST: our revenue. */
    public long feeMinor() {
        return price.feeMinor();
    }

    /** GST on the fee. */
    public long gstMinor() {
        return price.gstMinor();
    }

    /** The partner's commission, before TDS. */
    public long commissionMinor() {
        return price.commissionMinor();
    }

    /** TDS withheld from the commission. */
    public long tdsMinor() {
        return price.tdsMinor();
    }

    /** The pricing plan version that priced the order (0: none). */
    public long planVersionId() {
        return price.planVersionId();
    }
}
