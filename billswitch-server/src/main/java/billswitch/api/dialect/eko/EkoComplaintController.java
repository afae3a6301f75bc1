package billswitch.api.dialect.eko;

import billswitch.api.Responses;
import billswitch.api.dialect.Fields;
import billswitch.complaint.Complaint;
import billswitch.complaint.ComplaintService;
import billswitch.complaint.ComplaintType;
import billswitch.infra.http.CachedBodyRequest;
import billswitch.partner.PartnerService;
import billswitch.payment.Answer;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Eko's complaint form (*chosen*: Eko's published API has no complaint call), in the style of its classic v2 calls:
 * POST /ekoapi/v2/billpayments/complaint?initiator_id= (form or JSON: user_code, tid or client_ref_id,
 * complaint_type: our type or its BBPS disposition, description) registers one; GET
 * /ekoapi/v2/billpayments/complaint/{complaint_id}?initiator_id= reads it. Authenticated like every Eko call
 * (developer_key, secret-key, secret-key-timestamp; no request_hash: no money moves). Answers Eko's envelope,
 * response_status_id -1, data{complaint_id, complaint_status, complaint_type, disposition, tid, client_ref_id,
 * due_at, resolution, refund_amount}.
 */
@RestController
@RequestMapping(path = "/ekoapi/v2/billpayments", produces = MediaType.APPLICATION_JSON_VALUE)
class EkoComplaintController {
    /** response_type_id of a complaint registered, and of a complaint read. */
    static final int COMPLAINT_REGISTERED = 1701;
    static final int COMPLAINT_STATUS = 1702;
    /** The longest client_ref_id looked up (Eko's own are 6-19 characters; a native reference may be longer). */
    private static final int MAX_REFERENCE = 64;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx")
            .withZone(ZoneId.of("Asia/Kolkata"));

    private final EkoAuth auth;
    private final ComplaintService complaints;
    private final JsonMapper json = JsonMapper.builder().build();

    EkoComplaintController(EkoAuth auth, ComplaintService complaints) {
        this.auth = auth;
        this.complaints = complaints;
    }

    @PostMapping("/complaint")
    ResponseEntity<String> register(HttpServletRequest request) {
        byte[] body = CachedBodyRequest.body(request);
        PartnerService.Credential caller = auth.authenticate(request);
        Fields in = Fields.of(request, body);
        auth.checkInitiator(caller, in.get("initiator_id") != null ? in.get("initiator_id") : request.getParameter("initiator_id"));
        auth.checkUserCode(caller, in.get("user_code"));
        Map<String, String> invalid = new LinkedHashMap<>();
        String tid = blankToNull(in.get("tid"));
        String clientRef = blankToNull(in.get("client_ref_id"));
        if ((tid == null) == (clientRef == null)) {
            invalid.put("tid", "send exactly one of tid and client_ref_id");
        } else if (tid != null && !tid.matches("^[0-9]{1,18}$")) {
            invalid.put("tid", "must be a TID (digits)");
        } else if (clientRef != null && clientRef.length() > MAX_REFERENCE) {
            invalid.put("client_ref_id", "must be at most " + MAX_REFERENCE + " characters");
        }
        if (ComplaintType.parse(in.get("complaint_type")) == null) {
            invalid.put("complaint_type", "must be NOT_CREDITED, PAID_TWICE, WRONG_AMOUNT, WRONG_ACCOUNT or D11, D22, D23, D21");
        }
        String description = in.get("description");
        if (description == null || description.isBlank()) {
            invalid.put("description", "is required");
        } else if (description.strip().length() > ComplaintService.MAX_TEXT) {
            invalid.put("description", "must be at most " + ComplaintService.MAX_TEXT + " characters");
        }
        if (!invalid.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_PARAMETER, "Invalid parameters", invalid);
        }
        Complaint c;
        try {
            c = complaints.raise(new ComplaintService.Raise(caller.partner().id(), EkoController.DIALECT, tid, clientRef,
                    in.get("complaint_type"), description, null));
        } catch (BillSwitchException e) {
            if (e.code() == ErrorCode.TRANSACTION_NOT_FOUND) {
                // another partner's transaction reads exactly as one that does not exist
                throw new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND, "TID does not exist");
            }
            throw e;
        }
        return ok(envelope(COMPLAINT_REGISTERED, "Complaint registered", c));
    }

    @GetMapping("/complaint/{id}")
    ResponseEntity<String> read(@PathVariable String id, HttpServletRequest request) {
        PartnerService.Credential caller = auth.authenticate(request);
        auth.checkInitiator(caller, request.getParameter("initiator_id"));
        if (!id.matches("^[0-9]{1,18}$")) {
            throw new BillSwitchException(ErrorCode.COMPLAINT_NOT_FOUND);
        }
        Complaint c = complaints.get(caller.partner().id(), Long.parseLong(id));
        return ok(envelope(COMPLAINT_STATUS, "Success", c));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Map<String, Object> envelope(int responseTypeId, String message, Complaint c) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("complaint_id", Long.toString(c.id()));
        data.put("complaint_status", c.status().name());
        data.put("complaint_type", c.type().name());
        data.put("disposition", c.type().disposition());
        data.put("tid", Long.toString(c.orderId()));
        data.put("client_ref_id", c.orderReference());
        data.put("due_at", time(c.dueAt()));
        data.put("resolution", c.resolution());
        data.put("refund_amount", c.refundMinor() == null ? null : billswitch.shared.Currency.INR.format(c.refundMinor()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 0);
        body.put("response_status_id", -1);
        body.put("response_type_id", responseTypeId);
        body.put("message", message);
        body.put("data", data);
        return body;
    }

    private static String time(Instant t) {
        return TIMESTAMP.format(t);
    }

    private ResponseEntity<String> ok(Map<String, Object> body) {
        return Responses.json(new Answer(200, json.writeValueAsString(body)));
    }
}
