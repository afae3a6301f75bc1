package billswitch.console;

import billswitch.admin.AdminIdentity;
import billswitch.admin.Approvals;
import billswitch.admin.AuditLog;
import billswitch.ledger.Ledger;
import billswitch.payment.Order;
import billswitch.payment.OrderStatus;
import billswitch.payment.PaymentSearch;
import billswitch.payment.PaymentService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.webhook.WebhookEvents;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Payments: search ({@link PaymentSearch}), the review queue, and one payment's page (its price, its attempts, where
 * its money went (every transfer of it, from account to account: {@link Ledger#orderMoney}), its ledger transfers on
 * the wallet with the wallet's balance around each, its webhook deliveries and its audit trail), where operations settle
 * a payment in review with a reason through {@link Approvals#settle}, as the admin API does (two-person approval above
 * the threshold).
 */
@Controller
@RequestMapping("/console/payments")
class PaymentPages {
    /** The form's date fields: a datetime-local input's value, in UTC. */
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    private static final int REVIEW_QUEUE = 200;

    private final PaymentSearch search;
    private final PaymentService payments;
    private final Ledger ledger;
    private final WebhookEvents webhooks;
    private final AuditLog audit;
    private final Approvals approvals;

    PaymentPages(PaymentSearch search, PaymentService payments, Ledger ledger, WebhookEvents webhooks, AuditLog audit,
                 Approvals approvals) {
        this.search = search;
        this.payments = payments;
        this.ledger = ledger;
        this.webhooks = webhooks;
        this.audit = audit;
        this.approvals = approvals;
    }

    /** The search form as sent (all text: shown back as typed). */
    record SearchForm(String id, String reference, String account, String partner, String operator, String status,
                      String from, String to, String before) {
    }

    @GetMapping
    String search(@ModelAttribute("f") SearchForm form, Model model) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        SearchForm f = new SearchForm(form.id(), form.reference(), form.account(), form.partner(), form.operator(),
                form.status(), blank(form.from()) ? LOCAL.format(now.minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC)) : form.from(),
                blank(form.to()) ? LOCAL.format(now.atOffset(ZoneOffset.UTC)) : form.to(), form.before());
        model.addAttribute("f", f);
        model.addAttribute("statuses", Arrays.stream(OrderStatus.values()).map(Enum::name).toList());
        Map<String, String> errors = new LinkedHashMap<>();
        Long id = number(f.id(), "id", "must be a transaction id (digits)", errors);
        Long before = number(f.before(), "before", "must be a page's next id", errors);
        OrderStatus status = null;
        if (!blank(f.status())) {
            try {
                status = OrderStatus.valueOf(f.status());
            } catch (IllegalArgumentException e) {
                errors.put("status", "must be one of " + Arrays.toString(OrderStatus.values()));
            }
        }
        Instant from = time(f.from(), "from", errors);
        Instant to = time(f.to(), "to", errors);
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            model.addAttribute("formError", "Check the highlighted fields.");
            return "console/payments";
        }
        try {
            PaymentSearch.Page page = search.search(new PaymentSearch.Filter(id, f.reference(), f.account(), f.partner(),
                    f.operator(), status, from, to, before));
            model.addAttribute("page", page);
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
        }
        return "console/payments";
    }

    /** Every payment waiting for review, whatever its date, oldest first. */
    @GetMapping("/review")
    String review(Model model) {
        model.addAttribute("orders", payments.ordersNeedingReview(REVIEW_QUEUE));
        model.addAttribute("max", REVIEW_QUEUE);
        return "console/review";
    }

    @GetMapping("/{id}")
    String payment(@PathVariable String id, Model model) {
        return page(orderId(id), model);
    }

    /** Settles a payment in review (SUCCESS or FAILED, with a reason), or files it for a second person's approval. */
    @PostMapping("/{id}/settle")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    String settle(@PathVariable String id, @RequestParam(required = false) String outcome,
                  @RequestParam(required = false) String reason, @AuthenticationPrincipal AdminIdentity me, Model model,
                  HttpServletResponse response) {
        long orderId = orderId(id);
        Map<String, String> errors = new LinkedHashMap<>();
        if (!"SUCCESS".equals(outcome) && !"FAILED".equals(outcome)) {
            errors.put("outcome", "choose SUCCESS or FAILED");
        }
        if (blank(reason)) {
            errors.put("reason", "say why (it is kept in the audit log)");
        }
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            model.addAttribute("formError", "The payment was not settled: check the highlighted fields.");
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("outcome", outcome);
            model.addAttribute("reason", reason);
            return page(orderId, model);
        }
        try {
            Approvals.Outcome<Order> settled = approvals.settle(me, "console POST /console/payments/" + orderId + "/settle",
                    orderId, outcome.equals("SUCCESS"), reason.trim());
            if (settled.pending() != null) {
                return "redirect:/console/payments/" + orderId + "?approval=" + settled.pending().id();
            }
            return "redirect:/console/payments/" + orderId + "?settled";
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            response.setStatus(e.code().httpStatus());
            model.addAttribute("outcome", outcome);
            model.addAttribute("reason", reason);
            return page(orderId, model);
        }
    }

    private String page(long orderId, Model model) {
        PaymentService.OrderDetail detail = payments.orderDetail(orderId);
        List<AuditLog.Entry> trail = audit.list(new AuditLog.Query(null, "order:" + orderId, null, null, null, null, 100));
        model.addAttribute("order", detail.order());
        model.addAttribute("attempts", detail.attempts());
        model.addAttribute("contestedRefund", detail.contestedRefund());
        model.addAttribute("transfers", ledger.orderTransfers(orderId));
        model.addAttribute("money", detail.money());
        model.addAttribute("events", webhooks.ofOrder(orderId));
        model.addAttribute("trail", trail.stream().map(AuditLogPage.Row::of).toList());
        model.addAttribute("waiting", waitingApproval(trail).orElse(null));
        return "console/payment";
    }

    /** The approval this payment's settlement waits for, if one was requested and is still pending. */
    private Optional<Approvals.ApprovalView> waitingApproval(List<AuditLog.Entry> trail) {
        return trail.stream().filter(e -> e.action().equals("approval.request") && e.after() != null
                        && e.after().get("id") != null)
                .map(e -> approvals.get(Long.parseLong(e.after().get("id").stringValue())))
                .filter(a -> a.status().equals("PENDING")).findFirst();
    }

    private static long orderId(String id) {
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND);
        }
        return Long.parseLong(id);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A digits-only field as a number, or null when blank; otherwise its error in {@code errors}. */
    static Long number(String value, String field, String message, Map<String, String> errors) {
        if (blank(value)) {
            return null;
        }
        if (!value.trim().matches("^[0-9]{1,18}$")) {
            errors.put(field, message);
            return null;
        }
        return Long.parseLong(value.trim());
    }

    /** A datetime-local value (UTC), or an ISO-8601 instant. */
    static Instant time(String value, String field, Map<String, String> errors) {
        if (blank(value)) {
            return null;
        }
        try {
            return value.trim().endsWith("Z") ? Instant.parse(value.trim())
                    : LocalDateTime.parse(value.trim()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            errors.put(field, "must be a date and time, e.g. 2026-01-31T09:30");
            return null;
        }
    }
}
