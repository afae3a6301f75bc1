package billswitch.shared;

/**
 * The one error catalog. Every error any API answers has a stable code, an HTTP status and a default
 * human message. Dialects map these codes to their own providers' codes; the native API shows them as is.
 * The table in README.md lists the same codes; ErrorCatalogDocTest keeps the two in step.
 */
public enum ErrorCode {
    // request shape
    MALFORMED_JSON(400, "The request body is not valid JSON."),
    INVALID_REQUEST(400, "The request has missing, extra or wrongly typed fields."),
    INVALID_PARAMETER(400, "A customer parameter is missing or does not match the operator's rules."),
    UNSUPPORTED_CURRENCY(400, "The currency is not one BillSwitch keeps wallets in."),
    MISSING_IDEMPOTENCY_KEY(400, "Money-moving calls need an Idempotency-Key header."),
    BODY_TOO_LARGE(413, "The request body is larger than the limit."),
    UNSUPPORTED_MEDIA_TYPE(415, "The request body must be application/json."),
    NOT_FOUND(404, "No such endpoint."),
    METHOD_NOT_ALLOWED(405, "That HTTP method is not allowed on this endpoint."),

    // authentication
    MISSING_CREDENTIALS(401, "The request lacks authentication headers."),
    /**
     * Upstream answers only: this server no longer answers it (an unknown key id is answered as a wrong signature,
     * INVALID_SIGNATURE, so answers do not tell which keys exist). Kept so that the billswitch connector reads it
     * from an older BillSwitch upstream as what it is, a refusal of our credentials (FAILED, try elsewhere), not an
     * unknown code (which would leave the payment UNKNOWN).
     */
    UNKNOWN_API_KEY(401, "Upstream answers only: the API key is not known."),
    INVALID_SIGNATURE(401, "The request signature does not match."),
    MALFORMED_SIGNATURE(401, "The request signature is not valid base64."),
    STALE_TIMESTAMP(401, "The request timestamp is missing, malformed or outside the allowed window."),
    REPLAYED_REQUEST(401, "This signed request was already received; sign a fresh one."),
    ADMIN_UNAUTHORIZED(401, "The admin token is missing or wrong."),
    ADMIN_FORBIDDEN(403, "This admin identity's role does not allow that."),
    PARTNER_SUSPENDED(403, "The partner is suspended."),
    IP_NOT_ALLOWED(403, "The source address is not on the partner's allow-list."),
    INITIATOR_MISMATCH(403, "The initiator id does not belong to this developer key."),
    UNKNOWN_USER_CODE(403, "The user code is not onboarded for this partner."),

    // idempotency
    IDEMPOTENCY_KEY_REUSED(409, "This reference was already used for a different request."),
    REQUEST_IN_PROGRESS(409, "A request with this reference is still being processed; ask again shortly."),

    // catalog and business rules
    UNKNOWN_OPERATOR(404, "No such operator or biller."),
    OPERATOR_DISABLED(422, "The operator is disabled."),
    OPERATION_NOT_SUPPORTED(422, "The operator does not support this operation."),
    CHANNEL_NOT_SUPPORTED(422, "The operator does not offer this channel."),
    UNKNOWN_PRODUCT(422, "No such product code for this operator."),
    CURRENCY_MISMATCH(422, "The currency does not match the operator's currency."),
    AMOUNT_OUT_OF_RANGE(422, "The amount is outside the operator's limits."),
    AMOUNT_NOT_ALLOWED(422, "The amount is not allowed against the fetched bill."),
    BILL_NOT_FETCHED(422, "This biller requires a bill fetch before payment."),
    BILL_FETCH_FAILED(422, "The operator found no payable bill for this account."),
    INSUFFICIENT_FUNDS(402, "The wallet balance is insufficient."),

    // lookups
    TRANSACTION_NOT_FOUND(404, "No such transaction for this partner."),
    PARTNER_NOT_FOUND(404, "No such partner."),
    PARTNER_EXISTS(409, "A partner with this id already exists."),
    NOT_IN_REVIEW(409, "The order is not waiting for review."),
    EVENT_NOT_FOUND(404, "No such webhook event."),
    CONNECTOR_NOT_FOUND(404, "No such upstream connector."),
    CONNECTOR_EXISTS(409, "A connector with this name already exists."),
    CONNECTOR_IN_USE(409, "The connector has payments still unsettled; its upstream account cannot change now."),
    CATALOG_CONFLICT(409, "A catalog entry with this id or provider code already exists."),
    IDENTITY_NOT_FOUND(404, "No such admin identity."),
    IDENTITY_EXISTS(409, "An admin identity with this name already exists."),
    APPROVAL_NOT_FOUND(404, "No such approval."),
    APPROVAL_DECIDED(409, "The approval was already decided."),
    COMPLAINT_NOT_FOUND(404, "No such complaint for this partner."),
    COMPLAINT_EXISTS(409, "This transaction already has an open complaint of this type."),
    COMPLAINT_CLOSED(409, "The complaint is already resolved or rejected."),
    NOT_REFUNDABLE(409, "Only a successful payment can be refunded through a complaint."),

    // upstream and internal
    UPSTREAM_UNAVAILABLE(504, "The operator did not answer in time; nothing was charged."),
    NO_ROUTE(503, "No upstream can take this payment now; nothing was charged. Retry later."),
    BUSY(503, "BillSwitch is busy; retry with the same reference."),
    DATABASE_UNAVAILABLE(503, "The database is unavailable for a moment (a failover); retry with the same reference: a payment already taken is answered, never paid twice."),
    RATE_LIMITED(429, "Too many requests for this partner; retry after Retry-After seconds."),
    INTERNAL_ERROR(500, "An internal error occurred; it has been logged.");

    private final int httpStatus;
    private final String defaultMessage;

    ErrorCode(int httpStatus, String defaultMessage) {
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
