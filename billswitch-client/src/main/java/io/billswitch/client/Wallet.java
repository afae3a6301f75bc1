package io.billswitch.client;

/** One currency's wallet ({@code GET /v1/wallet}): balance, held for unsettled payments, and available. */
public record Wallet(String currency, long balanceMinor, long heldMinor, long availableMinor, String available) {
}
