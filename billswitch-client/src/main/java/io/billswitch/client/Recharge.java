package io.billswitch.client;

/** A recharge ({@code POST /v1/recharges}); {@code productCode} may be null. */
public record Recharge(String operatorId, String accountNumber, long amountMinor, String currency, String productCode) {

    public static Recharge of(String operatorId, String accountNumber, long amountMinor, String currency) {
        return new Recharge(operatorId, accountNumber, amountMinor, currency, null);
    }
}
