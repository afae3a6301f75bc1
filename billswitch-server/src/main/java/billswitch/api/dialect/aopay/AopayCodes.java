package billswitch.api.dialect.aopay;

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
 * AOPay's codes, in one place. Published: 1 success, 5 "Invalid signature encoding" and 20 "Signature
 * verification failed" (both HTTP 401; an unknown RegistrationID gets what a known one would, 20 or 22).
 * The rest are BillSwitch's choice, documented in the README: transaction states 2 pending, 3 failed,
 * 4 refunded; request errors 10 and up (31: BillSwitch busy, nothing
 * done, retry with the same referenceid; HTTP 503). Business refusals answer
 * HTTP 200 with status false, as AOPay's own failures do; malformed requests 400; authentication 401.
 */
@Component
class AopayCodes implements DialectErrors {
    static final int SUCCESS = 1;
    static final int PENDING = 2;
    static final int FAILED = 3;
    static final int REFUNDED = 4;

    private final JsonMapper json = JsonMapper.builder().build();

    record Code(int http, int responseCode) {
    }

    /** The response code of a transaction in this state. */
    static int of(OrderStatus status) {
        return switch (status) {
            case SUCCESS -> SUCCESS;
            case INITIATED, PENDING, UNKNOWN, NEEDS_REVIEW -> PENDING;
            case FAILED -> FAILED;
            case REFUNDED -> REFUNDED;
        };
    }

    /** The word AOPay answers for a transaction in this state. */
    static String word(OrderStatus status) {
        return switch (status) {
            case SUCCESS -> "SUCCESS";
            case INITIATED, PENDING, UNKNOWN, NEEDS_REVIEW -> "PENDING";
            case FAILED -> "FAILED";
            case REFUNDED -> "REFUNDED";
        };
    }

    static Code of(ErrorCode code) {
        return switch (code) {
            case MALFORMED_SIGNATURE -> new Code(401, 5);
            case INVALID_SIGNATURE, UNKNOWN_API_KEY, MISSING_CREDENTIALS, STALE_TIMESTAMP, REPLAYED_REQUEST, ADMIN_UNAUTHORIZED ->
                    new Code(401, 20);
            case IP_NOT_ALLOWED, INITIATOR_MISMATCH, UNKNOWN_USER_CODE -> new Code(401, 22);
            case PARTNER_SUSPENDED, ADMIN_FORBIDDEN -> new Code(403, 23);
            case MALFORMED_JSON, INVALID_REQUEST, INVALID_PARAMETER, UNSUPPORTED_CURRENCY, MISSING_IDEMPOTENCY_KEY,
                 UNSUPPORTED_MEDIA_TYPE -> new Code(400, 10);
            case BODY_TOO_LARGE -> new Code(413, 10);
            case METHOD_NOT_ALLOWED -> new Code(405, 10);
            case NOT_FOUND -> new Code(404, 10);
            case UNKNOWN_OPERATOR, OPERATOR_DISABLED, OPERATION_NOT_SUPPORTED, CHANNEL_NOT_SUPPORTED, UNKNOWN_PRODUCT -> new Code(200, 11);
            case INSUFFICIENT_FUNDS -> new Code(200, 12);
            case IDEMPOTENCY_KEY_REUSED -> new Code(200, 13);
            case REQUEST_IN_PROGRESS -> new Code(200, 14);
            case AMOUNT_OUT_OF_RANGE, AMOUNT_NOT_ALLOWED, CURRENCY_MISMATCH -> new Code(200, 15);
            case BILL_NOT_FETCHED, BILL_FETCH_FAILED -> new Code(200, 16);
            case TRANSACTION_NOT_FOUND, PARTNER_NOT_FOUND, PARTNER_EXISTS, NOT_IN_REVIEW, EVENT_NOT_FOUND, CONNECTOR_NOT_FOUND,
                 CONNECTOR_EXISTS, CONNECTOR_IN_USE, CATALOG_CONFLICT, IDENTITY_NOT_FOUND, IDENTITY_EXISTS, APPROVAL_NOT_FOUND,
                 APPROVAL_DECIDED, COMPLAINT_NOT_FOUND, COMPLAINT_EXISTS, COMPLAINT_CLOSED, NOT_REFUNDABLE -> new Code(200, 17);
            case UPSTREAM_UNAVAILABLE, NO_ROUTE -> new Code(200, 30);
            case BUSY, DATABASE_UNAVAILABLE -> new Code(503, 31);
            case RATE_LIMITED -> new Code(429, 31);
            case INTERNAL_ERROR -> new Code(500, 99);
        };
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith("/api/AOP/");
    }

    @Override
    public ResponseEntity<String> render(BillSwitchException e) {
        Code code = of(e.code());
        String message = switch (e.code()) {
            case MALFORMED_SIGNATURE -> "Invalid signature encoding";
            case INVALID_SIGNATURE, UNKNOWN_API_KEY -> "Signature verification failed";
            default -> e.getMessage();
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", false);
        body.put("response_code", code.responseCode());
        body.put("message", message);
        if (!e.fields().isEmpty()) {
            body.put("errors", e.fields());
        }
        return ResponseEntity.status(code.http()).contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
    }
}
