package billswitch.api.admin;

import billswitch.complaint.Complaint;
import billswitch.complaint.ComplaintService;
import billswitch.complaint.ComplaintStatus;
import billswitch.infra.http.JsonBody;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Instant;
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

/**
 * Operators' side of complaints: list (by status, partner, overdue), read one with its history, assign to me, resolve (with or
 * without a refund: above the approval threshold the refund waits for a second identity, 202), reject.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class ComplaintAdminController {
    private static final int MAX_LIST = 500;

    private final ComplaintService complaints;

    ComplaintAdminController(ComplaintService complaints) {
        this.complaints = complaints;
    }

    /** A complaint as operators see it: ids as strings, like every admin answer. */
    record ComplaintView(String id, String partnerId, String transactionId, String reference, String type,
                         String disposition, String description, String channel, String status, Instant dueAt,
                         String assignedTo, String resolution, Long refundMinor, String forwardState,
                         String upstreamConnector, String upstreamComplaintId, String upstreamStatus, String upstreamNote,
                         Instant createdAt, Instant updatedAt) {
        static ComplaintView of(Complaint c) {
            return new ComplaintView(Long.toString(c.id()), c.partnerId(), Long.toString(c.orderId()), c.orderReference(),
                    c.type().name(), c.type().disposition(), c.description(), c.channel(), c.status().name(), c.dueAt(),
                    c.assignedTo(), c.resolution(), c.refundMinor(), c.forwardState(), c.upstreamConnector(),
                    c.upstreamComplaintId(), c.upstreamStatus(), c.upstreamNote(), c.createdAt(), c.updatedAt());
        }
    }

    record ComplaintDetail(ComplaintView complaint, List<Complaint.Change> history) {
    }

    @GetMapping("/complaints")
    Map<String, Object> list(@RequestParam(required = false) String status, @RequestParam(required = false) String partner,
                             @RequestParam(required = false) String overdue,
                             @RequestParam(required = false, defaultValue = "100") int limit) {
        ComplaintStatus s = null;
        if (status != null) {
            try {
                s = ComplaintStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Unknown status.",
                        Map.of("status", "must be INITIALIZED, ASSIGNED, ESCALATED, RESOLVED or REJECTED"));
            }
        }
        if (overdue != null && !overdue.equals("true") && !overdue.equals("false")) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Bad overdue.", Map.of("overdue", "must be true or false"));
        }
        if (limit < 1 || limit > MAX_LIST) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Bad limit.", Map.of("limit", "must be 1-" + MAX_LIST));
        }
        return Map.of("complaints", complaints.list(partner == null || partner.isBlank() ? null : partner.strip(), s, "true".equals(overdue),
                limit).stream().map(ComplaintView::of).toList());
    }

    @GetMapping("/complaints/{id}")
    ComplaintDetail get(@PathVariable String id) {
        long complaintId = id(id);
        return new ComplaintDetail(ComplaintView.of(complaints.get(complaintId)), complaints.history(complaintId));
    }

    @PostMapping("/complaints/{id}/assign")
    ComplaintView assign(@PathVariable String id) {
        return ComplaintView.of(complaints.assign(AdminRequest.actor(), AdminRequest.line(), id(id)));
    }

    @PostMapping("/complaints/{id}/resolve")
    ResponseEntity<Object> resolve(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("resolution", "refund"));
        String resolution = in.requiredString("resolution");
        Boolean refund = in.optionalBoolean("refund");
        in.validate();
        ComplaintService.Resolved r = complaints.resolve(AdminRequest.actor(), AdminRequest.line(), id(id), resolution,
                Boolean.TRUE.equals(refund));
        if (r.pending() != null) {
            return PendingView.of(r.pending());
        }
        return ResponseEntity.ok(ComplaintView.of(r.complaint()));
    }

    @PostMapping("/complaints/{id}/reject")
    ComplaintView reject(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("reason"));
        String reason = in.requiredString("reason");
        in.validate();
        return ComplaintView.of(complaints.reject(AdminRequest.actor(), AdminRequest.line(), id(id), reason));
    }

    private static long id(String id) {
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.COMPLAINT_NOT_FOUND);
        }
        return Long.parseLong(id);
    }
}
