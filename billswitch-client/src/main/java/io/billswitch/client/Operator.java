package io.billswitch.client;

import java.util.List;

/**
 * An operator or biller as listed ({@code GET /v1/operators}): kind PREPAID, DTH, POSTPAID or UTILITY; fetchOption
 * MANDATORY, OPTIONAL or NOT_SUPPORTED; exactness EXACT, EXACT_AND_ABOVE, EXACT_AND_BELOW or ADHOC.
 */
public record Operator(String id, String name, String category, String location, String kind, String country,
                       String currency, String fetchOption, String exactness, long minAmountMinor, long maxAmountMinor,
                       boolean partialPayment, List<String> channels, boolean enabled) {
}
