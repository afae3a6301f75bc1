package billswitch.routing.breach;

import billswitch.payment.OrderStatus;

/** Breaks "routing knows no payments". For ArchitectureTest only. */
public class RoutingBreach {
    public OrderStatus status;
}
