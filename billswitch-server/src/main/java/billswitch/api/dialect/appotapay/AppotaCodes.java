package billswitch.api.dialect.appotapay;

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
 * AppotaPay's errorCode table (protocols.md), in one place. Transactions: 0 success, 33 failed (a
 * refunded order is failed too, its message says refunded), 35 pending, 34 processing (no answer yet);
 * 34, 35, 99 and 500 mean "ask for the status later", never failed; 91 busy (HTTP 503) means nothing was
 * done: send the same request again later, same partnerRefId. HTTP 401 for the JWT, 403 for an
 * address off the allow-list or a locked partner, 400 for malformed requests, 200 for the rest.
 */
@Component
class AppotaCodes implements DialectErrors {
    static final String OK_MESSAGE = "Thành công";

    private final JsonMapper json = JsonMapper.builder().build();

    record Code(int http, int errorCode) {
    }

    static int of(OrderStatus status) {
        return switch (status) {
            case SUCCESS -> 0;
            case FAILED, REFUNDED -> 33;
            case PENDING, NEEDS_REVIEW -> 35;
            case INITIATED, UNKNOWN -> 34;
        };
    }

    static Code of(ErrorCode code) {
        return switch (code) {
            case MISSING_CREDENTIALS -> new Code(401, 14);
            case INVALID_SIGNATURE, UNKNOWN_API_KEY, MALFORMED_SIGNATURE, STALE_TIMESTAMP, REPLAYED_REQUEST, ADMIN_UNAUTHORIZED -> new Code(401, 2);
            case PARTNER_SUSPENDED, ADMIN_FORBIDDEN -> new Code(403, 13);
            case IP_NOT_ALLOWED, INITIATOR_MISMATCH, UNKNOWN_USER_CODE -> new Code(403, 92);
            case MALFORMED_JSON, INVALID_REQUEST, UNSUPPORTED_CURRENCY, MISSING_IDEMPOTENCY_KEY -> new Code(400, 1);
            case UNSUPPORTED_MEDIA_TYPE -> new Code(415, 1);
            case BODY_TOO_LARGE -> new Code(413, 1);
            case METHOD_NOT_ALLOWED -> new Code(405, 1);
            case NOT_FOUND -> new Code(404, 36);
            case INVALID_PARAMETER -> new Code(200, 114);
            case UNKNOWN_OPERATOR -> new Code(200, 112);
            case OPERATION_NOT_SUPPORTED, CHANNEL_NOT_SUPPORTED, UNKNOWN_PRODUCT -> new Code(200, 1);
            case OPERATOR_DISABLED -> new Code(200, 40);
            case INSUFFICIENT_FUNDS -> new Code(200, 12);
            case IDEMPOTENCY_KEY_REUSED -> new Code(200, 31);
            case REQUEST_IN_PROGRESS -> new Code(200, 34);
            case AMOUNT_OUT_OF_RANGE, CURRENCY_MISMATCH -> new Code(200, 32);
            case AMOUNT_NOT_ALLOWED -> new Code(200, 117);
            case BILL_NOT_FETCHED, BILL_FETCH_FAILED -> new Code(200, 116);
            case TRANSACTION_NOT_FOUND, PARTNER_NOT_FOUND, PARTNER_EXISTS, NOT_IN_REVIEW, EVENT_NOT_FOUND, CONNECTOR_NOT_FOUND,
                 CONNECTOR_EXISTS, CONNECTOR_IN_USE, CATALOG_CONFLICT, IDENTITY_NOT_FOUND, IDENTITY_EXISTS, APPROVAL_NOT_FOUND,
                 APPROVAL_DECIDED, COMPLAINT_NOT_FOUND, COMPLAINT_EXISTS, COMPLAINT_CLOSED, NOT_REFUNDABLE -> new Code(200, 36);
            case UPSTREAM_UNAVAILABLE, NO_ROUTE -> new Code(200, 41);
            case BUSY, DATABASE_UNAVAILABLE -> new Code(503, 91);
            case RATE_LIMITED -> new Code(429, 91);
            case INTERNAL_ERROR -> new Code(500, 500);
        };
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith("/api/v1/service/") || path.startsWith("/api/v2/service/");
    }

    @Override
    public ResponseEntity<String> render(BillSwitchException e) {
        Code code = of(e.code());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", code.errorCode());
        body.put("message", e.getMessage());
        if (!e.fields().isEmpty()) {
            body.put("errors", e.fields());
        }
        return ResponseEntity.status(code.http()).contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
    }
}
