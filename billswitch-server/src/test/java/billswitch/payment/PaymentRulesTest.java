package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exactness rule against a fetched bill of 1,000.00, table-driven. */
class PaymentRulesTest {
    private final PaymentRules rules = new PaymentRules(null);

    private static Operator biller(Operator.Exactness exactness, boolean partial) {
        return new Operator("b", "Biller", "electricity", null, Operator.Kind.UTILITY, "IN", Currency.INR,
                Operator.FetchOption.MANDATORY, exactness, 100, 10_000_000, partial, List.of(Operator.Channel.INSTANT),
                0, 0, 0, false, "sandbox", true, new Operator.ProviderCodes(null, null, null, null, null),
                List.of(new Param("acc", "Account", Param.Type.Numeric, "^[0-9]+$", "digits", true, true, null)));
    }

    @ParameterizedTest(name = "{0} partial={1}: pay {2} against 100000 -> {3}")
    @CsvSource({
            "EXACT, false, 100000, true",
            "EXACT, false, 99999, false",
            "EXACT, false, 100001, false",
            "EXACT_AND_ABOVE, false, 100000, true",
            "EXACT_AND_ABOVE, false, 150000, true",
            "EXACT_AND_ABOVE, false, 99999, false",
            "EXACT_AND_BELOW, true, 100000, true",
            "EXACT_AND_BELOW, true, 1, true",
            "EXACT_AND_BELOW, true, 100001, false",
            "EXACT_AND_BELOW, false, 50000, false",
            "ADHOC, false, 1, true",
            "ADHOC, false, 9999999, true"})
    void exactness(Operator.Exactness exactness, boolean partial, long amount, boolean allowed) {
        Operator operator = biller(exactness, partial);
        if (allowed) {
            assertThatCode(() -> rules.checkAgainstBill(operator, amount, 100_000)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> rules.checkAgainstBill(operator, amount, 100_000))
                    .isInstanceOf(BillSwitchException.class).hasMessageContaining("1000.00 INR");
        }
    }
}
