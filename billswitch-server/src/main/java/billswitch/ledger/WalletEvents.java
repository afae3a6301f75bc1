package billswitch.ledger;

import billswitch.infra.db.Pipeline;
import java.util.List;

/**
 * Told, by the ledger batch that moved the money, of every wallet whose available balance (balance - held + credit
 * limit) went from at or above its low-balance threshold to below it. The listener queues its writes on the
 * batch's pipeline, so they commit or roll back with the transfers themselves: a crossing is told exactly once.
 */
public interface WalletEvents {
    /**
     * One crossing: the wallet, the order whose transfer crossed it, the threshold and the available balance
     * (credit limit included) before and after.
     */
    record LowBalance(long walletId, long orderId, long thresholdMinor, long availableBeforeMinor,
                      long availableMinor, long creditLimitMinor) {
    }

    void lowBalance(Pipeline pipeline, List<LowBalance> crossings);
}
