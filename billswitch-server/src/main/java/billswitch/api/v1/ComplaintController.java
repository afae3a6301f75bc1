package billswitch.api.v1;

import billswitch.complaint.Complaint;
import billswitch.complaint.ComplaintService;
import billswitch.infra.http.CachedBodyRequest;
import billswitch.infra.http.JsonBody;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A partner's complaints about its transactions: raise one (201 with its id, status and deadline), read one (only
 * its own). Signed like every native call ({@link NativeAuthFilter}).
 */
@RestController
@RequestMapping(path = "/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ComplaintController {
    private final ComplaintService complaints;

    ComplaintController(ComplaintService complaints) {
        this.complaints = complaints;
    }

    /** A complaint as the partner sees it. {@code upstream}: what the upstream it was forwarded to said (null: kept here). */
    record ComplaintView(String id, String transactionId, String reference, String type, String disposition,
                         String description, String status, Instant dueAt, String resolution, Long refundMinor,
                         Instant createdAt, Instant updatedAt) {
        static ComplaintView of(Complaint c) {
            return new ComplaintView(Long.toString(c.id()), Long.toString(c.orderId()), c.orderReference(),
                    c.type().name(), c.type().disposition(), c.description(), c.status().name(), c.dueAt(),
                    c.resolution(), c.refundMinor(), c.createdAt(), c.updatedAt());
        }
    }

    /** The body of POST /v1/complaints. */
    record ComplaintRequest(String transactionId, String reference, String type, String description) {
    }

    @PostMapping("/complaints")
    ResponseEntity<ComplaintView> raise(HttpServletRequest request) {
        String partnerId = NativeAuthFilter.caller(request).partner().id();
        NativeController.requireJson(request);
        JsonBody in = JsonBody.parse(CachedBodyRequest.body(request))
                .allowOnly(Set.of("transactionId", "reference", "type", "description"));
        String transactionId = in.optionalString("transactionId");
        String reference = in.optionalString("reference");
        String type = in.requiredString("type");
        String description = in.requiredString("description");
        in.validate();
        Complaint c = complaints.raise(new ComplaintService.Raise(partnerId, NativeController.DIALECT, transactionId,
                reference, type, description, null));
        return ResponseEntity.status(201).body(ComplaintView.of(c));
    }

    @GetMapping("/complaints/{id}")
    ComplaintView complaint(HttpServletRequest request, @PathVariable String id) {
        String partnerId = NativeAuthFilter.caller(request).partner().id();
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.COMPLAINT_NOT_FOUND);
        }
        return ComplaintView.of(complaints.get(partnerId, Long.parseLong(id)));
    }
}
