package billswitch.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({"100,INR,10000", "100.5,INR,10050", "820.00,INR,82000", "0.01,INR,1", "100000,VND,100000", "100.000,VND,100"})
    void parsesDecimalTextIntoMinorUnits(String text, Currency currency, long minor) {
        assertThat(Money.parseMajor(text, currency)).isEqualTo(Money.of(minor, currency));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1e3", "-5", "0.001", "1,000", " 10", "10.", ".5", "abc", "NaN", "99999999999999"})
    void refusesAnythingElseForInr(String text) {
        assertThat(Money.parseMajor(text, Currency.INR)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.5", "0.1"})
    void vndHasNoMinorDigits(String text) {
        assertThat(Money.parseMajor(text, Currency.VND)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"393500,INR,3935.00", "1,INR,0.01", "0,INR,0.00", "12200000,VND,12200000"})
    void formatsWithTheCurrencysDigits(long minor, Currency currency, String text) {
        assertThat(currency.format(minor)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "inr", ""})
    void unknownCurrenciesAreRefused(String code) {
        assertThatThrownBy(() -> Currency.parse(code)).isInstanceOf(BillSwitchException.class)
                .extracting(e -> ((BillSwitchException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_CURRENCY);
    }
}
