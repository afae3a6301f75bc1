package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Operator;
import billswitch.pricing.PaymentMode;
import billswitch.shared.Currency;
import billswitch.shared.Money;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayCommandTest {

    private static PayCommand command(PaymentMode mode) {
        return new PayCommand("P1", "NATIVE", "r1", OrderKind.BILL_PAY, "bses-rajdhani", "151627591", Map.of("a", "1"),
                Money.of(10_000L, Currency.INR), Operator.Channel.INSTANT, 42L, null, mode);
    }

    @Test
    void aCashPaymentKeepsTheFingerprintStoredBeforePaymentModesAndAnotherModeChangesIt() {
        assertThat(command(PaymentMode.CASH).fingerprint())
                .as("the canonical form of every payment stored before payment modes")
                .isEqualTo("NATIVE|BILL_PAY|bses-rajdhani|151627591|{a=1}|10000|INR|INSTANT|42|null");
        assertThat(command(null).paymentMode()).isEqualTo(PaymentMode.CASH);
        assertThat(new PayCommand("P1", "NATIVE", "r1", OrderKind.BILL_PAY, "bses-rajdhani", "151627591", Map.of("a", "1"),
                Money.of(10_000L, Currency.INR), Operator.Channel.INSTANT, 42L, null).fingerprint())
                .isEqualTo(command(PaymentMode.CASH).fingerprint());
        assertThat(command(PaymentMode.UPI).fingerprint()).isEqualTo(command(PaymentMode.CASH).fingerprint() + "|UPI");
    }
}
