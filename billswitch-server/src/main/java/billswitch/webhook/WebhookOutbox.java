package billswitch.webhook;

import static billswitch.infra.db.SqlArrays.bigint;
import static billswitch.infra.db.SqlArrays.text;

import billswitch.payment.Order;
import billswitch.payment.OrderEvents;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Events only for partners with a callback URL: their payloads are built, and written by one statement. */
    @Override
    public void changed(List<Order> orders, Set<String> listening) {
        Set<String> told = listening != null ? listening : listening(orders);
        List<Order> events = orders.stream().filter(o -> told.contains(o.partnerId())).toList();
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        Object[] eventIds = new Object[n];
        Object[] partners = new Object[n];
        Object[] orderIds = new Object[n];
        Object[] types = new Object[n];
        Object[] payloads = new Object[n];
        for (int i = 0; i < n; i++) {
            Order order = events.get(i);
            UUID eventId = UUID.randomUUID();
            eventIds[i] = eventId.toString();
            partners[i] = order.partnerId();
            orderIds[i] = order.id();
            types[i] = type(order);
            payloads[i] = json.writeValueAsString(payload(eventId, order));
        }
        jdbc.sql("""
                insert into webhook_events (event_id, partner_id, order_id, type, payload, status)
                select event_id, partner_id, order_id, type, payload, 'PENDING'
                from unnest(:events::uuid[], :partners, :orders, :types, :payloads) with ordinality
                    as v(event_id, partner_id, order_id, type, payload, n)
                order by n""")
                .param("events", text(eventIds)).param("partners", text(partners))
                .param("orders", bigint(orderIds)).param("types", text(types)).param("payloads", text(payloads))
                .update();
    }

    /** Which of the orders' partners have a callback URL. */
    private Set<String> listening(List<Order> orders) {
        return new HashSet<>(jdbc.sql("select id from partners where id = any(:ids) and callback_url is not null")
                .param("ids", text(orders.stream().map(Order::partnerId).distinct().toArray()))
                .query(String.class).list());
    }

    private static Map<String, Object> payload(UUID eventId, Order order) {
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
        Map<String, Object> failure = null;
        if (order.failureCode() != null) {
            failure = new LinkedHashMap<>();
            failure.put("code", order.failureCode());
            failure.put("message", order.failureMessage() == null ? "" : order.failureMessage());
        }
        data.put("failure", failure);
        Map<String, Object> refund = null;
        if (order.refundedAt() != null) {
            refund = new LinkedHashMap<>();
            refund.put("amountMinor", order.debitMinor());
            refund.put("at", order.refundedAt().toString());
        }
        data.put("refund", refund);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", eventId.toString());
        payload.put("type", type(order));
        payload.put("createdAt", Instant.now().toString());
        payload.put("data", data);
        return payload;
    }
}
