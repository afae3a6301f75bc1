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
    TOPUP,
    /**
     * A settled payment refunded later (through a complaint): the mirror of one of the order's posted transfers,
     * its reference "reverses:&lt;transfer id&gt;" (each transfer reversed at most once: transfers_one_reversal).
     */
    REVERSAL
}
