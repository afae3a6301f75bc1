package billswitch.pricing;

/**
 * What one payment costs and earns, decided once when it is validated and stored on its order, so a payment
 * keeps the terms it was made under whatever changes later. All in the payment's currency's minor units.
 * <ul>
 *   <li>{@code ccfMinor}: the biller's customer convenience fee (BBPS CCF slabs per biller and payment mode),
 *       charged at the slab's published figure and kept as our revenue (the upstream is sent the amount only);
 *       untaxed;</li>
 *   <li>{@code feeMinor}: the partner's fee from its pricing plan, before GST: our revenue;</li>
 *   <li>{@code gstMinor}: GST on that fee, owed to the tax authority;</li>
 *   <li>{@code commissionMinor}: the partner's commission from its pricing plan, before TDS;</li>
 *   <li>{@code tdsMinor}: TDS withheld from that commission (section 194H), owed to the tax authority;</li>
 *   <li>{@code planVersionId}: the pricing plan version that decided fee and commission (0: none).</li>
 * </ul>
 * The wallet is debited amount + ccf + fee + gst when the payment is held; on success it is credited
 * commission - tds.
 */
public record Price(long ccfMinor, long feeMinor, long gstMinor, long commissionMinor, long tdsMinor,
                    long planVersionId) {

    public Price {
        if (ccfMinor < 0 || feeMinor < 0 || gstMinor < 0 || commissionMinor < 0 || tdsMinor < 0) {
            throw new IllegalArgumentException("a price's parts cannot be negative");
        }
        if (tdsMinor > commissionMinor) {
            throw new IllegalArgumentException("TDS cannot exceed the commission it is withheld from");
        }
    }

    /** What the wallet is debited for a payment of {@code amountMinor}: amount + ccf + fee + gst. */
    public long debitMinor(long amountMinor) {
        return Math.addExact(Math.addExact(amountMinor, ccfMinor), Math.addExact(feeMinor, gstMinor));
    }

    /** What the wallet is credited when the payment succeeds: commission - tds. */
    public long netCommissionMinor() {
        return commissionMinor - tdsMinor;
    }
}
