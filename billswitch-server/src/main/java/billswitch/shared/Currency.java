package billswitch.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The currencies BillSwitch keeps wallets in, with the number of minor digits each has. */
public enum Currency {
    INR(2),
    VND(0);

    private final int minorDigits;

    Currency(int minorDigits) {
        this.minorDigits = minorDigits;
    }

    public int minorDigits() {
        return minorDigits;
    }

    /** Parses a currency code; throws {@link BillSwitchException} with UNSUPPORTED_CURRENCY otherwise. */
    public static Currency parse(String code) {
        if (code != null) {
            for (Currency c : values()) {
                if (c.name().equals(code)) {
                    return c;
                }
            }
        }
        throw new BillSwitchException(ErrorCode.UNSUPPORTED_CURRENCY,
                "currency must be one of INR, VND; got " + (code == null ? "nothing" : "'" + code + "'"));
    }

    /** Minor units as a plain decimal string with exactly {@link #minorDigits()} decimals ("3935.00"). */
    public String format(long amountMinor) {
        return BigDecimal.valueOf(amountMinor, minorDigits).setScale(minorDigits, RoundingMode.UNNECESSARY).toPlainString();
    }
}
