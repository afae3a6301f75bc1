package billswitch.api.admin;

import billswitch.admin.Approvals;
import billswitch.admin.AuditLog;
import billswitch.infra.http.JsonBody;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log (read-only, filtered, newest first, paged) and two-person approvals. */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditController {
    private static final int MAX_LIST = 500;

    private final AuditLog audit;
    private final Approvals approvals;

    AuditController(AuditLog audit, Approvals approvals) {
        this.audit = audit;
        this.approvals = approvals;
    }

    record AuditPage(List<AuditLog.Entry> entries, String next) {
    }

    /**
     * Entries newest first. Filters: actor, target (e.g. partner:AOP-554), action (e.g. wallet.top-up), from and
     * to (ISO-8601 instants; from inclusive, to exclusive). Paging: limit (1-500, default 100) and before (the
     * page's "next": entries older than that id).
     */
    @GetMapping("/audit")
    AuditPage audit(@RequestParam(required = false) String actor, @RequestParam(required = false) String target,
                    @RequestParam(required = false) String action, @RequestParam(required = false) String from,
                    @RequestParam(required = false) String to, @RequestParam(required = false) String before,
                    @RequestParam(defaultValue = "100") int limit) {
        checkLimit(limit);
        Long beforeId = null;
        if (before != null) {
            if (!before.matches("^[0-9]{1,18}$")) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "before must be an entry id (a page's next).");
            }
            beforeId = Long.parseLong(before);
        }
        List<AuditLog.Entry> entries = audit.list(new AuditLog.Query(actor, target, action, instant("from", from),
                instant("to", to), beforeId, limit));
        String next = entries.size() == limit ? entries.get(entries.size() - 1).id() : null;
        return new AuditPage(entries, next);
    }

    /** Approvals in one status: PENDING (the default), APPROVED or REJECTED; oldest first. */
    @GetMapping("/approvals")
    Map<String, List<Approvals.ApprovalView>> approvals(@RequestParam(defaultValue = "PENDING") String status,
                                                       @RequestParam(defaultValue = "100") int limit) {
        checkLimit(limit);
        if (!Set.of("PENDING", "APPROVED", "REJECTED").contains(status)) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "status must be PENDING, APPROVED or REJECTED.");
        }
        return Map.of("approvals", approvals.list(status, limit));
    }

    @GetMapping("/approvals/{id}")
    Approvals.ApprovalView approval(@PathVariable String id) {
        return approvals.get(approvalId(id));
    }

    /** Executes the approved request, once; a second approve answers the approval as it was approved. */
    @PostMapping("/approvals/{id}/approve")
    Approvals.ApprovalView approve(@PathVariable String id) {
        return approvals.approve(AdminRequest.actor(), AdminRequest.line(), approvalId(id));
    }

    /** {"reason": "..."} (optional). Nothing is executed. */
    @PostMapping("/approvals/{id}/reject")
    Approvals.ApprovalView reject(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        String reason = null;
        if (body != null && body.length > 0) {
            JsonBody in = JsonBody.parse(body).allowOnly(Set.of("reason"));
            reason = in.optionalString("reason");
            in.validate();
        }
        return approvals.reject(AdminRequest.actor(), AdminRequest.line(), approvalId(id), reason);
    }

    private static long approvalId(String id) {
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.APPROVAL_NOT_FOUND);
        }
        return Long.parseLong(id);
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put(name, "must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, name + " must be an ISO-8601 instant.", fields);
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "limit must be between 1 and " + MAX_LIST + ".");
        }
    }
}
