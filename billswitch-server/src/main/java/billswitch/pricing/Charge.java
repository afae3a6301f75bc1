package billswitch.pricing;

import java.util.List;

/**
 * A commission or a fee of a pricing rule: FLAT ({@code flatMinor}), PERCENT ({@code bps} basis points of the
 * amount, rounded half up to the minor unit) or SLABS (the slab covering the amount: its flat plus its percent;
 * none: 0), then raised to {@code minMinor} and lowered to {@code capMinor} where they are given.
 */
public record Charge(Type type, long flatMinor, int bps, List<Slab> slabs, Long minMinor, Long capMinor) {

    public enum Type { FLAT, PERCENT, SLABS }

    public Charge {
        slabs = slabs == null ? List.of() : List.copyOf(slabs);
    }

    /** What this charge comes to on a payment of {@code amountMinor}. */
    public long on(long amountMinor) {
        long value = switch (type) {
            case FLAT -> flatMinor;
            case PERCENT -> Pricing.percentOf(amountMinor, bps);
            case SLABS -> slabs.stream().filter(s -> s.covers(amountMinor)).findFirst()
                    .map(s -> s.chargeOn(amountMinor)).orElse(0L);
        };
        if (minMinor != null && value < minMinor) {
            value = minMinor;
        }
        if (capMinor != null && value > capMinor) {
            value = capMinor;
        }
        return value;
    }
}
