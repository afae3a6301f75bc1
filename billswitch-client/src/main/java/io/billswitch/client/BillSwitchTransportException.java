package io.billswitch.client;

import java.io.IOException;

/**
 * No answer from BillSwitch after the configured attempts (connection refused or lost, timeout). For a payment
 * the outcome is unknown: call again with {@link #idempotencyKey()} (or ask {@code transactionByReference}) - the
 * same key never pays twice.
 */
public class BillSwitchTransportException extends RuntimeException {
    private final String idempotencyKey;

    public BillSwitchTransportException(String message, String idempotencyKey, IOException cause) {
        super(message, cause);
        this.idempotencyKey = idempotencyKey;
    }

    /** The Idempotency-Key every attempt carried, or null for a call without one. */
    public String idempotencyKey() {
        return idempotencyKey;
    }
}
