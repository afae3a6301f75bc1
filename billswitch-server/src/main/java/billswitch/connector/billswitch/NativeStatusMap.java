package billswitch.connector.billswitch;

import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.shared.ErrorCode;

/**
 * The one status map of an upstream BillSwitch's native v1 API: every transaction status it reports and every
 * code of its error catalog ({@link ErrorCode}, the same enum on both sides) to our {@link Outcome}.
 * <p>
 * <b>Transaction statuses</b> (a payment's answer, a status enquiry's, a webhook's {@code data.status}):
 * SUCCESS is SUCCESS; PENDING is PENDING; INITIATED (held there, its upstream not answered yet), UNKNOWN and
 * NEEDS_REVIEW (unsettled there; our janitor keeps asking) are UNKNOWN; FAILED (declined at once) and REFUNDED
 * (failed after acceptance, our float there refunded) are FAILED, a stated decline: never "try elsewhere". Any
 * other status is UNKNOWN.
 * <p>
 * <b>Error codes answered to a payment or a bill fetch</b>, by where the upstream raises them. Every DECLINED or
 * NOT_HERE code answered to {@code POST /v1/bills/pay} or {@code /v1/recharges} is raised before any money moves
 * there: by its auth filter, by the controller's checks of the body, by {@code PaymentService.pay}'s validation
 * (which answers a refused request whose reference was used before as that earlier order's replay instead, so such
 * a refusal means no order holds our reference), when the hold is refused for want of funds (nothing is kept), or
 * when its batch queue is full (BUSY: nothing of the payment is done). Each attempt is sent once, under its own
 * reference, so no earlier copy of it can have been paid there either. Three kinds:
 * <ul>
 *   <li>{@link Meaning#NOT_HERE} (FAILED, try elsewhere): the refusal is about this upstream, not the payment
 *       &mdash; it refused our credentials or address (MISSING_CREDENTIALS, UNKNOWN_API_KEY, INVALID_SIGNATURE,
 *       MALFORMED_SIGNATURE, STALE_TIMESTAMP: our clock, PARTNER_SUSPENDED, IP_NOT_ALLOWED, and the other
 *       APIs' credential codes ADMIN_UNAUTHORIZED, INITIATOR_MISMATCH, UNKNOWN_USER_CODE), our float there is
 *       short (INSUFFICIENT_FUNDS), it has the operator switched off (OPERATOR_DISABLED), it is overloaded (BUSY),
 *       we sent it more than its per-partner limits admit (RATE_LIMITED, checked before anything is read or written) or cannot reach its own upstream (UPSTREAM_UNAVAILABLE, raised by its bill fetch only; a payment it
 *       cannot reach its upstream for is an UNKNOWN order, not an error).</li>
 *   <li>{@link Meaning#DECLINED} (FAILED): a stated refusal about the request or the payment itself: its shape
 *       (MALFORMED_JSON, INVALID_REQUEST, UNSUPPORTED_CURRENCY, MISSING_IDEMPOTENCY_KEY, BODY_TOO_LARGE,
 *       UNSUPPORTED_MEDIA_TYPE, NOT_FOUND, METHOD_NOT_ALLOWED), the customer's parameters
 *       (INVALID_PARAMETER), the catalog's rules (UNKNOWN_OPERATOR: the route's upstream code is wrong,
 *       OPERATION_NOT_SUPPORTED, CHANNEL_NOT_SUPPORTED, UNKNOWN_PRODUCT, CURRENCY_MISMATCH, AMOUNT_OUT_OF_RANGE,
 *       AMOUNT_NOT_ALLOWED, BILL_NOT_FETCHED) and, on a fetch, BILL_FETCH_FAILED (no bill due).</li>
 *   <li>{@link Meaning#UNSETTLED} (UNKNOWN): an order with our reference may exist there. The reference is ours
 *       and unique per attempt, so REQUEST_IN_PROGRESS (our own attempt still with its upstream, or its
 *       60-second wait ran out), IDEMPOTENCY_KEY_REUSED (an order already holds our reference) and
 *       REPLAYED_REQUEST (these very signed bytes were received before, so the first copy went through) all
 *       name an attempt that may have been paid; INTERNAL_ERROR may come after the hold; and the codes the
 *       payment calls never answer (TRANSACTION_NOT_FOUND, PARTNER_NOT_FOUND, PARTNER_EXISTS, NOT_IN_REVIEW,
 *       EVENT_NOT_FOUND) say nothing we could act on. DATABASE_UNAVAILABLE (its database failing over) is
 *       answered before anything is written, but also to a repeated reference whose first copy went through.</li>
 * </ul>
 * A code this map does not know (a newer upstream's) is UNKNOWN. The upstream's 5xx codes (INTERNAL_ERROR,
 * BUSY, UPSTREAM_UNAVAILABLE) are mapped for completeness: {@code HttpConnector} answers any 5xx UNKNOWN before
 * a protocol reads it.
 * <p>
 * <b>Error codes answered to a status enquiry</b> ({@code GET /v1/transactions?reference=}): TRANSACTION_NOT_FOUND
 * is FAILED &mdash; the upstream has no payment with our reference, and the janitor asks only after the initiated
 * grace, long after our request could still arrive, so the attempt never reached it (or was refused before any
 * order was written). Any other error refused the enquiry, not the payment: UNKNOWN, ask again later.
 */
