package billswitch.connector.spi;

import java.time.LocalDate;

/** A bill as the biller reports it. */
public record Bill(long amountMinor, String customerName, String billNumber, String period,
                   LocalDate billDate, LocalDate dueDate, boolean partialPaymentAllowed) {
}
