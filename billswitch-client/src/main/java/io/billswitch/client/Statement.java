package io.billswitch.client;

import java.time.Instant;
import java.util.List;

/**
 * A page of a wallet's statement, newest first ({@code GET /v1/wallet/statement}); {@code nextBefore} pages on
 * (null on the last page). Entry types: TOPUP, HOLD, SETTLED, REFUND, COMMISSION, PAYMENT.
 */
public record Statement(String currency, List<Entry> entries, String nextBefore) {

    public record Entry(String id, String type, String direction, long amountMinor, long openingMinor,
                        long closingMinor, String transactionId, String reference, Instant at) {
    }
}