final class NativeStatusMap {

    /** What an error answered to a payment or a fetch says about it. */
    enum Meaning {
        /** A stated refusal: FAILED. */
        DECLINED,
        /** Refused before any money moved, for a reason of this upstream's: FAILED, and another route may take it. */
        NOT_HERE,
        /** An order with our reference may exist: UNKNOWN. */
        UNSETTLED
    }

    private NativeStatusMap() {
    }

    /**
     * Every code of the catalog, by where the upstream raises it (see the class comment). A switch without a
     * default: a code added to the catalog does not compile until it is placed here.
     */
    static Meaning meaning(ErrorCode code) {
        return switch (code) {
            case MALFORMED_JSON, INVALID_REQUEST, INVALID_PARAMETER, UNSUPPORTED_CURRENCY, MISSING_IDEMPOTENCY_KEY,
                 BODY_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, NOT_FOUND, METHOD_NOT_ALLOWED, UNKNOWN_OPERATOR,
                 OPERATION_NOT_SUPPORTED, CHANNEL_NOT_SUPPORTED, UNKNOWN_PRODUCT, CURRENCY_MISMATCH,
                 AMOUNT_OUT_OF_RANGE, AMOUNT_NOT_ALLOWED, BILL_NOT_FETCHED, BILL_FETCH_FAILED -> Meaning.DECLINED;
            case MISSING_CREDENTIALS, UNKNOWN_API_KEY, INVALID_SIGNATURE, MALFORMED_SIGNATURE, STALE_TIMESTAMP,
                 ADMIN_UNAUTHORIZED, ADMIN_FORBIDDEN, PARTNER_SUSPENDED, IP_NOT_ALLOWED, INITIATOR_MISMATCH, UNKNOWN_USER_CODE,
                 INSUFFICIENT_FUNDS, OPERATOR_DISABLED, BUSY, RATE_LIMITED, UPSTREAM_UNAVAILABLE, NO_ROUTE -> Meaning.NOT_HERE;
            case REPLAYED_REQUEST, IDEMPOTENCY_KEY_REUSED, REQUEST_IN_PROGRESS, INTERNAL_ERROR, TRANSACTION_NOT_FOUND,
                 PARTNER_NOT_FOUND, PARTNER_EXISTS, NOT_IN_REVIEW, EVENT_NOT_FOUND, CONNECTOR_NOT_FOUND,
                 CONNECTOR_EXISTS, CONNECTOR_IN_USE, CATALOG_CONFLICT, IDENTITY_NOT_FOUND, IDENTITY_EXISTS,
                 APPROVAL_NOT_FOUND, APPROVAL_DECIDED, COMPLAINT_NOT_FOUND, COMPLAINT_EXISTS, COMPLAINT_CLOSED, NOT_REFUNDABLE,
                 DATABASE_UNAVAILABLE -> Meaning.UNSETTLED;
        };
    }

    /** The meaning of the code named on the wire; UNSETTLED for a code this map does not know. */
    private static Meaning meaning(String code) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.name().equals(code)) {
                return meaning(c);
            }
        }
        return Meaning.UNSETTLED;
    }

    /** An error answered to a payment. */
    static ConnectorResult paymentRefused(String code, String message) {
        return switch (meaning(code)) {
            case DECLINED -> ConnectorResult.of(Outcome.FAILED, null, code, message);
            case NOT_HERE -> ConnectorResult.failedTryElsewhere(code, message);
            case UNSETTLED -> ConnectorResult.of(Outcome.UNKNOWN, null, code, message);
        };
    }

    /** An error answered to a bill fetch. */
    static BillResult fetchRefused(String code, String message) {
        return switch (meaning(code)) {
            case DECLINED -> BillResult.of(Outcome.FAILED, code, message);
            case NOT_HERE -> new BillResult(Outcome.FAILED, null, code, message, true);
            case UNSETTLED -> BillResult.of(Outcome.UNKNOWN, code, message);
        };
    }

    /** An error answered to a status enquiry: only "no such transaction" says anything of the payment. */
    static ConnectorResult enquiryRefused(String code, String message) {
        return ConnectorResult.of(ErrorCode.TRANSACTION_NOT_FOUND.name().equals(code) ? Outcome.FAILED : Outcome.UNKNOWN,
                null, code, message);
    }

    /** A transaction's status (see the class comment); {@code operatorRef} is kept on every outcome. */
    static ConnectorResult transaction(String status, String operatorRef, String message) {
        Outcome outcome = switch (status) {
            case "SUCCESS" -> Outcome.SUCCESS;
            case "PENDING" -> Outcome.PENDING;
            case "INITIATED", "UNKNOWN", "NEEDS_REVIEW" -> Outcome.UNKNOWN;
            case "FAILED", "REFUNDED" -> Outcome.FAILED;
            default -> Outcome.UNKNOWN;
        };
        return ConnectorResult.of(outcome, operatorRef, status, message);
    }
}
