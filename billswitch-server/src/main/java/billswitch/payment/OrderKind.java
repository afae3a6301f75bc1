package billswitch.payment;

public enum OrderKind {
    BILL_FETCH, BILL_PAY, RECHARGE
}
