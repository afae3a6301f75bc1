package io.billswitch.client;

import java.util.Map;

/** A bill fetch ({@code POST /v1/bills/fetch}); {@code params} and {@code reference} may be null. */
public record BillFetch(String operatorId, String accountNumber, Map<String, String> params, String reference) {

    public static BillFetch of(String operatorId, String accountNumber) {
        return new BillFetch(operatorId, accountNumber, null, null);
    }
}
