package io.billswitch.client;

import java.util.Map;

/**
 * A bill payment ({@code POST /v1/bills/pay}); {@code params}, {@code billFetchId} (else the latest fetch of the
 * account in the last 24 hours) and {@code channel} (INSTANT or HIGH_COMMISSION) may be null.
 */
public record BillPayment(String operatorId, String accountNumber, Map<String, String> params, long amountMinor,
                          String currency, String billFetchId, String channel) {

    public static BillPayment of(String operatorId, String accountNumber, long amountMinor, String currency) {
        return new BillPayment(operatorId, accountNumber, null, amountMinor, currency, null, null);
    }
}
