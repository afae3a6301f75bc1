package billswitch.ledger;

/** Why money moved. Stored by name in {@code transfers.code}. */
public enum TransferCode {
    /** A payment's hold (wallet to settlement: amount + ccf + fee + gst), and the hold posted. */
    PAYMENT,
    /** The partner's commission on a payment that succeeded (commission to wallet). */
    COMMISSION,
    /** TDS withheld from that commission (wallet to TDS payable). */
    TDS,
    /** The partner's fee on a payment that succeeded (settlement to revenue). */
    FEE,
    /** GST on that fee (settlement to GST payable). */
    GST,
    /**
     * The biller's customer convenience fee on a payment that succeeded (settlement to revenue): charged to the
     * partner at the biller's published BBPS slab, kept by us, never sent to the upstream; untaxed.
     */
    CCF,
    /** What the upstream that made a payment is owed for it: the amount it was sent (settlement to upstream). */
    UPSTREAM,
    /** What that upstream pays us on the payment (upstream to revenue). */
    UPSTREAM_COMMISSION,
    /** What that upstream charges us for the payment (revenue to upstream). */
    UPSTREAM_FEE,
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
