package billswitch.connector.spi;

import billswitch.catalog.Operator;
import java.util.Map;

/**
 * An upstream operator network. Implementations translate to one provider's protocol and map every
 * provider status to an {@link Outcome} in one status map. They never touch the database.
 */
public interface Connector {

    /** The name operators are routed by (operators.connector). */
    String name();

    BillResult fetchBill(Operator operator, String accountNumber, Map<String, String> params);

    ConnectorResult pay(PaymentInstruction instruction);

    /** Asks the upstream what became of an earlier payment attempt. */
    ConnectorResult status(PaymentInstruction instruction);
}
