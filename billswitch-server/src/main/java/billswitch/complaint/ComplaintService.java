package billswitch.complaint;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AdminRole;
import billswitch.admin.ApprovalKind;
import billswitch.admin.Approvals;
import billswitch.admin.AuditLog;
import billswitch.ledger.Ledger;
import billswitch.ledger.TransferCode;
import billswitch.payment.Order;
import billswitch.payment.OrderKind;
import billswitch.payment.OrderStatus;
import billswitch.payment.PaymentService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Complaints about partners' transactions (BBPS-style, protocols.md section 4): raised by a partner (native API,
 * Eko's complaint form) or an operator (console), with a resolution deadline per type ({@link ComplaintSettings});
 * assigned, escalated when the deadline passes ({@link #escalateOverdue}), resolved (with or without a refund of
 * the payment, through the order state machine; above the approval threshold a second identity approves the
 * refund) or rejected, each change as {@link ComplaintTransitions} declares. Every change is recorded in the
 * complaint's history and the audit log and told to {@link ComplaintEvents} (the webhook complaint.updated) in
 * its own transaction.
 */
@Service
public class ComplaintService implements ApprovalKind {
    /** The approval action of a complaint's refund above the threshold. */
    public static final String REFUND = "COMPLAINT_REFUND";
    /** The longest description (and resolution note) accepted. */
    public static final int MAX_TEXT = 256;

    private final ComplaintRepository complaints;
    private final PaymentService payments;
    private final Ledger ledger;
    private final AuditLog audit;
    private final Approvals approvals;
    private final ComplaintSettings settings;
    private final List<ComplaintEvents> events;
    private final TransactionTemplate tx;
    private final Clock clock;

    ComplaintService(ComplaintRepository complaints, PaymentService payments, Ledger ledger, AuditLog audit,
                     Approvals approvals, ComplaintSettings settings, List<ComplaintEvents> events,
                     TransactionTemplate tx, Clock clock) {
        this.complaints = complaints;
        this.payments = payments;
        this.ledger = ledger;
        this.audit = audit;
        this.approvals = approvals;
        this.settings = settings;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * A complaint to raise: the partner's transaction by our id ({@code transactionId}) or the partner's reference
     * (exactly one), the type (its name or BBPS disposition), a description; {@code channel} NATIVE, EKO or CONSOLE;
     * {@code raisedBy}: an admin identity when raised from the console for the partner, else null.
     */
    public record Raise(String partnerId, String channel, String transactionId, String reference, String type,
                        String description, AdminIdentity raisedBy) {
    }

    /** Raises a complaint; INVALID_REQUEST (with the fields), TRANSACTION_NOT_FOUND or COMPLAINT_EXISTS else. */
    public Complaint raise(Raise r) {
        Map<String, String> problems = new LinkedHashMap<>();
        boolean byId = r.transactionId() != null && !r.transactionId().isBlank();
        boolean byReference = r.reference() != null && !r.reference().isBlank();
        if (byId == byReference) {
            problems.put("transactionId", "give exactly one of transactionId and reference");
        } else if (byId && !r.transactionId().matches("^[0-9]{1,18}$")) {
            problems.put("transactionId", "must be a transaction id (digits)");
        }
        ComplaintType type = ComplaintType.parse(r.type());
        if (type == null) {
            problems.put("type", "must be one of NOT_CREDITED, PAID_TWICE, WRONG_AMOUNT, WRONG_ACCOUNT (or their "
                    + "BBPS dispositions D11, D22, D23, D21)");
        }
        String description = r.description() == null ? "" : r.description().strip();
        if (description.isEmpty()) {
            problems.put("description", "must not be empty");
        } else if (description.length() > MAX_TEXT) {
            problems.put("description", "must be at most " + MAX_TEXT + " characters");
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The complaint has missing or wrong fields.", problems);
        }
        Order order = byId ? payments.order(r.partnerId(), Long.parseLong(r.transactionId()))
                : payments.orderByReference(r.partnerId(), r.reference());
        if (order.kind() == OrderKind.BILL_FETCH) {
            throw new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND, "Transaction " + order.id()
                    + " is a bill fetch: complaints are about payments.");
        }
        Instant now = now();
        Complaint raised = tx.execute(s -> {
            long id = complaints.insert(r.partnerId(), order.id(), type, description, r.channel(), now,
                    now.plus(settings.turnaround(type))).orElseThrow(() -> exists(order.id(), type));
            String actor = r.raisedBy() != null ? r.raisedBy().name() : "partner:" + r.partnerId();
            complaints.recordChange(id, actor, null, ComplaintStatus.INITIALIZED, description);
            Complaint c = complaints.find(id).orElseThrow();
            if (r.raisedBy() != null) {
                audit.admin(r.raisedBy(), "complaint.raise", "console complaint", target(id), null, summary(c));
            } else {
                audit.partner(r.partnerId(), "complaint.raise", r.channel() + " complaint", target(id), null, summary(c));
            }
            tell(c);
            return c;
        });
        return raised;
    }

    /** COMPLAINT_EXISTS naming the open complaint (fields.complaintId), so a caller that retried finds its own. */
    private BillSwitchException exists(long orderId, ComplaintType type) {
        String open = complaints.openOf(orderId, type).map(String::valueOf).orElse(null);
        return new BillSwitchException(ErrorCode.COMPLAINT_EXISTS, "Transaction " + orderId + " already has an open "
                + type + " complaint" + (open == null ? "." : " (" + open + ")."),
                open == null ? Map.of() : Map.of("complaintId", open));
    }

    /** The partner's complaint; COMPLAINT_NOT_FOUND for another partner's. */
    public Complaint get(String partnerId, long id) {
        return complaints.find(id).filter(c -> c.partnerId().equals(partnerId))
                .orElseThrow(() -> new BillSwitchException(ErrorCode.COMPLAINT_NOT_FOUND));
    }

    /** Any partner's complaint, for operators. */
    public Complaint get(long id) {
        return complaints.find(id).orElseThrow(() -> new BillSwitchException(ErrorCode.COMPLAINT_NOT_FOUND,
                "No complaint " + id + "."));
    }

    /** Complaints newest first, in one status (null: all). */
    public List<Complaint> list(ComplaintStatus status, int limit) {
        return complaints.list(null, status, null, limit);
    }

    /** Complaints newest first: one partner's (null: all), in one status (null: all), only the overdue ones. */
    public List<Complaint> list(String partnerId, ComplaintStatus status, boolean overdue, int limit) {
        return complaints.list(partnerId, status, overdue ? clock.instant() : null, limit);
    }

    /** An order's complaints, oldest first. */
    public List<Complaint> ofOrder(long orderId) {
        return complaints.ofOrder(orderId);
    }

    /** A complaint's changes, oldest first. */
    public List<Complaint.Change> history(long id) {
        return complaints.history(id);
    }

    /** The identity takes the complaint. */
    public Complaint assign(AdminIdentity actor, String request, long id) {
        return tx.execute(s -> change(actor.name(), id, ComplaintTransitions.Action.ASSIGN, actor.name(), null, null,
                "assigned to " + actor.name(), (before, after) -> audit.admin(actor, "complaint.assign", request,
                        target(id), summary(before), summary(after))));
    }

    /** Rejects the complaint with the reason told to the partner. */
    public Complaint reject(AdminIdentity actor, String request, long id, String reason) {
        String note = text(reason, "reason");
        return tx.execute(s -> change(actor.name(), id, ComplaintTransitions.Action.REJECT, null, note, null, note,
                (before, after) -> audit.admin(actor, "complaint.reject", request, target(id), summary(before),
                        summary(after))));
    }

    /** What resolving came to: the complaint resolved, or its refund waiting for a second identity. */
    public record Resolved(Complaint complaint, Approvals.ApprovalView pending) {
    }

    /**
     * Resolves the complaint with the resolution told to the partner; {@code refund}: the payment (SUCCESS) is
     * refunded too, through the order state machine (REFUNDED, each of its transfers reversed once). A refund
     * whose amount is above the approval threshold files an approval instead (COMPLAINT_REFUND): it resolves once
     * a second identity approves it.
     */
    public Resolved resolve(AdminIdentity actor, String request, long id, String resolution, boolean refund) {
        String note = text(resolution, "resolution");
        Complaint c = get(id);
        if (!c.status().isOpen()) {
            throw closed(c);
        }
        if (refund) {
            Order order = payments.orderDetail(c.orderId()).order();
            if (order.status() != OrderStatus.SUCCESS) {
                Complaint now = get(id);
                if (!now.status().isOpen()) {
                    // resolved (and refunded) meanwhile by someone else
                    throw closed(now);
                }
                throw new BillSwitchException(ErrorCode.NOT_REFUNDABLE, "Transaction " + order.id() + " is "
                        + order.status() + ": only a SUCCESS payment is refunded through a complaint.");
            }
            if (approvals.needsApproval(order.currency(), order.debitMinor())) {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("complaintId", Long.toString(id));
                payload.put("resolution", note);
                Approvals.ApprovalView filed = approvals.file(actor, request, this, target(id), REFUND + ":" + id,
                        order.currency(), order.debitMinor(), payload);
                if (filed.status().equals("APPROVED")) {
                    throw closed(get(id));
                }
                return new Resolved(get(id), filed);
            }
        }
        return new Resolved(tx.execute(s -> executeResolve(actor, request, id, note, refund)), null);
    }

    private Complaint executeResolve(AdminIdentity actor, String request, long id, String note, boolean refund) {
        return change(actor.name(), id, ComplaintTransitions.Action.RESOLVE, null, note, refund, note,
                (before, after) -> audit.admin(actor, refund ? "complaint.resolve-with-refund" : "complaint.resolve",
                        request, target(id), summary(before), summary(after)));
    }

    @Override
    public String action() {
        return REFUND;
    }

    @Override
    public boolean mayDecide(AdminIdentity actor) {
        return actor.is(AdminRole.OPERATIONS, AdminRole.ADMIN);
    }

    /** The approved refund of a complaint, in the approval's transaction. */
    @Override
    public Object execute(AdminIdentity actor, String request, JsonNode payload) {
        long id = Long.parseLong(payload.get("complaintId").stringValue());
        return summary(executeResolve(actor, request, id, payload.get("resolution").stringValue(), true));
    }

    /**
     * Escalates the open complaints (INITIALIZED, ASSIGNED) whose deadline is at or before {@code now}, a batch at a
     * time; how many. The sweep ({@link ComplaintDeadlines}) passes its clock's time.
     */
    public int escalateOverdue(Instant now) {
        int total = 0;
        while (true) {
            Integer n = tx.execute(s -> {
                List<Long> due = complaints.lockOverdue(now, 100);
                for (long id : due) {
                    change("system", id, ComplaintTransitions.Action.ESCALATE, null, null, null,
                            "resolution deadline passed", (before, after) -> audit.system("complaint.escalate",
                                    "deadline sweep", target(id), summary(before), summary(after)));
                }
                return due.size();
            });
            total += n;
            if (n < 100) {
                return total;
            }
        }
    }

    /** Audits a change with the complaint before and after. */
    private interface Audit {
        void record(Complaint before, Complaint after);
    }

    /**
     * Moves a locked complaint as the table declares (COMPLAINT_NOT_FOUND, COMPLAINT_CLOSED when refused), refunding
     * its payment when {@code refund}, and records the change, its audit entry and its event.
     */
    private Complaint change(String actor, long id, ComplaintTransitions.Action action, String assignTo, String resolution,
                             Boolean refund, String note, Audit audited) {
        Complaint before = complaints.lock(id).orElseThrow(() -> new BillSwitchException(ErrorCode.COMPLAINT_NOT_FOUND,
                "No complaint " + id + "."));
        ComplaintStatus to = ComplaintTransitions.next(before.status(), action).orElseThrow(() -> closed(before));
        Long refunded = null;
        if (Boolean.TRUE.equals(refund)) {
            payments.refundAfterComplaint(before.orderId(), "complaint " + id + ": " + resolution);
            refunded = walletRefund(before);
        }
        complaints.move(id, to, assignTo, resolution, refunded, now());
        complaints.recordChange(id, actor, before.status(), to,
                refunded == null ? note : note + " (refunded " + refunded + " minor units to the wallet)");
        Complaint after = complaints.find(id).orElseThrow();
        audited.record(before, after);
        tell(after);
        return after;
    }

    /** What the reversal of the complaint's payment gave back to the partner's wallet, net. */
    private long walletRefund(Complaint c) {
        return ledger.orderTransfers(c.orderId()).stream().filter(e -> e.code() == TransferCode.REVERSAL)
                .mapToLong(e -> e.direction() == Ledger.Direction.CREDIT ? e.amountMinor() : -e.amountMinor()).sum();
    }

    private void tell(Complaint c) {
        events.forEach(e -> e.changed(c));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(String value, String field) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty() || v.length() > MAX_TEXT) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The " + field + " is missing or too long.",
                    Map.of(field, v.isEmpty() ? "must not be empty" : "must be at most " + MAX_TEXT + " characters"));
        }
        return v;
    }

    private static BillSwitchException closed(Complaint c) {
        return new BillSwitchException(ErrorCode.COMPLAINT_CLOSED, "Complaint " + c.id() + " is " + c.status() + ".");
    }

    private static String target(long id) {
        return "complaint:" + id;
    }

    /** A complaint as the audit log and an approval's result keep it. */
    public static Map<String, Object> summary(Complaint c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Long.toString(c.id()));
        m.put("partnerId", c.partnerId());
        m.put("transactionId", Long.toString(c.orderId()));
        m.put("type", c.type().name());
        m.put("status", c.status().name());
        m.put("dueAt", c.dueAt().toString());
        m.put("assignedTo", c.assignedTo());
        m.put("resolution", c.resolution());
        m.put("refundMinor", c.refundMinor());
        return m;
    }
}
