package billswitch.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link TransferCommand.Reverse} decided against a batch's locked balances: each of the order's posted
 * transfers mirrored (debit and credit swapped, code REVERSAL, reference "reverses:&lt;id&gt;"), the wallet's
 * credits first, every mirror touching the wallet with its opening and closing balance. It refuses
 * (EXCEEDS_AVAILABLE) a reverse that would take the wallet below its credit limit.
 */
final class Reversals {
    private Reversals() {
    }

    /** What a reverse did: OK or EXCEEDS_AVAILABLE, and the wallet's available balance before and after. */
    record Reversed(TransferResult result, long openingMinor, long closingMinor) {
    }

    /** The reference a REVERSAL transfer carries: the transfer it mirrors. */
    static String reference(long transferId) {
        return "reverses:" + transferId;
    }

    static Reversed apply(TransferCommand.Reverse r, int item, Map<Long, Long> available, long creditLimitMinor,
                          Map<Long, LedgerBatch.Delta> deltas, TransferBatch transfers) {
        long wallet = r.walletId();
        Long before = available.get(wallet);
        if (before == null) {
            throw new IllegalStateException("wallet " + wallet + " was not locked for this batch");
        }
        List<TransferCommand.Reversible> ordered = new ArrayList<>();
        // The mirrors crediting the wallet (of transfers that debited it) first, so its balance never dips on the way.
        r.transfers().stream().filter(t -> t.debitAccountId() == wallet).forEach(ordered::add);
        r.transfers().stream().filter(t -> t.debitAccountId() != wallet).forEach(ordered::add);
        long balance = before;
        for (TransferCommand.Reversible t : ordered) {
            if (!available.containsKey(t.debitAccountId()) || !available.containsKey(t.creditAccountId())) {
                throw new IllegalStateException("transfer " + t.transferId() + "'s accounts were not locked for this batch");
            }
            if (t.debitAccountId() == wallet) {
                balance += t.amountMinor();
            } else if (t.creditAccountId() == wallet) {
                balance -= t.amountMinor();
                if (balance + creditLimitMinor < 0) {
                    return new Reversed(TransferResult.EXCEEDS_AVAILABLE, before, before);
                }
            }
        }
        balance = before;
        boolean first = true;
        for (TransferCommand.Reversible t : ordered) {
            long debit = t.creditAccountId();
            long credit = t.debitAccountId();
            deltas.computeIfAbsent(debit, id -> new LedgerBatch.Delta()).debitsPosted += t.amountMinor();
            deltas.computeIfAbsent(credit, id -> new LedgerBatch.Delta()).creditsPosted += t.amountMinor();
            int at = first ? item : TransferBatch.NO_ITEM;
            first = false;
            if (debit == wallet || credit == wallet) {
                long opening = balance;
                balance += credit == wallet ? t.amountMinor() : -t.amountMinor();
                transfers.add(at, TransferKind.POSTED, null, debit, credit, t.amountMinor(), r.currency(),
                        TransferCode.REVERSAL, r.orderId(), reference(t.transferId()), wallet, opening, balance);
            } else {
                transfers.add(at, TransferKind.POSTED, null, debit, credit, t.amountMinor(), r.currency(),
                        TransferCode.REVERSAL, r.orderId(), reference(t.transferId()), null, null, null);
            }
        }
        return new Reversed(TransferResult.OK, before, balance);
    }
}
