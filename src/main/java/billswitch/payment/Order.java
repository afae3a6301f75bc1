package billswitch.payment;

import billswitch.catalog.Operator;
import billswitch.connector.spi.Bill;
import billswitch.shared.Currency;
import java.time.Instant;
import java.util.Map;

/**
 * An order as the partner sees it: one bill fetch, bill payment or recharge, whatever attempts it took.
 * walletOpening/ClosingMinor are the wallet's available balance around the hold; refundedAt is set when
 * the hold was voided.
 */
public record Order(long id, String partnerId, String reference, OrderKind kind, String dialect,
                    Operator.Channel channel, String operatorId, String accountNumber, Map<String, String> params,
                    long amountMinor, long feeMinor, long commissionMinor, Currency currency, OrderStatus status,
                    Long billFetchId, Bill bill, String operatorRef, String failureCode, String failureMessage,
                    Long walletOpeningMinor, Long walletClosingMinor, Instant refundedAt,
                    Instant createdAt, Instant updatedAt) {

    /** What the partner's wallet was charged: the amount plus the customer convenience fee. */
    public long debitMinor() {
        return amountMinor + feeMinor;
    }
}
