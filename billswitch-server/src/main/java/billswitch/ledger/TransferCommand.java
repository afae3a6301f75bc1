package billswitch.ledger;

import billswitch.shared.Currency;
import java.util.List;

/** One thing to do to the ledger. {@link Ledger#execute} and {@link LedgerBatch#execute} apply them in order. */
public sealed interface TransferCommand {

    /** Holds a payment's money (amount + ccf + fee + gst) from the wallet in a settlement shard: a PENDING transfer. */
    record Hold(long orderId, long walletId, Currency currency, long amountMinor) implements TransferCommand {
        public Hold {
            if (amountMinor <= 0) {
                throw new IllegalArgumentException("hold amount must be positive");
            }
        }
    }

    /**
     * How a settled payment's money is split: the hold (amount + ccf + fee + gst) leaves the settlement shard as
     * the partner's fee to REVENUE, its GST to GST_PAYABLE, the biller's convenience fee (ccf) to REVENUE and the
     * rest (the amount: what the upstream is sent and reports) to the UPSTREAM account of {@code connector}, the
     * upstream that made the payment; the partner's commission goes from COMMISSION to the
     * wallet and its TDS from the wallet to TDS_PAYABLE; that upstream's commission to us goes from its account to
     * REVENUE, and its fee for the payment from REVENUE to its account. Zero amounts write no transfer.
     */
    record Split(String connector, long ccfMinor, long feeMinor, long gstMinor, long commissionMinor, long tdsMinor,
                 long upstreamCommissionMinor, long upstreamFeeMinor) {
        public Split {
            if (connector == null || connector.isBlank()) {
                throw new IllegalArgumentException("a split names the upstream connector that made the payment");
            }
            if (ccfMinor < 0 || feeMinor < 0 || gstMinor < 0 || commissionMinor < 0 || tdsMinor < 0
                    || upstreamCommissionMinor < 0 || upstreamFeeMinor < 0) {
                throw new IllegalArgumentException("a split's parts cannot be negative");
            }
            if (tdsMinor > commissionMinor) {
                throw new IllegalArgumentException("TDS cannot exceed the commission it is withheld from");
            }
        }

        /**
         * What the upstream is owed of a debit of {@code debitMinor}: what is left once ccf, fee and GST are taken,
         * the payment's amount.
         */
        long upstreamMinor(long debitMinor) {
            long upstream = debitMinor - ccfMinor - feeMinor - gstMinor;
            if (upstream <= 0) {
                throw new IllegalArgumentException(
                        "ccf, fee and GST leave nothing of " + debitMinor + " for the upstream");
            }
            return upstream;
        }
    }

    /** Makes a hold final and splits its money ({@link Split}). */
    record Post(PendingHold hold, Split split) implements TransferCommand {
        public Post {
            split.upstreamMinor(hold.amountMinor());
        }
    }

    /** Releases a hold: the money is back in the wallet (a REFUND). */
    record Void(PendingHold hold) implements TransferCommand {
    }

    /**
     * Debits a wallet at once for an order whose hold is gone (voided) and that was paid after all: a POSTED
     * transfer of amount + ccf + fee + gst from the wallet to a settlement shard, split from there as a
     * {@link Post} splits it. EXCEEDS_AVAILABLE, moving nothing, when the wallet's available balance does not
     * cover it.
     */
    record Charge(long orderId, long walletId, Currency currency, long amountMinor, Split split)
            implements TransferCommand {
        public Charge {
            if (amountMinor <= 0) {
                throw new IllegalArgumentException("charge amount must be positive");
            }
            split.upstreamMinor(amountMinor);
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
