package billswitch.console.complaint;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AuditLog;
import billswitch.complaint.Complaint;
import billswitch.complaint.ComplaintService;
import billswitch.complaint.ComplaintStatus;
import billswitch.complaint.ComplaintType;
import billswitch.console.ConsolePages;
import billswitch.partner.PartnerService;
import billswitch.payment.PaymentService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's complaints: the list (by status, partner, overdue), one complaint with its transaction, the
 * upstream's side, its history and audit entries, and the forms to raise one for a partner, take it, resolve it
 * (with a refund: above the approval threshold the refund waits on /console/approvals) or reject it. The same
 * service, rules and audit entries as the admin API; changes need OPERATIONS or ADMIN, as its matrix.
 */
@Controller
@RequestMapping("/console/complaints")
class ComplaintsController {
    private static final int PAGE = 100;

    private final ComplaintService complaints;
    private final PaymentService payments;
    private final PartnerService partners;
    private final AuditLog audit;
    private final Clock clock;

    ComplaintsController(ComplaintService complaints, PaymentService payments, PartnerService partners, AuditLog audit,
                         Clock clock) {
        this.complaints = complaints;
        this.payments = payments;
        this.partners = partners;
        this.audit = audit;
        this.clock = clock;
    }

    /** The list's filters as sent. */
    record Filter(String status, String partner, String overdue) {
    }

