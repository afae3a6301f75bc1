package billswitch.payment;

import java.util.List;

/**
 * Told of every order that reaches a final state or NEEDS_REVIEW, inside the transaction that moved it,
 * so an outbox written here commits or rolls back with the state change itself. Orders settled in one
 * batch are told in one call.
 */
public interface OrderEvents {
    void changed(List<Order> orders);
}
