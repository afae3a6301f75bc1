package billswitch.shared;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An amount in minor units (paise for INR, dong for VND) plus its currency. Never a double.
 * Decimal text is parsed strictly at the edges: no exponent, no more decimals than the currency has.
 */
public record Money(long amountMinor, Currency currency) {

    /** The largest amount any single payment may carry, in major units, whatever the operator allows. */
    public static final long MAX_MAJOR = 1_000_000_000L;

    private static final Pattern DECIMAL = Pattern.compile("^[0-9]{1,13}(\\.[0-9]{1,4})?$");

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(long amountMinor, Currency currency) {
        return new Money(amountMinor, currency);
    }

    /**
     * Parses a positive decimal amount given in major units ("100", "100.5", "820.00").
     * Returns null when the text is not such an amount; callers turn that into their own error.
     */
    public static Money parseMajor(String text, Currency currency) {
        if (text == null || !DECIMAL.matcher(text).matches()) {
            return null;
        }
        BigDecimal value = new BigDecimal(text).stripTrailingZeros();
        if (value.scale() > currency.minorDigits()) {
            return null;
        }
        if (value.compareTo(BigDecimal.valueOf(MAX_MAJOR)) > 0) {
            return null;
        }
        return new Money(value.movePointRight(currency.minorDigits()).longValueExact(), currency);
    }

    public boolean isPositive() {
        return amountMinor > 0;
    }

    public String toMajorString() {
        return currency.format(amountMinor);
    }

    @Override
    public String toString() {
        return toMajorString() + " " + currency;
    }
}
