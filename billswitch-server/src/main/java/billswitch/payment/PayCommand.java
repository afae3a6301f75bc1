package billswitch.payment;

import billswitch.catalog.Operator;
import billswitch.pricing.PaymentMode;
import billswitch.shared.Money;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One request to move money, whichever dialect it came through. productCode names a plan or product
 * (optional); billFetchId names the fetch the payment settles (optional: the latest fetch is used); paymentMode
 * is how the customer paid the partner (the biller's convenience fee may depend on it; CASH when not said).
 */
public record PayCommand(String partnerId, String dialect, String reference, OrderKind kind, String operatorId,
                         String accountNumber, Map<String, String> params, Money amount, Operator.Channel channel,
                         Long billFetchId, String productCode, PaymentMode paymentMode) {

    public PayCommand {
        params = inOrderGiven(params);
        paymentMode = paymentMode == null ? PaymentMode.CASH : paymentMode;
    }

    /** A payment paid in cash (every dialect but those that say the payment mode). */
    public PayCommand(String partnerId, String dialect, String reference, OrderKind kind, String operatorId,
                      String accountNumber, Map<String, String> params, Money amount, Operator.Channel channel,
                      Long billFetchId, String productCode) {
        this(partnerId, dialect, reference, kind, operatorId, accountNumber, params, amount, channel, billFetchId,
                productCode, PaymentMode.CASH);
    }

    /**
     * An unmodifiable copy that keeps the order given (the request's), no null key or value. Not Map.copyOf:
     * its order changes from one start of the JVM to the next, and with it the order of what is derived from
     * it, such as an error naming several unknown parameters.
     */
    static Map<String, String> inOrderGiven(Map<String, String> params) {
        Map<String, String> copy = new LinkedHashMap<>();
        params.forEach((name, value) -> copy.put(Objects.requireNonNull(name), Objects.requireNonNull(value)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The request's identity for idempotency: equal commands have equal fingerprints. The payment mode is part of it
     * only when it is not CASH, so the fingerprints stored before it existed still match their requests.
     */
    String fingerprint() {
        String canonical = String.join("|", dialect, kind.name(), operatorId, accountNumber, new TreeMap<>(params).toString(),
                Long.toString(amount.amountMinor()), amount.currency().name(), channel.name(),
                String.valueOf(billFetchId), String.valueOf(productCode));
        return paymentMode == PaymentMode.CASH ? canonical : canonical + "|" + paymentMode.name();
    }
}
