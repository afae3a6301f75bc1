package billswitch.ledger;

/**
 * What the ledger did with one {@link TransferCommand}, as TigerBeetle's {@code CreateTransferResult}: the
 * checks run in the order of these constants, and the first that fails is the result. Programmer errors (an
 * amount that is not positive, an account that was not locked or does not exist, a hold resolved twice)
 * throw instead, and roll the caller's transaction back.
 */
public enum TransferResult {
    /** Done: the transfer is written when the caller's round trip runs. */
    OK,
    /** A top-up with this reference was made before for another amount: nothing moved. */
    EXISTS_WITH_DIFFERENT_AMOUNT,
    /** A top-up with this reference and amount was made before: nothing moved again; its transfer is answered. */
    EXISTS,
    /** The wallet's available balance does not cover the hold (or the charge): nothing moved. */
    EXCEEDS_AVAILABLE;

    public boolean ok() {
        return this == OK;
    }
}
