package billswitch.api.dialect.eko;

import billswitch.api.DialectErrors;
import billswitch.payment.OrderStatus;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Eko's codes, in one place. Published: status 0 ok, 97 invalid parameters, 208 amount differs from the
 * fetched bill, 319 invalid initiator, 346 user not onboarded, 347 insufficient balance, 463 not found,
 * 168 TID does not exist; response_status_id and tx_status 0..5 (5 on hold = NEEDS_REVIEW); response_type_id 1052 (bill fetched) and
 * 1468 (fetch failed); HTTP 403 for a bad key or timestamp. BillSwitch's own choices (README): status 901
 * duplicate client_ref_id with a different request, 902 still in progress, 903 bill not fetched, 906
 * biller unavailable, 909 an open complaint of this type already exists (the complaint form), 907 BillSwitch busy (HTTP 503: nothing done, retry with the same client_ref_id; Eko
 * publishes no busy code), 999 internal; response_type_id 1060 payment, 1065 inquiry, 1 lists and balance, 1701 complaint registered, 1702 complaint read.
 */
@Component
class EkoCodes implements DialectErrors {
    static final int FETCH_OK = 1052;
    static final int FETCH_FAILED = 1468;
    static final int PAYMENT = 1060;
    static final int INQUIRY = 1065;
    static final int LIST = 1;

    private final JsonMapper json = JsonMapper.builder().build();

    record Code(int http, int status, int responseTypeId) {
    }

    /** data.tx_status (and response_status_id) of a transaction in this state. */
    static int txStatus(OrderStatus status) {
        return switch (status) {
            case SUCCESS -> 0;
            case FAILED -> 1;
            case INITIATED, PENDING, UNKNOWN -> 2;
            case REFUNDED -> 4;
            case NEEDS_REVIEW -> 5;
        };
    }

    static String txStatusDescription(OrderStatus status) {
        return switch (status) {
            case SUCCESS -> "Success";
            case FAILED -> "Failed";
            case PENDING -> "Initiated";
            case INITIATED, UNKNOWN -> "Response Awaited";
            case REFUNDED -> "Refunded";
            case NEEDS_REVIEW -> "On Hold";
        };
    }

    static Code of(ErrorCode code) {
        return switch (code) {
            case MISSING_CREDENTIALS, UNKNOWN_API_KEY, INVALID_SIGNATURE, MALFORMED_SIGNATURE, STALE_TIMESTAMP,
                 REPLAYED_REQUEST, ADMIN_UNAUTHORIZED, ADMIN_FORBIDDEN, PARTNER_SUSPENDED, IP_NOT_ALLOWED -> new Code(403, 403, -1);
            case INITIATOR_MISMATCH -> new Code(200, 319, -1);
            case UNKNOWN_USER_CODE -> new Code(200, 346, -1);
            case MALFORMED_JSON -> new Code(400, 97, -1);
            case UNSUPPORTED_MEDIA_TYPE -> new Code(415, 97, -1);
            case BODY_TOO_LARGE -> new Code(413, 97, -1);
            case METHOD_NOT_ALLOWED -> new Code(405, 97, -1);
            case NOT_FOUND -> new Code(404, 463, -1);
            case INVALID_REQUEST, INVALID_PARAMETER, UNSUPPORTED_CURRENCY, MISSING_IDEMPOTENCY_KEY, AMOUNT_OUT_OF_RANGE,
                 UNKNOWN_PRODUCT, CURRENCY_MISMATCH, CHANNEL_NOT_SUPPORTED, OPERATION_NOT_SUPPORTED -> new Code(200, 97, -1);
            case UNKNOWN_OPERATOR, OPERATOR_DISABLED, PARTNER_NOT_FOUND, PARTNER_EXISTS, NOT_IN_REVIEW, EVENT_NOT_FOUND,
                 CONNECTOR_NOT_FOUND, CONNECTOR_EXISTS, CONNECTOR_IN_USE, CATALOG_CONFLICT, IDENTITY_NOT_FOUND, IDENTITY_EXISTS,
                 APPROVAL_NOT_FOUND, APPROVAL_DECIDED, COMPLAINT_NOT_FOUND, COMPLAINT_CLOSED,
                 NOT_REFUNDABLE -> new Code(200, 463, -1);
            case COMPLAINT_EXISTS -> new Code(200, 909, -1);
            case INSUFFICIENT_FUNDS -> new Code(200, 347, -1);
            case AMOUNT_NOT_ALLOWED -> new Code(200, 208, -1);
            case TRANSACTION_NOT_FOUND -> new Code(200, 168, -1);
            case IDEMPOTENCY_KEY_REUSED -> new Code(200, 901, -1);
            case REQUEST_IN_PROGRESS -> new Code(200, 902, -1);
            case BILL_NOT_FETCHED -> new Code(200, 903, -1);
            case BILL_FETCH_FAILED -> new Code(200, 1, FETCH_FAILED);
            case UPSTREAM_UNAVAILABLE -> new Code(200, 906, FETCH_FAILED);
            case BUSY, DATABASE_UNAVAILABLE -> new Code(503, 907, -1);
            case RATE_LIMITED -> new Code(429, 907, -1);
            case NO_ROUTE -> new Code(200, 908, -1);
            case INTERNAL_ERROR -> new Code(500, 999, -1);
        };
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith("/ekoapi/");
    }

    @Override
    public ResponseEntity<String> render(BillSwitchException e) {
        Code code = of(e.code());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", code.status());
        body.put("response_status_id", 1);
        body.put("response_type_id", code.responseTypeId());
        body.put("message", e.getMessage());
        if (!e.fields().isEmpty()) {
            body.put("invalid_params", e.fields());
        }
        return ResponseEntity.status(code.http()).contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
    }
}
