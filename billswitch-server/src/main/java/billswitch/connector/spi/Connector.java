package billswitch.connector.spi;

import billswitch.catalog.Operator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An upstream operator network. Implementations translate to one provider's protocol and map every
 * provider status to an {@link Outcome} in one status map. They never touch the database.
 */
public interface Connector {

    /** The name operators are routed by (operators.connector). */
    String name();

    BillResult fetchBill(Operator operator, String accountNumber, Map<String, String> params);

    /**
     * Sends the payment. Asynchronous, so a payment waiting on a slow upstream holds no thread and no
     * database connection: thousands can be in flight at once. It must not block the calling thread: it is
     * called by the payment batch's worker right after the hold has committed (an answer already there
     * then joins the worker's next batch). A future that fails means the outcome is unknown, never that the
     * payment failed.
     */
    CompletableFuture<ConnectorResult> pay(PaymentInstruction instruction);

    /** Asks the upstream what became of an earlier payment attempt. */
    ConnectorResult status(PaymentInstruction instruction);
}
