package io.billswitch.client;

/**
 * The codes of BillSwitch's error catalog (README "Error catalog", and the ErrorCode schema of
 * {@code GET /v1/openapi.json}) with their HTTP status. {@link #UNRECOGNISED} stands for a code newer than this
 * client: {@link BillSwitchApiException#code()} still carries its text.
 */
public enum ErrorCode {
    /** HTTP 400: The request body is not valid JSON. */
    MALFORMED_JSON(400),
    /** HTTP 400: The request has missing, extra or wrongly typed fields. */
    INVALID_REQUEST(400),
    /** HTTP 400: A customer parameter is missing or does not match the operator's rules. */
    INVALID_PARAMETER(400),
    /** HTTP 400: The currency is not one BillSwitch keeps wallets in. */
    UNSUPPORTED_CURRENCY(400),
    /** HTTP 400: Money-moving calls need an Idempotency-Key header. */
    MISSING_IDEMPOTENCY_KEY(400),
    /** HTTP 413: The request body is larger than the limit. */
    BODY_TOO_LARGE(413),
    /** HTTP 415: The request body must be application/json. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** HTTP 404: No such endpoint. */
    NOT_FOUND(404),
    /** HTTP 405: That HTTP method is not allowed on this endpoint. */
    METHOD_NOT_ALLOWED(405),
    /** HTTP 401: The request lacks authentication headers. */
    MISSING_CREDENTIALS(401),
    /** HTTP 401: Upstream answers only: the API key is not known. */
    UNKNOWN_API_KEY(401),
    /** HTTP 401: The request signature does not match. */
    INVALID_SIGNATURE(401),
    /** HTTP 401: The request signature is not valid base64. */
    MALFORMED_SIGNATURE(401),
    /** HTTP 401: The request timestamp is missing, malformed or outside the allowed window. */
    STALE_TIMESTAMP(401),
    /** HTTP 401: This signed request was already received; sign a fresh one. */
    REPLAYED_REQUEST(401),
    /** HTTP 401: The admin token is missing or wrong. */
    ADMIN_UNAUTHORIZED(401),
    /** HTTP 403: This admin identity's role does not allow that. */
    ADMIN_FORBIDDEN(403),
    /** HTTP 403: The partner is suspended. */
    PARTNER_SUSPENDED(403),
    /** HTTP 403: The source address is not on the partner's allow-list. */
    IP_NOT_ALLOWED(403),
    /** HTTP 403: The initiator id does not belong to this developer key. */
    INITIATOR_MISMATCH(403),
    /** HTTP 403: The user code is not onboarded for this partner. */
    UNKNOWN_USER_CODE(403),
    /** HTTP 409: This reference was already used for a different request. */
    IDEMPOTENCY_KEY_REUSED(409),
    /** HTTP 409: A request with this reference is still being processed; ask again shortly. */
    REQUEST_IN_PROGRESS(409),
    /** HTTP 404: No such operator or biller. */
    UNKNOWN_OPERATOR(404),
    /** HTTP 422: The operator is disabled. */
    OPERATOR_DISABLED(422),
    /** HTTP 422: The operator does not support this operation. */
    OPERATION_NOT_SUPPORTED(422),
    /** HTTP 422: The operator does not offer this channel. */
    CHANNEL_NOT_SUPPORTED(422),
    /** HTTP 422: No such product code for this operator. */
    UNKNOWN_PRODUCT(422),
    /** HTTP 422: The currency does not match the operator's currency. */
    CURRENCY_MISMATCH(422),
    /** HTTP 422: The amount is outside the operator's limits. */
    AMOUNT_OUT_OF_RANGE(422),
    /** HTTP 422: The amount is not allowed against the fetched bill. */
    AMOUNT_NOT_ALLOWED(422),
    /** HTTP 422: This biller requires a bill fetch before payment. */
    BILL_NOT_FETCHED(422),
    /** HTTP 422: The operator found no payable bill for this account. */
    BILL_FETCH_FAILED(422),
    /** HTTP 402: The wallet balance is insufficient. */
    INSUFFICIENT_FUNDS(402),
    /** HTTP 404: No such transaction for this partner. */
    TRANSACTION_NOT_FOUND(404),
    /** HTTP 404: No such partner. */
    PARTNER_NOT_FOUND(404),
    /** HTTP 409: A partner with this id already exists. */
    PARTNER_EXISTS(409),
    /** HTTP 409: The order is not waiting for review. */
    NOT_IN_REVIEW(409),
    /** HTTP 404: No such webhook event. */
    EVENT_NOT_FOUND(404),
    /** HTTP 404: No such upstream connector. */
    CONNECTOR_NOT_FOUND(404),
    /** HTTP 409: A connector with this name already exists. */
    CONNECTOR_EXISTS(409),
    /** HTTP 409: The connector has payments still unsettled; its upstream account cannot change now. */
    CONNECTOR_IN_USE(409),
    /** HTTP 409: A catalog entry with this id or provider code already exists. */
    CATALOG_CONFLICT(409),
    /** HTTP 404: No such admin identity. */
    IDENTITY_NOT_FOUND(404),
    /** HTTP 409: An admin identity with this name already exists. */
    IDENTITY_EXISTS(409),
    /** HTTP 404: No such approval. */
    APPROVAL_NOT_FOUND(404),
    /** HTTP 409: The approval was already decided. */
    APPROVAL_DECIDED(409),
    /** HTTP 404: No such complaint for this partner. */
    COMPLAINT_NOT_FOUND(404),
    /** HTTP 409: This transaction already has an open complaint of this type. */
    COMPLAINT_EXISTS(409),
    /** HTTP 409: The complaint is already resolved or rejected. */
    COMPLAINT_CLOSED(409),
    /** HTTP 409: Only a successful payment can be refunded through a complaint. */
    NOT_REFUNDABLE(409),
    /** HTTP 504: The operator did not answer in time; nothing was charged. */
    UPSTREAM_UNAVAILABLE(504),
    /** HTTP 503: No upstream can take this payment now; nothing was charged. Retry later. */
    NO_ROUTE(503),
    /** HTTP 503: BillSwitch is busy; retry with the same reference. */
    BUSY(503),
    /** HTTP 503: The database is unavailable for a moment (a failover); retry with the same reference: a payment already taken is answered, never paid twice. */
    DATABASE_UNAVAILABLE(503),
    /** HTTP 429: Too many requests for this partner; retry after Retry-After seconds. */
    RATE_LIMITED(429),
    /** HTTP 500: An internal error occurred; it has been logged. */
    INTERNAL_ERROR(500),
    /** A code this client does not know yet (a newer server). */
    UNRECOGNISED(0);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The code of that name, or {@link #UNRECOGNISED}. */
    public static ErrorCode of(String name) {
        if (name != null) {
            for (ErrorCode code : values()) {
                if (code.name().equals(name) && code != UNRECOGNISED) {
                    return code;
                }
            }
        }
        return UNRECOGNISED;
    }
}
