package billswitch.webhook;

import billswitch.complaint.Complaint;
import billswitch.complaint.ComplaintEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@code complaint.updated} event for every change of a complaint into the outbox, in the change's
 * transaction, for partners with a callback URL; delivered and signed like the payment events (the complaint's
 * transaction is the event's order, so an order's payment and complaint events arrive in order).
 */
@Component
class ComplaintWebhooks implements ComplaintEvents {
    static final String TYPE = "complaint.updated";

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    ComplaintWebhooks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void changed(Complaint c) {
        UUID eventId = UUID.randomUUID();
        jdbc.sql("""
                insert into webhook_events (event_id, partner_id, order_id, type, payload, status)
                select :event::uuid, p.id, :order, :type, :payload, 'PENDING'
                from partners p where p.id = :partner and p.callback_url is not null""")
                .param("event", eventId.toString()).param("order", c.orderId()).param("type", TYPE)
                .param("payload", json.writeValueAsString(payload(eventId, c))).param("partner", c.partnerId())
                .update();
    }

    private static Map<String, Object> payload(UUID eventId, Complaint c) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("complaintId", Long.toString(c.id()));
        data.put("transactionId", Long.toString(c.orderId()));
        data.put("reference", c.orderReference());
        data.put("type", c.type().name());
        data.put("disposition", c.type().disposition());
        data.put("status", c.status().name());
        data.put("dueAt", c.dueAt().toString());
        data.put("resolution", c.resolution());
        data.put("refundMinor", c.refundMinor());
        data.put("upstreamComplaintId", c.upstreamComplaintId());
        data.put("upstreamStatus", c.upstreamStatus());
        data.put("updatedAt", c.updatedAt().toString());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", eventId.toString());
        payload.put("type", TYPE);
        payload.put("createdAt", Instant.now().toString());
        payload.put("data", data);
        return payload;
    }
}
