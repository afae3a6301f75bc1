package billswitch.payment;

/**
 * INITIATED: written with its hold, upstream not yet answered. PENDING: the upstream accepted it and
 * will settle later. UNKNOWN: the upstream did not say (timeout, 5xx); never refunded blindly.
 * SUCCESS: paid, hold posted. FAILED: declined at once, hold voided. REFUNDED: accepted (PENDING or
 * UNKNOWN) and later failed, hold voided.
 */
public enum OrderStatus {
    INITIATED, PENDING, UNKNOWN, SUCCESS, FAILED, REFUNDED;

    public boolean isFinal() {
        return this == SUCCESS || this == FAILED || this == REFUNDED;
    }
}
