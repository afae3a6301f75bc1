package billswitch.payment;

import billswitch.catalog.Operator;
import billswitch.shared.Money;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request to move money, whichever dialect it came through. productCode names a plan or product
 * (optional); billFetchId names the fetch the payment settles (optional: the latest fetch is used).
 */
public record PayCommand(String partnerId, String dialect, String reference, OrderKind kind, String operatorId,
                         String accountNumber, Map<String, String> params, Money amount, Operator.Channel channel,
                         Long billFetchId, String productCode) {

    public PayCommand {
        params = Map.copyOf(params);
    }

    /** The request's identity for idempotency: equal commands have equal fingerprints. */
    String fingerprint() {
        return String.join("|", dialect, kind.name(), operatorId, accountNumber, new TreeMap<>(params).toString(),
                Long.toString(amount.amountMinor()), amount.currency().name(), channel.name(),
                String.valueOf(billFetchId), String.valueOf(productCode));
    }
}
