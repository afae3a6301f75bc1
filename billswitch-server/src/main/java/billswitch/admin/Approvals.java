package billswitch.admin;

import billswitch.ledger.Ledger;
import billswitch.partner.PartnerService;
import billswitch.payment.Order;
import billswitch.payment.OrderStatus;
import billswitch.payment.PaymentService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API's money-moving writes, top-ups and manual settlements, each recorded in the audit log in its
 * own transaction. Above the currency's approval threshold ({@link ApprovalSettings}) the first identity's
 * request only files a pending approval; a second identity with the right role approves it (it executes then,
 * once: the approval's row is locked and must still be PENDING) or rejects it. The requester cannot approve
 * their own request (they may withdraw it by rejecting it).
 */
@Service
public class Approvals {
    public static final String TOP_UP = "TOP_UP";
    public static final String SETTLE = "SETTLE";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final AuditLog audit;
    private final ApprovalSettings settings;
    private final PartnerService partners;
    private final PaymentService payments;
    private final Ledger ledger;
    private final ObjectProvider<ApprovalKind> kinds;

    Approvals(JdbcClient jdbc, TransactionTemplate tx, JsonMapper json, AuditLog audit, ApprovalSettings settings,
              PartnerService partners, PaymentService payments, Ledger ledger, ObjectProvider<ApprovalKind> kinds) {
        this.kinds = kinds;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.audit = audit;
        this.settings = settings;
        this.partners = partners;
        this.payments = payments;
        this.ledger = ledger;
    }

    public record ApprovalView(String id, String action, String target, String currency, long amountMinor,
                               JsonNode request, String status, String requestedBy, Instant requestedAt,
                               String decidedBy, Instant decidedAt, String reason, JsonNode result) {
    }

    /** What a money-moving admin request came to: done (the result), or waiting for a second identity. */
    public record Outcome<T>(T done, ApprovalView pending) {
    }

    /** Credits a wallet (idempotent on the reference), or files an approval when the amount is above the threshold. */
    public Outcome<PartnerService.TopUp> topUp(AdminIdentity actor, String request, String partnerId, Currency currency,
                                               long amountMinor, String reference) {
        partners.require(partnerId);
        if (settings.needsApproval(currency, amountMinor)) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("partnerId", partnerId);
            payload.put("currency", currency.name());
            payload.put("amountMinor", amountMinor);
            payload.put("reference", reference);
            ApprovalView filed = file(actor, request, TOP_UP, "partner:" + partnerId,
                    "TOP_UP:" + partnerId + ":" + currency + ":" + reference, currency, amountMinor, payload);
            boolean made = filed.status().equals("APPROVED");
            if (filed.amountMinor() != amountMinor) {
                throw new BillSwitchException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Top-up reference '" + reference
                        + (made ? "' was approved and made (" : "' is waiting for approval (") + filed.id()
                        + ") with a different amount.");
            }
            if (made) {
                // Sent again after its approval executed: the top-up made, not a second approval.
                JsonNode r = filed.result();
                return new Outcome<>(new PartnerService.TopUp(Long.parseLong(r.get("transferId").stringValue()),
                        r.get("amountMinor").longValue(), r.get("openingMinor").longValue(),
                        r.get("closingMinor").longValue(), true), null);
            }
            return new Outcome<>(null, filed);
        }
        return new Outcome<>(tx.execute(s -> executeTopUp(actor, request, partnerId, currency, amountMinor, reference)), null);
    }

    /** Settles an order in NEEDS_REVIEW, or files an approval when its amount is above the threshold. */
    public Outcome<Order> settle(AdminIdentity actor, String request, long orderId, boolean paid, String reason) {
        Order order = payments.orderDetail(orderId).order();
        if (order.status() != OrderStatus.NEEDS_REVIEW) {
            throw new BillSwitchException(ErrorCode.NOT_IN_REVIEW, "Order " + orderId + " is " + order.status() + ", not NEEDS_REVIEW.");
        }
        if (settings.needsApproval(order.currency(), order.amountMinor())) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("orderId", Long.toString(orderId));
            payload.put("outcome", paid ? "SUCCESS" : "FAILED");
            payload.put("reason", reason);
            ApprovalView filed = file(actor, request, SETTLE, "order:" + orderId, "SETTLE:" + orderId,
                    order.currency(), order.amountMinor(), payload);
            if (filed.status().equals("APPROVED")) {
                throw new BillSwitchException(ErrorCode.NOT_IN_REVIEW, "Order " + orderId + " was settled meanwhile ("
                        + filed.id() + ").");
            }
            if (!filed.request().get("outcome").stringValue().equals(payload.get("outcome"))) {
                throw new BillSwitchException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Order " + orderId
                        + " is already waiting for approval (" + filed.id() + ") to settle it "
                        + filed.request().get("outcome").stringValue() + "; reject that one first.");
            }
            return new Outcome<>(null, filed);
        }
        return new Outcome<>(tx.execute(s -> executeSettlement(actor, request, orderId, paid, reason)), null);
    }

    /** Approves and executes a pending approval, once; approving an approved one answers it as it was approved. */
    public ApprovalView approve(AdminIdentity actor, String request, long id) {
        return tx.execute(s -> {
            ApprovalView a = locked(id);
            if (a.status().equals("APPROVED")) {
                return a;
            }
            if (!a.status().equals("PENDING")) {
                throw new BillSwitchException(ErrorCode.APPROVAL_DECIDED, "Approval " + id + " is " + a.status() + ".");
            }
            refuseWrongRole(actor, a);
            if (a.requestedBy().equals(actor.name())) {
                throw new BillSwitchException(ErrorCode.ADMIN_FORBIDDEN,
                        "Approval " + id + " needs a second identity: " + actor.name() + " requested it.");
            }
            // Nor one the requester made or last gave a token to: they could hold its token.
            boolean tied = jdbc.sql("""
                    select count(*) from admin_identities
                    where name = :approver and (created_by = :requester or rotated_by = :requester)""")
                    .param("approver", actor.name()).param("requester", a.requestedBy()).query(Long.class).single() > 0;
            if (tied) {
                throw new BillSwitchException(ErrorCode.ADMIN_FORBIDDEN, "Approval " + id + " needs a second person: "
                        + actor.name() + " was created, or its token last rotated, by " + a.requestedBy()
                        + ", who requested it.");
            }
            JsonNode p = a.request();
            Object result = switch (a.action()) {
                case TOP_UP -> topUpSummary(p.get("partnerId").stringValue(), Currency.valueOf(p.get("currency").stringValue()),
                        executeTopUp(actor, request, p.get("partnerId").stringValue(),
                                Currency.valueOf(p.get("currency").stringValue()), p.get("amountMinor").longValue(),
                                p.get("reference").stringValue()));
                case SETTLE -> orderSummary(executeSettlement(actor, request, Long.parseLong(p.get("orderId").stringValue()),
                        p.get("outcome").stringValue().equals("SUCCESS"), p.get("reason").stringValue()));
                default -> kind(a.action()).execute(actor, request, p);
            };
            jdbc.sql("""
                    update admin_approvals set status = 'APPROVED', decided_by = :by, decided_at = now(),
                        result = :result::jsonb where id = :id""")
                    .param("by", actor.name()).param("result", json.writeValueAsString(result)).param("id", id).update();
            ApprovalView approved = find(id).orElseThrow();
            audit.append(actor, "approval.approve", request, "approval:" + id, a, approved);
            return approved;
        });
    }

    /** Rejects a pending approval: nothing is executed. The requester may withdraw their own this way. */
    public ApprovalView reject(AdminIdentity actor, String request, long id, String reason) {
        return tx.execute(s -> {
            ApprovalView a = locked(id);
            if (!a.status().equals("PENDING")) {
                throw new BillSwitchException(ErrorCode.APPROVAL_DECIDED, "Approval " + id + " is " + a.status() + ".");
            }
            if (!a.requestedBy().equals(actor.name())) {
                refuseWrongRole(actor, a);
            }
            jdbc.sql("""
                    update admin_approvals set status = 'REJECTED', decided_by = :by, decided_at = now(), reason = :reason
                    where id = :id""")
                    .param("by", actor.name()).param("reason", reason, java.sql.Types.VARCHAR).param("id", id).update();
            ApprovalView rejected = find(id).orElseThrow();
            audit.append(actor, "approval.reject", request, "approval:" + id, a, rejected);
            return rejected;
        });
    }

    /** Approvals in one status (PENDING, APPROVED, REJECTED), oldest first. */
    public List<ApprovalView> list(String status, int limit) {
        return jdbc.sql(SELECT + " where status = :status order by id limit :limit")
                .param("status", status).param("limit", limit).query(this::view).list();
    }

    /** Decided approvals (APPROVED or REJECTED), the latest decided first. */
    public List<ApprovalView> decided(int limit) {
        return jdbc.sql(SELECT + " where status <> 'PENDING' order by decided_at desc, id desc limit :limit")
                .param("limit", limit).query(this::view).list();
    }

    public ApprovalView get(long id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    private ApprovalView file(AdminIdentity actor, String request, String action, String target, String dedupeKey,
                              Currency currency, long amountMinor, Map<String, Object> payload) {
        return tx.execute(s -> {
            for (int tries = 0; ; tries++) {
                // Approved and executed already: the caller answers what it made.
                Optional<ApprovalView> approved = jdbc.sql(SELECT
                                + " where dedupe_key = :key and status = 'APPROVED' order by id desc limit 1")
                        .param("key", dedupeKey).query(this::view).optional();
                if (approved.isPresent()) {
                    return approved.get();
                }
                Optional<Long> id = jdbc.sql("""
                        insert into admin_approvals (action, target, dedupe_key, currency, amount_minor, payload, requested_by)
                        values (:action, :target, :key, :currency, :amount, :payload::jsonb, :by)
                        on conflict (dedupe_key) where status = 'PENDING' do nothing returning id""")
                        .param("action", action).param("target", target).param("key", dedupeKey)
                        .param("currency", currency.name()).param("amount", amountMinor)
                        .param("payload", json.writeValueAsString(payload)).param("by", actor.name())
                        .query(Long.class).optional();
                if (id.isPresent()) {
                    ApprovalView filed = find(id.get()).orElseThrow();
                    audit.append(actor, "approval.request", request, target, null, filed);
                    return filed;
                }
                // Already waiting: the same request answers the same approval. It may have been decided between
                // the insert and this read (approved: answered above on the next pass; rejected: filed anew).
                Optional<ApprovalView> pending = jdbc.sql(SELECT + " where dedupe_key = :key and status = 'PENDING'")
                        .param("key", dedupeKey).query(this::view).optional();
                if (pending.isPresent()) {
                    return pending.get();
                }
                if (tries >= 3) {
                    throw new BillSwitchException(ErrorCode.REQUEST_IN_PROGRESS, "The same request is being decided"
                            + " right now; send it again shortly.");
                }
            }
        });
    }

    private PartnerService.TopUp executeTopUp(AdminIdentity actor, String request, String partnerId, Currency currency,
                                              long amountMinor, String reference) {
        Ledger.WalletBalance before = ledger.balance(partners.walletId(partnerId, currency));
        PartnerService.TopUp t = partners.topUp(partnerId, currency, amountMinor, reference);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("reference", reference);
        after.put("transferId", Long.toString(t.transferId()));
        after.put("amountMinor", t.amountMinor());
        after.put("replayed", t.replayed());
        after.put("wallet", ledger.balance(partners.walletId(partnerId, currency)));
        audit.append(actor, "wallet.top-up", request, "partner:" + partnerId, Map.of("wallet", before), after);
        return t;
    }

    private Order executeSettlement(AdminIdentity actor, String request, long orderId, boolean paid, String reason) {
        Order before = payments.orderDetail(orderId).order();
        Order after = payments.settleReview(orderId, paid, reason);
        Map<String, Object> settled = orderSummary(after);
        settled.put("reason", reason);
        audit.append(actor, "order.settle", request, "order:" + orderId, orderSummary(before), settled);
        return after;
    }

    /** A top-up as the admin API shows it (and an approval's result keeps it). */
    public static Map<String, Object> topUpSummary(String partnerId, Currency currency, PartnerService.TopUp t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partnerId", partnerId);
        m.put("currency", currency.name());
        m.put("transferId", Long.toString(t.transferId()));
        m.put("amountMinor", t.amountMinor());
        m.put("openingMinor", t.openingMinor());
        m.put("closingMinor", t.closingMinor());
        m.put("replayed", t.replayed());
        return m;
    }

    /** An order as the audit log and an approval's result keep it. */
    public static Map<String, Object> orderSummary(Order o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Long.toString(o.id()));
        m.put("partnerId", o.partnerId());
        m.put("reference", o.reference());
        m.put("status", o.status().name());
        m.put("amountMinor", o.amountMinor());
        m.put("currency", o.currency().name());
        m.put("failureCode", o.failureCode());
        return m;
    }

    /** Whether an amount in the currency needs a second identity. */
    public boolean needsApproval(Currency currency, long amountMinor) {
        return settings.needsApproval(currency, amountMinor);
    }

    /**
     * Files a request of another feature's {@link ApprovalKind} (one pending per {@code dedupeKey}: the same request
     * again answers the same approval; one approved already is answered as approved).
     */
    public ApprovalView file(AdminIdentity actor, String request, ApprovalKind kind, String target, String dedupeKey,
                             Currency currency, long amountMinor, Map<String, Object> payload) {
        return file(actor, request, kind.action(), target, dedupeKey, currency, amountMinor, payload);
    }

    private ApprovalKind kind(String action) {
        return kinds.orderedStream().filter(k -> k.action().equals(action)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown approval action " + action));
    }

    private void refuseWrongRole(AdminIdentity actor, ApprovalView a) {
        boolean allowed = switch (a.action()) {
            case TOP_UP -> actor.is(AdminRole.FINANCE, AdminRole.ADMIN);
            case SETTLE -> actor.is(AdminRole.OPERATIONS, AdminRole.ADMIN);
            default -> kind(a.action()).mayDecide(actor);
        };
        if (!allowed) {
            throw new BillSwitchException(ErrorCode.ADMIN_FORBIDDEN,
                    "Role " + actor.role() + " cannot decide a " + a.action() + " approval.");
        }
    }

    private static final String SELECT = """
            select id, action, target, currency, amount_minor, payload::text, status, requested_by, requested_at,
                   decided_by, decided_at, reason, result::text from admin_approvals""";

    private ApprovalView locked(long id) {
        return jdbc.sql(SELECT + " where id = :id for update").param("id", id).query(this::view).optional()
                .orElseThrow(() -> notFound(id));
    }

    private Optional<ApprovalView> find(long id) {
        return jdbc.sql(SELECT + " where id = :id").param("id", id).query(this::view).optional();
    }

    private static BillSwitchException notFound(long id) {
        return new BillSwitchException(ErrorCode.APPROVAL_NOT_FOUND, "No approval " + id + ".");
    }

    private ApprovalView view(ResultSet rs, int row) throws SQLException {
        java.sql.Timestamp decided = rs.getTimestamp(11);
        String result = rs.getString(13);
        return new ApprovalView(Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), json.readTree(rs.getString(6)), rs.getString(7), rs.getString(8),
                rs.getTimestamp(9).toInstant(), rs.getString(10), decided == null ? null : decided.toInstant(),
                rs.getString(12), result == null ? null : json.readTree(result));
    }
}
