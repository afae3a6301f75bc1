package billswitch.routing;

/**
 * One way to pay an operator: through {@code connector}, naming the operator by {@code upstreamCode} (Eko's
 * operator_id, AOPay's operator or ProductID, AppotaPay's serviceCode or telco, another BillSwitch's operator id).
 * Routes are tried by priority (lower first); among equal priorities the cheaper first, then by weight.
 * {@code costMinor} is what that upstream charges us per payment (null: not known, taken as 0 in the books),
 * {@code commissionBps} what it pays us on a payment's amount, in basis points.
 * A sandbox operator with no routes configured has one default route to its catalog connector, with no code.
 */
public record Route(String operatorId, String connector, String upstreamCode, int priority, int weight, Long costMinor,
                    int commissionBps) {

    public Route(String operatorId, String connector, String upstreamCode, int priority, int weight, Long costMinor) {
        this(operatorId, connector, upstreamCode, priority, weight, costMinor, 0);
    }
}
