package billswitch.ledger;

import billswitch.infra.db.Pipeline;
import java.util.List;

/**
 * What one {@link LedgerBatch#execute} call did with each of its commands, by the command's index: its
 * {@link TransferResult} and the wallet's available balance around it are known at once; the id of the
 * transfer it wrote once the caller's round trip has run.
 */
public final class Results {
    private final List<TransferCommand> commands;
    private final TransferResult[] results;
    private final long[] openings;
    private final long[] closings;
    /** The settlement shard each Hold credited. */
    private final long[] settlements;
    /**
     * For an EXISTS top-up: the earlier transfer's id, or, when that top-up is an earlier command of the same
     * call, minus one minus that command's index; else 0.
     */
    private final long[] earlier;
    private final TransferBatch transfers;
    private final Pipeline.Rows<Long> ids;
    private long[] written;

    Results(List<TransferCommand> commands, TransferResult[] results, long[] openings, long[] closings,
            long[] settlements, long[] earlier, TransferBatch transfers, Pipeline.Rows<Long> ids) {
        this.commands = commands;
        this.results = results;
        this.openings = openings;
        this.closings = closings;
        this.settlements = settlements;
        this.earlier = earlier;
        this.transfers = transfers;
        this.ids = ids;
    }

    public TransferResult result(int command) {
        return results[command];
    }

    /** The wallet's available balance before the command (for EXISTS: before the earlier top-up). */
    public long openingMinor(int command) {
        return openings[command];
    }

    /** The wallet's available balance after the command (a Post or Charge with commission: after the commission). */
    public long closingMinor(int command) {
        return closings[command];
    }

    /**
     * The transfer the command wrote (a Hold: its PENDING transfer; a Post: the POST_PENDING; a Void: the
     * VOID_PENDING; a Charge: its POSTED debit; a TopUp: its POSTED transfer, or for EXISTS the earlier one); 0 for
     * a refused command.
     * Once the caller's round trip has run.
     */
    public long transferId(int command) {
        if (earlier[command] > 0) {
            return earlier[command];
        }
        if (earlier[command] < 0) {
            return transferId((int) (-earlier[command] - 1));
        }
        if (written == null) {
            written = new long[results.length];
            if (ids != null) {
                List<Long> list = ids.list();
                for (int k = 0; k < list.size(); k++) {
                    int item = transfers.item(k);
                    if (item != TransferBatch.NO_ITEM) {
                        written[item] = list.get(k);
                    }
                }
            }
        }
        return written[command];
    }

    /** The hold a Hold command placed, to resolve later; null if it was refused. Once the round trip has run. */
    public PendingHold pendingHold(int command) {
        if (!(commands.get(command) instanceof TransferCommand.Hold h)) {
            throw new IllegalArgumentException("command " + command + " is not a hold");
        }
        return results[command].ok()
                ? new PendingHold(transferId(command), h.orderId(), h.walletId(), settlements[command], h.amountMinor(), h.currency())
                : null;
    }
}
