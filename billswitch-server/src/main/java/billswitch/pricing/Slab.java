package billswitch.pricing;

/**
 * One amount range of a slab charge: amounts from {@code fromMinor} (inclusive) up to {@code toMinor} (exclusive;
 * null: no upper edge) are charged {@code flatMinor} plus {@code bps} basis points of the amount (rounded half up).
 */
public record Slab(long fromMinor, Long toMinor, long flatMinor, int bps) {

    /** Whether this slab covers the amount: from inclusive, to exclusive. */
    public boolean covers(long amountMinor) {
        return amountMinor >= fromMinor && (toMinor == null || amountMinor < toMinor);
    }

    long chargeOn(long amountMinor) {
        return Math.addExact(flatMinor, Pricing.percentOf(amountMinor, bps));
    }

    /** Whether this slab's range and the other's share an amount. */
    boolean overlaps(Slab other) {
        return (other.toMinor == null || fromMinor < other.toMinor) && (toMinor == null || other.fromMinor < toMinor);
    }
}
