package billswitch.ledger.breach;

import billswitch.payment.OrderStatus;
import jakarta.servlet.http.HttpServletRequest;

/** Breaks "the ledger knows no payments" and "the domain knows no HTTP". For ArchitectureTest only. */
public class LedgerBreach {
    public OrderStatus status;
    public HttpServletRequest request;
}
