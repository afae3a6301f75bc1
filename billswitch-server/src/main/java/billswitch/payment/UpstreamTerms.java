package billswitch.payment;

import billswitch.ledger.TransferCommand;
import billswitch.pricing.Price;
import billswitch.routing.Route;

/**
 * What the upstream of one attempt charges us for a payment ({@code feeMinor}: its route's flat cost) and pays us on
 * it ({@code commissionMinor}: its route's commission, basis points of the amount rounded half up to the minor
 * unit), fixed when the attempt is made and stored on it: the attempt that succeeds settles with them.
 */
record UpstreamTerms(String connector, long feeMinor, long commissionMinor) {

    static UpstreamTerms of(Route route, long amountMinor) {
        long fee = route.costMinor() == null ? 0 : route.costMinor();
        long commission = (Math.multiplyExact(amountMinor, (long) route.commissionBps()) + 5_000) / 10_000;
        return new UpstreamTerms(route.connector(), fee, commission);
    }

    /** The ledger's split of a payment priced {@code price} that this upstream made. */
    TransferCommand.Split split(Price price) {
        return new TransferCommand.Split(connector, price.ccfMinor(), price.feeMinor(), price.gstMinor(), price.commissionMinor(),
                price.tdsMinor(), commissionMinor, feeMinor);
    }
}
