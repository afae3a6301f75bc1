package billswitch.console.approval;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AdminRole;
import billswitch.admin.Approvals;
import billswitch.complaint.ComplaintService;
import billswitch.console.ConsolePages;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
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
import tools.jackson.databind.JsonNode;

/**
 * Two-person approvals in the console: the pending and the decided, and one approval's page where a second person
 * approves (it executes then, once) or rejects it. {@link Approvals} decides as for the admin API: never the
 * requester, nor an identity the requester created or last gave a token to, and only the role the action needs.
 */
@Controller
@RequestMapping("/console/approvals")
class ApprovalsController {
    private final Approvals approvals;

    ApprovalsController(Approvals approvals) {
        this.approvals = approvals;
    }

    /** An approval as a page shows it: the amount in major units, the request's own fields by name. */
    record Row(String id, String action, String target, String partnerId, String orderId, String amount,
               String reference, String outcome, String settleReason, String status, String requestedBy,
               Instant requestedAt, String decidedBy, Instant decidedAt, String reason, String result,
               String complaintId, String resolution) {

        static Row of(Approvals.ApprovalView a) {
            JsonNode r = a.request();
            Currency c = Currency.valueOf(a.currency());
            return new Row(a.id(), a.action(), a.target(), text(r, "partnerId"), text(r, "orderId"),
                    c.format(a.amountMinor()) + " " + c, text(r, "reference"), text(r, "outcome"), text(r, "reason"),
                    a.status(), a.requestedBy(), a.requestedAt(), a.decidedBy(), a.decidedAt(), a.reason(),
                    result(a, c), text(r, "complaintId"), text(r, "resolution"));
        }

        private static String result(Approvals.ApprovalView a, Currency c) {
            JsonNode r = a.result();
            if (r == null) {
                return null;
            }
            if (Approvals.TOP_UP.equals(a.action()) && r.has("closingMinor")) {
                return "Transfer " + text(r, "transferId") + ": available " + c.format(r.get("openingMinor").longValue())
                        + " → " + c.format(r.get("closingMinor").longValue()) + " " + c;
            }
            if (ComplaintService.REFUND.equals(a.action()) && r.has("status")) {
                return "Complaint " + text(r, "id") + " is " + text(r, "status") + (r.hasNonNull("refundMinor")
                        ? ", " + c.format(r.get("refundMinor").longValue()) + " " + c + " refunded" : "");
            }
            if (Approvals.SETTLE.equals(a.action()) && r.has("status")) {
                return "Order " + text(r, "id") + " is " + text(r, "status");
            }
            return r.toString();
        }

        private static String text(JsonNode node, String field) {
            JsonNode v = node == null ? null : node.get(field);
            return v == null || v.isNull() ? null : v.asString();
        }
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("pending", approvals.list("PENDING", 200).stream().map(Row::of).toList());
        model.addAttribute("decided", approvals.decided(50).stream().map(Row::of).toList());
        return "console/approvals";
    }

    @GetMapping("/{id}")
    String approval(@PathVariable String id, @AuthenticationPrincipal AdminIdentity me, Model model) {
        Row a = Row.of(approvals.get(approvalId(id)));
        boolean pending = a.status().equals("PENDING");
        boolean roleMay = switch (a.action()) {
            case Approvals.TOP_UP -> me.is(AdminRole.FINANCE, AdminRole.ADMIN);
            case Approvals.SETTLE, ComplaintService.REFUND -> me.is(AdminRole.OPERATIONS, AdminRole.ADMIN);
            default -> false;
        };
        boolean requester = a.requestedBy().equals(me.name());
        model.addAttribute("a", a);
        model.addAttribute("requester", requester);
        model.addAttribute("canApprove", pending && roleMay && !requester);
        model.addAttribute("canReject", pending && (roleMay || requester) && !me.is(AdminRole.READ_ONLY));
        return "console/approval";
    }

    /** Approves and executes the request, once; refused (shown on the page) for the requester or a wrong role. */
    @PostMapping("/{id}/approve")
    @PreAuthorize("hasAnyRole('OPERATIONS','FINANCE','ADMIN')")
    public String approve(@PathVariable String id, @AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                          HttpServletResponse response, Model model, RedirectAttributes redirect) {
        try {
            Approvals.ApprovalView a = approvals.approve(me, line(request), approvalId(id));
            redirect.addFlashAttribute("notice", "Approved by " + a.decidedBy() + ": " + Row.of(a).result() + ".");
            return "redirect:/console/approvals/" + a.id();
        } catch (BillSwitchException e) {
            return refused(id, e, me, response, model);
        }
    }

    /** Rejects the request: nothing is executed. The requester may withdraw their own. */
    @PostMapping("/{id}/reject")
    @PreAuthorize("hasAnyRole('OPERATIONS','FINANCE','ADMIN')")
    public String reject(@PathVariable String id, @RequestParam(required = false) String reason,
                         @AuthenticationPrincipal AdminIdentity me, HttpServletRequest request,
                         HttpServletResponse response, Model model, RedirectAttributes redirect) {
        try {
            String why = reason == null || reason.isBlank() ? null : reason.trim();
            if (why != null && why.length() > 500) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The reason is too long.",
                        java.util.Map.of("reason", "at most 500 characters"));
            }
            Approvals.ApprovalView a = approvals.reject(me, line(request), approvalId(id), why);
            redirect.addFlashAttribute("notice", "Rejected by " + a.decidedBy() + ": nothing was executed.");
            return "redirect:/console/approvals/" + a.id();
        } catch (BillSwitchException e) {
            return refused(id, e, me, response, model);
        }
    }

    private String refused(String id, BillSwitchException e, AdminIdentity me, HttpServletResponse response, Model model) {
        if (e.code() == ErrorCode.APPROVAL_NOT_FOUND) {
            throw e;
        }
        ConsolePages.refused(model, e);
        response.setStatus(e.code().httpStatus());
        return approval(id, me, model);
    }

    private static long approvalId(String id) {
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.APPROVAL_NOT_FOUND);
        }
        return Long.parseLong(id);
    }

    private static String line(HttpServletRequest request) {
        return "console " + request.getMethod() + " " + request.getRequestURI();
    }
}
