package billswitch.api.admin;

import billswitch.admin.Approvals;
import billswitch.admin.AuditLog;
import billswitch.partner.PartnerService;
import billswitch.payment.Order;
import billswitch.payment.PaymentService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.infra.http.JsonBody;
import billswitch.webhook.WebhookEvents;
import tools.jackson.databind.JsonNode;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operating the money's edges: webhook endpoints and their outbox, and orders waiting for review. */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class OperationsController {
    private static final int MAX_LIST = 500;

    private final PartnerService partners;
    private final PaymentService payments;
    private final WebhookEvents events;
    private final AuditLog audit;
    private final Approvals approvals;

    OperationsController(PartnerService partners, PaymentService payments, WebhookEvents events, AuditLog audit,
                         Approvals approvals) {
        this.partners = partners;
        this.payments = payments;
        this.events = events;
        this.audit = audit;
        this.approvals = approvals;
    }

    record WebhookView(String partnerId, String callbackUrl, String webhookSecret, String note) {
    }

    /** Sets the callback URL and issues a new signing secret, shown once. */
    @PostMapping("/partners/{id}/webhook")
    WebhookView configureWebhook(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("callbackUrl"));
        String url = in.optionalString("callbackUrl");
        if (url != null && !url.matches("^https?://\\S+$")) {
            in.problem("callbackUrl", "must be an http(s) URL");
        }
        in.validate();
        PartnerService.Webhook webhook = audit.change(AdminRequest.actor(), "partner.webhook", AdminRequest.line(),
                "partner:" + id, () -> endpoint(partners.require(id).callbackUrl()),
                () -> partners.configureWebhook(id, url), w -> endpoint(w.callbackUrl()));
        return new WebhookView(id, webhook.callbackUrl(), webhook.secret().reveal(),
                "Verify each delivery's BillSwitch-Signature with this secret; it is shown once.");
    }

    /** A webhook endpoint as the audit log keeps it: the URL (null: none), never the secret. */
    private static Map<String, Object> endpoint(String callbackUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callbackUrl", callbackUrl);
        return m;
    }

    /**
     * This node's memory, threads and garbage-collection pauses since it started, for operators and the
     * benchmark (which reports the pauses each scenario saw: every request in flight during one waits it out).
     * A record: its JSON keys keep their order across restarts.
     */
    record RuntimeView(long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes, int platformThreads,
                       long gcPauses, long gcPauseMillis) {
    }

    @GetMapping("/runtime")
    RuntimeView runtime() {
        Runtime rt = Runtime.getRuntime();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long pauses = 0;
        long pauseMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            // ZGC and Shenandoah report their concurrent cycles in beans of their own, named "... Cycles"; every
            // other bean (G1's young, old and concurrent-cycle pauses; ZGC's and Shenandoah's "... Pauses") pauses.
            if (!gc.getName().endsWith("Cycles")) {
                pauses += Math.max(0, gc.getCollectionCount());
                pauseMillis += Math.max(0, gc.getCollectionTime());
            }
        }
        return new RuntimeView(heap.getUsed(), heap.getCommitted(), rt.maxMemory(), Thread.activeCount(), pauses,
                pauseMillis);
    }

    @GetMapping("/webhooks/events")
    Map<String, Object> events(@RequestParam(required = false) String partnerId,
                               @RequestParam(required = false) String status,
                               @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "limit must be between 1 and " + MAX_LIST + ".");
        }
        if (status != null && !Set.of("PENDING", "DELIVERED", "DEAD").contains(status)) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "status must be PENDING, DELIVERED or DEAD.");
        }
        return Map.of("events", events.list(partnerId, status, limit));
    }

    record EventView(WebhookEvents.Event event, List<WebhookEvents.Delivery> deliveries) {
    }

    @GetMapping("/webhooks/events/{eventId}")
    EventView event(@PathVariable String eventId) {
        return new EventView(events.event(eventId), events.deliveries(eventId));
    }

    @PostMapping("/webhooks/events/{eventId}/redeliver")
    Map<String, Object> redeliver(@PathVariable String eventId) {
        return Map.of("event", audit.change(AdminRequest.actor(), "webhook.redeliver", AdminRequest.line(),
                "event:" + eventId, () -> events.event(eventId), () -> {
                    events.redeliver(eventId);
                    return events.event(eventId);
                }, e -> e));
    }

    record ReviewView(String id, String partnerId, String reference, String kind, String status, String operatorId,
                      String accountNumber, long amountMinor, String currency, String failureCode, Instant createdAt) {
        static ReviewView of(Order o) {
            return new ReviewView(Long.toString(o.id()), o.partnerId(), o.reference(), o.kind().name(), o.status().name(),
                    o.operatorId(), o.accountNumber(), o.amountMinor(), o.currency().name(), o.failureCode(), o.createdAt());
        }
    }

    record OrderView(String id, String partnerId, String reference, String kind, String status, String operatorId,
                     String accountNumber, long amountMinor, long feeMinor, String currency, String operatorRef,
                     String failureCode, String failureMessage, Instant createdAt, Instant updatedAt,
                     List<PaymentService.Attempt> attempts, JsonNode contestedRefund, long ccfMinor, long gstMinor,
                     long commissionMinor, long tdsMinor, long debitMinor, long planVersionId,
                     List<MoneyView> transfers) {
    }

    /** Any order with every attempt: connector, the reference sent upstream, the upstream's code and outcome. */
    @GetMapping("/orders/{id}")
    OrderView order(@PathVariable String id) {
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND);
        }
        PaymentService.OrderDetail found = payments.orderDetail(Long.parseLong(id));
        Order o = found.order();
        return new OrderView(Long.toString(o.id()), o.partnerId(), o.reference(), o.kind().name(), o.status().name(),
                o.operatorId(), o.accountNumber(), o.amountMinor(), o.feeMinor(), o.currency().name(), o.operatorRef(),
                o.failureCode(), o.failureMessage(), o.createdAt(), o.updatedAt(), found.attempts(),
                found.contestedRefund() == null ? null : JsonBody.mapper().readTree(found.contestedRefund()),
                o.ccfMinor(), o.gstMinor(), o.commissionMinor(), o.tdsMinor(), o.debitMinor(), o.planVersionId(),
                found.money().stream().map(MoneyView::of).toList());
    }

    /** One transfer of an order's money: from which account kind to which (an upstream's with its connector). */
    record MoneyView(String id, String kind, String code, String from, String to, String connector, long amountMinor,
                     Instant at) {
        static MoneyView of(billswitch.ledger.Ledger.Movement m) {
            return new MoneyView(Long.toString(m.transferId()), m.kind().name(), m.code().name(), m.from().name(),
                    m.to().name(), m.connector(), m.amountMinor(), m.at());
        }
    }

    @GetMapping("/orders/review")
    Map<String, List<ReviewView>> review(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "limit must be between 1 and " + MAX_LIST + ".");
        }
        return Map.of("orders", payments.ordersNeedingReview(limit).stream().map(ReviewView::of).toList());
    }

    /** Settles an order in NEEDS_REVIEW: {"outcome":"SUCCESS"|"FAILED","reason":"..."}; FAILED refunds it. */
    @PostMapping("/orders/{id}/settle")
    ResponseEntity<Object> settle(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("outcome", "reason"));
        String outcome = in.requiredString("outcome");
        String reason = in.requiredString("reason");
        if (outcome != null && !outcome.equals("SUCCESS") && !outcome.equals("FAILED")) {
            in.problem("outcome", "must be SUCCESS or FAILED");
        }
        in.validate();
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND);
        }
        Approvals.Outcome<Order> settled = approvals.settle(AdminRequest.actor(), AdminRequest.line(), Long.parseLong(id),
                outcome.equals("SUCCESS"), reason);
        if (settled.pending() != null) {
            return PendingView.of(settled.pending());
        }
        return ResponseEntity.ok(ReviewView.of(settled.done()));
    }
}
