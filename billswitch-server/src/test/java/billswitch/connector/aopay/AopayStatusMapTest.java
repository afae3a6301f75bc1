package billswitch.connector.aopay;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** AOPay's status map, code by code, against protocols.md, the seeds and our dialect's AopayCodes. */
class AopayStatusMapTest {

    static Stream<Arguments> documented() {
        return Stream.of(
                Arguments.of("1", Outcome.SUCCESS, false),
                Arguments.of("2", Outcome.PENDING, false),
                Arguments.of("3", Outcome.FAILED, false),
                Arguments.of("4", Outcome.FAILED, false),
                Arguments.of("5", Outcome.FAILED, true),
                Arguments.of("10", Outcome.FAILED, false),
                Arguments.of("11", Outcome.FAILED, true),
                Arguments.of("12", Outcome.FAILED, true),
                Arguments.of("13", Outcome.UNKNOWN, false),
                Arguments.of("14", Outcome.PENDING, false),
                Arguments.of("15", Outcome.FAILED, false),
                Arguments.of("16", Outcome.FAILED, false),
                Arguments.of("17", Outcome.FAILED, false),
                Arguments.of("20", Outcome.FAILED, true),
                Arguments.of("21", Outcome.FAILED, true),
                Arguments.of("22", Outcome.FAILED, true),
                Arguments.of("23", Outcome.FAILED, true),
                Arguments.of("30", Outcome.FAILED, true),
                Arguments.of("31", Outcome.FAILED, true),
                Arguments.of("99", Outcome.UNKNOWN, false),
                Arguments.of("SUCCESS", Outcome.SUCCESS, false),
                Arguments.of("PENDING", Outcome.PENDING, false),
                Arguments.of("FAILED", Outcome.FAILED, false),
                Arguments.of("REFUNDED", Outcome.FAILED, false));
    }

    @ParameterizedTest(name = "{0} -> {1}, try elsewhere {2}")
    @MethodSource("documented")
    void mapsEveryDocumentedCode(String code, Outcome outcome, boolean tryElsewhere) {
        ConnectorResult result = AopayStatusMap.result(code, "OP1", "message");

        assertThat(result.outcome()).isEqualTo(outcome);
        assertThat(result.tryElsewhere()).isEqualTo(tryElsewhere);
        assertThat(result.upstreamCode()).isEqualTo(code);
        assertThat(result.operatorRef()).isEqualTo("OP1");
        assertThat(result.message()).isEqualTo("message");
    }

    @Test
    void theTableAboveIsTheWholeMap() {
        Set<String> tested = documented().map(a -> (String) a.get()[0]).collect(Collectors.toSet());

        assertThat(AopayStatusMap.codes()).containsExactlyInAnyOrderElementsOf(tested);
    }

    @Test
    void statusWordsAreReadInAnyCase() {
        assertThat(AopayStatusMap.of("Success").outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(AopayStatusMap.of("refunded").outcome()).isEqualTo(Outcome.FAILED);
    }

    @ParameterizedTest(name = "unmapped {0} -> UNKNOWN")
    @MethodSource("unmapped")
    void anyOtherCodeIsUnknownNeverFailed(String code) {
        ConnectorResult result = AopayStatusMap.result(code, null, null);

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.tryElsewhere()).isFalse();
    }

    static Stream<String> unmapped() {
        return Stream.of("0", "6", "18", "32", "100", "PROCESSING", "TRUE", "FALSE", "");
    }
}
