package billswitch.console;

import billswitch.shared.Currency;
import org.springframework.stereotype.Component;

/**
 * Money on the console's pages, as {@code ${@money.format(amountMinor, currency)}}: minor units shown with the currency's
 * own decimals (INR 2, VND 0), exactly, never through a floating-point number.
 */
@Component("money")
public class MoneyFormat {

    /** "1234.50 INR", "50000 VND". */
    public String format(long amountMinor, Object currency) {
        return amount(amountMinor, currency) + " " + currency;
    }

    /** "1234.50", "50000": the amount alone, for a column that names its currency elsewhere. */
    public String amount(long amountMinor, Object currency) {
        return Currency.parse(String.valueOf(currency)).format(amountMinor);
    }
}
