package billswitch.webhook;

import billswitch.payment.Order;
import billswitch.payment.OrderEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an event for every final state change (and NEEDS_REVIEW) into the outbox, in the transaction
 * of the change itself, for partners with a callback URL. The payload is a snapshot of the order.
 */
@Component
class WebhookOutbox implements OrderEvents {
    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    WebhookOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String type(Order order) {
        return switch (order.status()) {
            case SUCCESS -> "payment.succeeded";
            case FAILED -> "payment.failed";
            case REFUNDED -> "payment.refunded";
            case NEEDS_REVIEW -> "payment.needs_review";
            case INITIATED, PENDING, UNKNOWN -> "payment.pending";
        };
    }

    @Override
    public void changed(Order order) {
        UUID eventId = UUID.randomUUID();
        String type = type(order);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("transactionId", Long.toString(order.id()));
        data.put("reference", order.reference());
        data.put("kind", order.kind().name());
        data.put("status", order.status().name());
        data.put("operatorId", order.operatorId());
        data.put("accountNumber", order.accountNumber());
        data.put("amountMinor", order.amountMinor());
        data.put("feeMinor", order.feeMinor());
        data.put("currency", order.currency().name());
        data.put("operatorRef", order.operatorRef());
        data.put("failure", order.failureCode() == null ? null : Map.of("code", order.failureCode(),
                "message", order.failureMessage() == null ? "" : order.failureMessage()));
        data.put("refund", order.refundedAt() == null ? null : Map.of("amountMinor", order.debitMinor(),
                "at", order.refundedAt().toString()));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", eventId.toString());
        payload.put("type", type);
        payload.put("createdAt", Instant.now().toString());
        payload.put("data", data);
        // One statement: written only for partners with a callback URL.
        jdbc.sql("""
                insert into webhook_events (event_id, partner_id, order_id, type, payload, status)
                select :event, id, :order, :type, :payload, 'PENDING' from partners
                where id = :partner and callback_url is not null""")
                .param("event", eventId).param("partner", order.partnerId()).param("order", order.id())
                .param("type", type).param("payload", json.writeValueAsString(payload)).update();
    }
}
