package billswitch.payment;

import java.util.EnumSet;
import java.util.Set;

/**
 * INITIATED: written with its hold, upstream not yet answered. PENDING: the upstream accepted it and
 * will settle later. UNKNOWN: the upstream did not say (timeout, 5xx); never refunded blindly.
 * NEEDS_REVIEW: still unsettled past the maximum age; an operator settles it through the admin API.
 * SUCCESS: paid, hold posted. FAILED: declined at once, hold voided. REFUNDED: accepted (PENDING,
 * UNKNOWN or NEEDS_REVIEW) and later failed, hold voided.
 */
public enum OrderStatus {
    INITIATED, PENDING, UNKNOWN, NEEDS_REVIEW, SUCCESS, FAILED, REFUNDED;

    /** States the status janitor re-asks the connector about. */
    public static final Set<OrderStatus> UNSETTLED = EnumSet.of(INITIATED, PENDING, UNKNOWN);

    public boolean isFinal() {
        return this == SUCCESS || this == FAILED || this == REFUNDED;
    }
}
