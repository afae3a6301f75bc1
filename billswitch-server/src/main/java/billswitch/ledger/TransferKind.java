package billswitch.ledger;

/** A transfer's place in the two-phase life of money. Stored by name in {@code transfers.kind}. */
public enum TransferKind {
    /** Moved at once. */
    POSTED,
    /** Held: counted as pending on both accounts until one POST_PENDING or VOID_PENDING resolves it. */
    PENDING,
    /** A hold made final. */
    POST_PENDING,
    /** A hold released: the money is back. */
    VOID_PENDING
}
