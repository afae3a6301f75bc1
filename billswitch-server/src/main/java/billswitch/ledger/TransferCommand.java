package billswitch.ledger;

import billswitch.shared.Currency;
import java.util.List;

/** One thing to do to the ledger. {@link Ledger#execute} and {@link LedgerBatch#execute} apply them in order. */
public sealed interface TransferCommand {

    /** Holds a payment's money (amount + fee) from the wallet in a settlement shard: a PENDING transfer. */
    record Hold(long orderId, long walletId, Currency currency, long amountMinor) implements TransferCommand {
        public Hold {
            if (amountMinor <= 0) {
                throw new IllegalArgumentException("hold amount must be positive");
            }
        }
    }

    /** Makes a hold final, and credits the partner's commission (0: none) from a commission shard. */
    record Post(PendingHold hold, long commissionMinor) implements TransferCommand {
        public Post {
            if (commissionMinor < 0) {
                throw new IllegalArgumentException("commission cannot be negative");
            }
        }
    }

    /** Releases a hold: the money is back in the wallet (a REFUND). */
    record Void(PendingHold hold) implements TransferCommand {
    }

    /**
     * Debits a wallet at once for an order whose hold is gone (voided) and that was paid after all: a POSTED
     * transfer of amount + fee from the wallet to a settlement shard, and the partner's commission (0: none)
     * from a commission shard, as a {@link Post} credits it. EXCEEDS_AVAILABLE, moving nothing, when the
     * wallet's available balance does not cover it.
     */
    record Charge(long orderId, long walletId, Currency currency, long amountMinor, long commissionMinor)
            implements TransferCommand {
        public Charge {
            if (amountMinor <= 0) {
                throw new IllegalArgumentException("charge amount must be positive");
            }
            if (commissionMinor < 0) {
                throw new IllegalArgumentException("commission cannot be negative");
            }
        }
    }

    /** Credits a wallet from the funding account: a POSTED transfer, once per reference. */
    record TopUp(long walletId, Currency currency, long amountMinor, String reference) implements TransferCommand {
        public TopUp {
            if (amountMinor <= 0) {
                throw new IllegalArgumentException("top-up amount must be positive");
            }
            if (reference == null || reference.isBlank()) {
                throw new IllegalArgumentException("a top-up needs a reference");
            }
        }
    }

    /**
     * Refunds a settled order: mirrors each of its posted transfers ({@code transfers}, as {@link Ledger#reversal}
     * reads them: whatever their codes) by a POSTED transfer the other way, code REVERSAL, each at most once.
     * The wallet's credits are applied before its debits; EXCEEDS_AVAILABLE, moving nothing, if the wallet
     * would still go below zero.
     */
    record Reverse(long orderId, long walletId, Currency currency, List<Reversible> transfers) implements TransferCommand {
        public Reverse {
            transfers = List.copyOf(transfers);
            if (transfers.isEmpty()) {
                throw new IllegalArgumentException("order " + orderId + " has no posted transfer to reverse");
            }
        }
    }

    /** One posted transfer of an order, to mirror. */
    record Reversible(long transferId, long debitAccountId, long creditAccountId, long amountMinor) {
    }
}
