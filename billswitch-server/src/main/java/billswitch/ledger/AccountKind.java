package billswitch.ledger;

/** What an account is for. Stored by name in {@code accounts.kind}. */
public enum AccountKind {
    /** A partner's prepaid wallet, one per currency: never overdrawn. */
    WALLET,
    /** Where top-ups come from: the money the outside world paid in. */
    FUNDING,
    /** Held and paid payments, sharded so concurrent payments rarely share a row. */
    SETTLEMENT,
    /** Commission paid to partners, sharded like SETTLEMENT. */
    COMMISSION
}
