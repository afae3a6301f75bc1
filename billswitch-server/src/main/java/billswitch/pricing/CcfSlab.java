package billswitch.pricing;

/**
 * A BBPS customer convenience fee slab of a biller: for payments by {@code paymentMode} (null: any mode that has no
 * slabs of its own) of amounts from {@code fromMinor} (inclusive) to {@code toMinor} (exclusive; null: no upper
 * edge), the CCF is {@code flatMinor} plus {@code bps} basis points of the amount, rounded half up.
 */
public record CcfSlab(PaymentMode paymentMode, long fromMinor, Long toMinor, long flatMinor, int bps) {

    Slab slab() {
        return new Slab(fromMinor, toMinor, flatMinor, bps);
    }
}
