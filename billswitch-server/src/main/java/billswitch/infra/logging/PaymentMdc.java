package billswitch.infra.logging;

import org.slf4j.MDC;

/**
 * The payment a thread is handling, in the logging MDC: {@code orderId}, {@code partnerId} and {@code reference} (the
 * partner's reference) on every line it logs meanwhile, as fields of their own in JSON logs (README "Observability").
 * Set where a payment's work starts on a thread (a request, a status enquiry, a callback, a webhook) and cleared where
 * it ends: {@link #clear} in a finally block.
 */
public final class PaymentMdc {
    public static final String ORDER_ID = "orderId";
    public static final String PARTNER_ID = "partnerId";
    public static final String REFERENCE = "reference";

    private PaymentMdc() {
    }

    /** The partner and its reference, before the order has an id. */
    public static void payment(String partnerId, String reference) {
        put(PARTNER_ID, partnerId);
        put(REFERENCE, reference);
    }

    /** The order, once it has an id. */
    public static void order(long orderId) {
        MDC.put(ORDER_ID, Long.toString(orderId));
    }

    /** All three at once. */
    public static void order(long orderId, String partnerId, String reference) {
        order(orderId);
        payment(partnerId, reference);
    }

    public static void clear() {
        MDC.remove(ORDER_ID);
        MDC.remove(PARTNER_ID);
        MDC.remove(REFERENCE);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
