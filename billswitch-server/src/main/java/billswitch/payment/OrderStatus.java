package billswitch.payment;

/**
 * An order's status as stored and shown. INITIATED: written with its hold, upstream not yet answered.
 * PENDING: the upstream accepted it and will settle later. UNKNOWN: the upstream did not say (timeout,
 * 5xx); never refunded blindly. NEEDS_REVIEW: still unsettled past the maximum age, money held; or
 * refunded and then reported successful by the upstream, both facts kept; an operator settles it through
 * the admin API. SUCCESS: paid, hold posted. FAILED: declined at once, hold voided. REFUNDED: accepted
 * (PENDING, UNKNOWN or NEEDS_REVIEW) and later failed, hold voided. Which status follows which, and what
 * moves the money then: {@link OrderStateMachine}.
 */
public enum OrderStatus {
    INITIATED, PENDING, UNKNOWN, NEEDS_REVIEW, SUCCESS, FAILED, REFUNDED;

    public boolean isFinal() {
        return this == SUCCESS || this == FAILED || this == REFUNDED;
    }
}
