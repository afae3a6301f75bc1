package billswitch.connector.spi;

import java.time.LocalDate;

/**
 * A bill as the biller reports it. {@code upstreamContext} is what the connector that fetched it needs again
 * to pay it (AppotaPay's billDetail, for one), opaque to everything else; null where nothing is needed.
 */
public record Bill(long amountMinor, String customerName, String billNumber, String period,
                   LocalDate billDate, LocalDate dueDate, boolean partialPaymentAllowed, String upstreamContext) {

    public Bill(long amountMinor, String customerName, String billNumber, String period, LocalDate billDate,
                LocalDate dueDate, boolean partialPaymentAllowed) {
        this(amountMinor, customerName, billNumber, period, billDate, dueDate, partialPaymentAllowed, null);
    }
}
