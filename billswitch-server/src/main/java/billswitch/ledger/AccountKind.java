package billswitch.ledger;

/** What an account is for. Stored by name in {@code accounts.kind}. */
public enum AccountKind {
    /** A partner's prepaid wallet, one per currency: never overdrawn. */
    WALLET,
    /** Where top-ups come from: the money the outside world paid in. */
    FUNDING,
    /** Held and paid payments, sharded so concurrent payments rarely share a row; nets to zero once they settle. */
    SETTLEMENT,
    /** Commission paid to partners (commission expense), sharded like SETTLEMENT. */
    COMMISSION,
    /** Our revenue: partners' fees and upstreams' commission to us, less what upstreams charge us. Sharded. */
    REVENUE,
    /** TDS withheld from partners' commission, owed to the tax authority. Sharded. */
    TDS_PAYABLE,
    /** GST on partners' fees, owed to the tax authority. Sharded. */
    GST_PAYABLE,
    /**
     * What we owe one upstream connector ({@code accounts.connector}) for the payments it made, per currency;
     * sharded like SETTLEMENT (its balance is the sum of its shards).
     */
    UPSTREAM
}
