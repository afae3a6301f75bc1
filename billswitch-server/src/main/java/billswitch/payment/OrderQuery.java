package billswitch.payment;

import java.time.Instant;

/**
 * Which of a partner's payments to list, newest first by (created at, id): created in [from, to) (each optional),
 * in {@code status} (optional), older than the position {@code (beforeCreatedAt, beforeId)} a previous page ended at
 * (both null: from the newest), at most {@code limit}.
 */
public record OrderQuery(Instant from, Instant to, OrderStatus status, Instant beforeCreatedAt, Long beforeId, int limit) {
    public OrderQuery {
        if ((beforeCreatedAt == null) != (beforeId == null)) {
            throw new IllegalArgumentException("a position is a creation time and an id");
        }
    }
}
