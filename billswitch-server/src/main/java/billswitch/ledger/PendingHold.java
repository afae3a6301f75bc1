package billswitch.ledger;

import billswitch.shared.Currency;

/**
 * The PENDING transfer that holds one order's money, from the wallet to a settlement shard: what a
 * {@link TransferCommand.Post} or {@link TransferCommand.Void} resolves. Its accounts and amount never change.
 */
public record PendingHold(long transferId, long orderId, long walletId, long settlementId, long amountMinor,
                          Currency currency) {
}
