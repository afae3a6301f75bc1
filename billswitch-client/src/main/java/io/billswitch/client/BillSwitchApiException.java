package io.billswitch.client;

import java.util.Map;

/**
 * An error BillSwitch answered: {@code {"error":{"code","message","fields"}}} with its HTTP status. Nothing moved
 * for a 4xx; {@link #retryable()} errors were already retried with the same Idempotency-Key as often as the client
 * is configured to.
 */
public class BillSwitchApiException extends RuntimeException {
    private final int httpStatus;
    private final String code;
    private final Map<String, String> fields;
    private final String retryAfter;

    public BillSwitchApiException(int httpStatus, String code, String message, Map<String, String> fields, String retryAfter) {
        super(code + " (HTTP " + httpStatus + "): " + message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.fields = fields == null ? Map.of() : Map.copyOf(fields);
        this.retryAfter = retryAfter;
    }

    /** The catalog code as sent, also when this client does not know it. */
    public String code() {
        return code;
    }

    /** The catalog code, or {@link ErrorCode#UNRECOGNISED} for a code newer than this client. */
    public ErrorCode errorCode() {
        return ErrorCode.of(code);
    }

    /** The server's message, for people. */
    public String serverMessage() {
        String m = getMessage();
        return m.substring(m.indexOf("): ") + 3);
    }

    /** Each invalid field and why (empty when the error is not about fields). */
    public Map<String, String> fields() {
        return fields;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The Retry-After header of the answer, or null. */
    public String retryAfter() {
        return retryAfter;
    }

    /** An answer that a later identical call (same Idempotency-Key) may turn into a result. */
    public boolean retryable() {
        return switch (errorCode()) {
            case BUSY, DATABASE_UNAVAILABLE, RATE_LIMITED, REQUEST_IN_PROGRESS -> true;
            default -> false;
        };
    }
}
