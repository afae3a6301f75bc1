package billswitch.complaint;

import java.time.Instant;

/**
 * A complaint as stored: about the partner's order {@code orderId} ({@code orderReference}: the partner's
 * reference of it), raised through {@code channel} (NATIVE, EKO, CONSOLE). {@code resolution}: what we said when
 * we closed it; {@code refundMinor}: what a refund gave back to the wallet (null: none). The upstream's side:
 * {@code upstreamConnector} it was forwarded to, the upstream's complaint id and its last word (all null: kept
 * here, the connector has no complaint call, or not forwarded yet); {@code upstreamStatus} the upstream's status
 * word for it; {@code forwardState} where forwarding stands (PENDING, OPEN_UPSTREAM, CLOSED_UPSTREAM, KEPT,
 * REFUSED, GAVE_UP: {@link ComplaintForwarding}).
 */
public record Complaint(long id, String partnerId, long orderId, String orderReference, ComplaintType type,
                        String description, String channel, ComplaintStatus status, Instant dueAt, String assignedTo,
                        String resolution, Long refundMinor, String upstreamConnector, String upstreamComplaintId,
                        String upstreamNote, Instant createdAt, Instant updatedAt, String upstreamStatus,
                        String forwardState) {

    /** Past its deadline and still open. */
    public boolean overdue(Instant now) {
        return status.isOpen() && !dueAt.isAfter(now);
    }

    /** One change in a complaint's life: who, from and to, and what they said. */
    public record Change(Instant at, String actor, ComplaintStatus from, ComplaintStatus to, String note) {
    }
}
