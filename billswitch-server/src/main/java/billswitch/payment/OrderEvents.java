package billswitch.payment;

import java.util.List;
import java.util.Set;

/**
 * Told of every order that reaches a final state or NEEDS_REVIEW, inside the transaction that moved it,
 * so an outbox written here commits or rolls back with the state change itself. Orders settled in one
 * batch are told in one call.
 */
public interface OrderEvents {
    /**
     * {@code listening}: which of the orders' partners have a callback URL, as the caller read them in the
     * same transaction, or null if it did not (then the listener reads them).
     */
    void changed(List<Order> orders, Set<String> listening);
}
