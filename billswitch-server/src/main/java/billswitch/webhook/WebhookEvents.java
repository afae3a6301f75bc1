package billswitch.webhook;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The outbox as operators see it: events, their delivery log, and redelivery. */
@Service
public class WebhookEvents {
    private final JdbcClient jdbc;

    WebhookEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Event(String eventId, String partnerId, String transactionId, String type, String status, int attempts,
                        Instant nextAttemptAt, String lastError, Instant createdAt, Instant deliveredAt) {
    }

    public record Delivery(int attempt, String url, Integer httpStatus, String error, long durationMs, Instant at) {
    }

    public List<Event> list(String partnerId, String status, int limit) {
        return jdbc.sql("""
                select event_id, partner_id, order_id, type, status, attempts, next_attempt_at, last_error, created_at, delivered_at
                from webhook_events
                where (cast(:partner as text) is null or partner_id = :partner) and (cast(:status as text) is null or status = :status)
                order by id desc limit :limit""")
                .param("partner", partnerId).param("status", status).param("limit", limit)
                .query((rs, n) -> new Event(rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3)), rs.getString(4),
                        rs.getString(5), rs.getInt(6), instant(rs.getObject(7, OffsetDateTime.class)), rs.getString(8),
                        instant(rs.getObject(9, OffsetDateTime.class)), instant(rs.getObject(10, OffsetDateTime.class))))
                .list();
    }

    public Event event(String eventId) {
        return jdbc.sql("""
                select event_id, partner_id, order_id, type, status, attempts, next_attempt_at, last_error, created_at, delivered_at
                from webhook_events where event_id = :event""")
                .param("event", uuid(eventId))
                .query((rs, n) -> new Event(rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3)), rs.getString(4),
                        rs.getString(5), rs.getInt(6), instant(rs.getObject(7, OffsetDateTime.class)), rs.getString(8),
                        instant(rs.getObject(9, OffsetDateTime.class)), instant(rs.getObject(10, OffsetDateTime.class))))
                .optional().orElseThrow(() -> new BillSwitchException(ErrorCode.EVENT_NOT_FOUND));
    }

    public List<Delivery> deliveries(String eventId) {
        return jdbc.sql("""
                select d.attempt, d.url, d.http_status, d.error, d.duration_ms, d.at
                from webhook_deliveries d join webhook_events e on e.id = d.event_id
                where e.event_id = :event order by d.id""")
                .param("event", uuid(eventId))
                .query((rs, n) -> new Delivery(rs.getInt(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4),
                        rs.getLong(5), instant(rs.getObject(6, OffsetDateTime.class))))
                .list();
    }

    /** An event with its delivery log, as a payment's page shows it. */
    public record EventWithDeliveries(Event event, List<Delivery> deliveries) {
    }

    /** An order's events (oldest first, at most 20) with their deliveries. */
    public List<EventWithDeliveries> ofOrder(long orderId) {
        List<Event> events = jdbc.sql("""
                select event_id, partner_id, order_id, type, status, attempts, next_attempt_at, last_error, created_at, delivered_at
                from webhook_events where order_id = :order order by id limit 20""")
                .param("order", orderId)
                .query((rs, n) -> new Event(rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3)), rs.getString(4),
                        rs.getString(5), rs.getInt(6), instant(rs.getObject(7, OffsetDateTime.class)), rs.getString(8),
                        instant(rs.getObject(9, OffsetDateTime.class)), instant(rs.getObject(10, OffsetDateTime.class))))
                .list();
        return events.stream().map(e -> new EventWithDeliveries(e, deliveries(e.eventId()))).toList();
    }

    /** Events still to deliver: how many, and when the oldest was made (null: none). */
    public record Backlog(long pending, Instant oldestCreatedAt) {
    }

    public Backlog backlog() {
        return jdbc.sql("select count(*), min(created_at) from webhook_events where status = 'PENDING'")
                .query((rs, n) -> new Backlog(rs.getLong(1), instant(rs.getObject(2, OffsetDateTime.class)))).single();
    }

    /** Sends the event again from the start of the retry schedule, whatever its state. */
    public void redeliver(String eventId) {
        int n = jdbc.sql("update webhook_events set status = 'PENDING', attempts = 0, next_attempt_at = now() where event_id = :event")
                .param("event", uuid(eventId)).update();
        if (n == 0) {
            throw new BillSwitchException(ErrorCode.EVENT_NOT_FOUND);
        }
    }

    private static UUID uuid(String eventId) {
        try {
            return UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw new BillSwitchException(ErrorCode.EVENT_NOT_FOUND);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
