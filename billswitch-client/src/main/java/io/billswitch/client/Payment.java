package io.billswitch.client;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A transaction: a recharge, a bill payment or a bill fetch ({@code kind} RECHARGE, BILL_PAY, BILL_FETCH), as every
 * payment call and {@code GET /v1/transactions} answer it. {@code status}: SUCCESS, FAILED (final), PENDING, UNKNOWN
 * (accepted, not settled: the money stays held), NEEDS_REVIEW, REFUNDED.
 */
public record Payment(String id, String reference, String kind, String status, String operatorId, String accountNumber,
                      Map<String, String> params, String productCode, long amountMinor, String amount, long feeMinor,
                      long commissionMinor, String currency, String channel, String operatorRef, String billFetchId,
                      Bill bill, Failure failure, WalletEffect wallet, Refund refund, Instant createdAt,
                      Instant updatedAt) {

    /** True once the outcome will not change: SUCCESS, FAILED or REFUNDED. */
    public boolean isFinal() {
        return "SUCCESS".equals(status) || "FAILED".equals(status) || "REFUNDED".equals(status);
    }

    public record Bill(long amountMinor, String amount, String customerName, String billNumber, String period,
                       LocalDate billDate, LocalDate dueDate, boolean partialPaymentAllowed) {
    }

    public record Failure(String code, String message) {
    }

    /** The wallet's available balance before and after the payment's hold. */
    public record WalletEffect(long openingMinor, long closingMinor) {
    }

    public record Refund(long amountMinor, Instant at) {
    }
}
