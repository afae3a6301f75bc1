package billswitch.ledger;

/** Why money moved. Stored by name in {@code transfers.code}. */
public enum TransferCode {
    /** A payment's hold, and the hold posted. */
    PAYMENT,
    /** The partner's commission on a payment that succeeded. */
    COMMISSION,
    /** A payment's hold voided: its money back in the wallet. */
    REFUND,
    /** Money paid into a wallet from outside. */
    TOPUP
}