    @GetMapping
    String list(@RequestParam(required = false) String status, @RequestParam(required = false) String partner,
                @RequestParam(required = false) String overdue, Model model) {
        Filter f = new Filter(status == null ? "" : status, partner == null ? "" : partner.strip(),
                overdue == null ? "" : overdue);
        model.addAttribute("f", f);
        model.addAttribute("statuses", ComplaintStatus.values());
        model.addAttribute("types", ComplaintType.values());
        model.addAttribute("now", clock.instant());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", Map.of());
        }
        ComplaintStatus s = null;
        if (!f.status().isEmpty()) {
            try {
                s = ComplaintStatus.valueOf(f.status());
            } catch (IllegalArgumentException e) {
                model.addAttribute("errors", Map.of("status", "must be one of the statuses listed"));
                model.addAttribute("formError", "Check the highlighted fields.");
                model.addAttribute("rows", List.of());
                return "console/complaints";
            }
        }
        model.addAttribute("rows", complaints.list(f.partner().isEmpty() ? null : f.partner(), s,
                "on".equals(f.overdue()) || "true".equals(f.overdue()), PAGE));
        model.addAttribute("limit", PAGE);
        return "console/complaints";
    }

    /** Raises a complaint for a partner about one of its payments (by transaction id or the partner's reference). */
    @PostMapping
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String raise(@AuthenticationPrincipal AdminIdentity me, @RequestParam Map<String, String> form,
                        HttpServletResponse response, Model model, RedirectAttributes redirect) {
        String partnerId = form.getOrDefault("partnerId", "").strip();
        try {
            if (partnerId.isEmpty()) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The complaint has missing or wrong fields.",
                        Map.of("partnerId", "must not be empty"));
            }
            try {
                partners.require(partnerId);
            } catch (BillSwitchException e) {
                throw new BillSwitchException(e.code(), e.getMessage(), Map.of("partnerId", "no such partner"));
            }
            String transactionId = form.getOrDefault("transactionId", "").strip();
            String reference = form.getOrDefault("reference", "").strip();
            Complaint c;
            try {
                c = complaints.raise(new ComplaintService.Raise(partnerId, "CONSOLE",
                        transactionId.isEmpty() ? null : transactionId, reference.isEmpty() ? null : reference,
                        form.get("type"), form.get("description"), me));
            } catch (BillSwitchException e) {
                throw onTheField(e, transactionId.isEmpty() ? "reference" : "transactionId");
            }
            redirect.addFlashAttribute("notice", "Complaint " + c.id() + " raised for " + partnerId + ", due "
                    + c.dueAt() + ".");
            return "redirect:/console/complaints/" + c.id();
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            model.addAttribute("form", form);
            response.setStatus(e.code().httpStatus());
            return list(null, null, null, model);
        }
    }

    /** The service's refusal with its field named as the form names it. */
    private static BillSwitchException onTheField(BillSwitchException e, String transactionField) {
        Map<String, String> fields = new LinkedHashMap<>(e.fields());
        switch (e.code()) {
            case TRANSACTION_NOT_FOUND -> fields.put(transactionField, "no such payment of this partner");
            case COMPLAINT_EXISTS -> fields.put("type", "an open complaint of this type exists"
                    + (e.fields().get("complaintId") == null ? "" : ": " + e.fields().get("complaintId")));
            default -> {
                String message = fields.remove("transactionId");
                if (message != null) {
                    fields.put(transactionField, message);
                }
            }
        }
        fields.remove("complaintId");
        return new BillSwitchException(e.code(), e.getMessage(), fields);
    }

    @GetMapping("/{id}")
    String complaint(@PathVariable String id, Model model) {
        Complaint c = complaints.get(complaintId(id));
        model.addAttribute("c", c);
        model.addAttribute("overdue", c.overdue(clock.instant()));
        model.addAttribute("order", payments.orderDetail(c.orderId()).order());
        model.addAttribute("history", complaints.history(c.id()));
        model.addAttribute("audit", audit.list(new AuditLog.Query(null, "complaint:" + c.id(), null, null, null, null, 50)));
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", Map.of());
        }
        return "console/complaint";
    }

    @PostMapping("/{id}/assign")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String assign(@PathVariable String id, @AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                         HttpServletResponse response, Model model, RedirectAttributes redirect) {
        try {
            Complaint c = complaints.assign(me, line(request), complaintId(id));
            redirect.addFlashAttribute("notice", "Complaint " + c.id() + " is yours.");
            return "redirect:/console/complaints/" + c.id();
        } catch (BillSwitchException e) {
            return refused(id, e, Map.of(), response, model);
        }
    }

    /** Resolves it; with a refund above the threshold, files the refund for a second person and goes to it. */
    @PostMapping("/{id}/resolve")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String resolve(@PathVariable String id, @AuthenticationPrincipal AdminIdentity me,
                          @RequestParam Map<String, String> form, HttpServletRequest request,
                          HttpServletResponse response, Model model, RedirectAttributes redirect) {
        try {
            boolean refund = "on".equals(form.get("refund")) || "true".equals(form.get("refund"));
            ComplaintService.Resolved r = complaints.resolve(me, line(request), complaintId(id), form.get("resolution"),
                    refund);
            if (r.pending() != null) {
                redirect.addFlashAttribute("notice", "The refund is above the approval threshold: complaint " + id
                        + " is resolved once a second person approves it here.");
                return "redirect:/console/approvals/" + r.pending().id();
            }
            redirect.addFlashAttribute("notice", "Complaint " + id + " resolved"
                    + (r.complaint().refundMinor() == null ? "." : ", the payment refunded."));
            return "redirect:/console/complaints/" + id;
        } catch (BillSwitchException e) {
            return refused(id, e, form, response, model);
        }
    }

    @PostMapping("/{id}/reject")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    public String reject(@PathVariable String id, @AuthenticationPrincipal AdminIdentity me,
                         @RequestParam Map<String, String> form, HttpServletRequest request,
                         HttpServletResponse response, Model model, RedirectAttributes redirect) {
        try {
            complaints.reject(me, line(request), complaintId(id), form.get("reason"));
            redirect.addFlashAttribute("notice", "Complaint " + id + " rejected.");
            return "redirect:/console/complaints/" + id;
        } catch (BillSwitchException e) {
            return refused(id, e, form, response, model);
        }
    }

    private String refused(String id, BillSwitchException e, Map<String, String> form, HttpServletResponse response,
                           Model model) {
        if (e.code() == ErrorCode.COMPLAINT_NOT_FOUND) {
            throw e;
        }
        ConsolePages.refused(model, e);
        model.addAttribute("form", form);
        response.setStatus(e.code().httpStatus());
        return complaint(id, model);
    }

    private static long complaintId(String id) {
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.COMPLAINT_NOT_FOUND);
        }
        return Long.parseLong(id);
    }

    private static String line(HttpServletRequest request) {
        return "console " + request.getMethod() + " " + request.getRequestURI();
    }
}
