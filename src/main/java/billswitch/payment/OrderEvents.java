package billswitch.payment;

/**
 * Told of every order that reaches a final state or NEEDS_REVIEW, inside the transaction that moved it,
 * so an outbox written here commits or rolls back with the state change itself.
 */
public interface OrderEvents {
    void changed(Order order);
}
