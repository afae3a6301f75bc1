package billswitch.connector.appotapay;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.appotapay.AppotaStatusMap.Call;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every errorCode of protocols.md section 3, on each call, as a table written out independently of the map. */
class AppotaStatusMapTest {

    @ParameterizedTest(name = "errorCode {0}: fetch {1}, pay {2}, status {3}, try elsewhere {4}")
    @CsvSource({
            // code, fetch,   pay,     status,  FAILED may go elsewhere
            "0,   SUCCESS, SUCCESS, SUCCESS, false",
            "1,   FAILED,  FAILED,  UNKNOWN, false",
            "2,   FAILED,  FAILED,  UNKNOWN, true",
            "11,  FAILED,  FAILED,  UNKNOWN, true",
            "12,  FAILED,  FAILED,  FAILED,  true",
            "13,  FAILED,  FAILED,  UNKNOWN, true",
            "14,  FAILED,  FAILED,  UNKNOWN, true",
            "23,  FAILED,  FAILED,  UNKNOWN, true",
            "31,  UNKNOWN, UNKNOWN, UNKNOWN, false",
            "32,  FAILED,  FAILED,  FAILED,  false",
            "33,  FAILED,  FAILED,  FAILED,  false",
            "34,  UNKNOWN, PENDING, PENDING, false",
            "35,  UNKNOWN, PENDING, PENDING, false",
            "36,  FAILED,  UNKNOWN, FAILED,  false",
            "40,  FAILED,  FAILED,  UNKNOWN, true",
            "41,  FAILED,  FAILED,  UNKNOWN, true",
            "91,  FAILED,  FAILED,  UNKNOWN, true",
            "92,  FAILED,  FAILED,  UNKNOWN, true",
            "99,  UNKNOWN, UNKNOWN, UNKNOWN, false",
            "110, FAILED,  FAILED,  UNKNOWN, true",
            "112, FAILED,  FAILED,  UNKNOWN, true",
            "114, FAILED,  FAILED,  FAILED,  false",
            "115, FAILED,  FAILED,  FAILED,  false",
            "116, FAILED,  FAILED,  FAILED,  false",
            "117, FAILED,  FAILED,  FAILED,  false",
            "118, FAILED,  FAILED,  FAILED,  false",
            "120, FAILED,  FAILED,  FAILED,  false",
            "121, FAILED,  FAILED,  FAILED,  false",
            "122, FAILED,  FAILED,  FAILED,  false",
            "130, FAILED,  FAILED,  FAILED,  false",
            "133, FAILED,  FAILED,  FAILED,  false",
            "500, UNKNOWN, UNKNOWN, UNKNOWN, false",
    })
    void everyDocumentedCode(int errorCode, Outcome fetch, Outcome pay, Outcome status, boolean elsewhere) {
        AppotaStatusMap.Code code = AppotaStatusMap.of(errorCode);

        BillResult fetched = code.billResult("upstream says so");
        assertThat(fetched.outcome()).isEqualTo(fetch);
        assertThat(fetched.tryElsewhere()).isEqualTo(elsewhere && fetch == Outcome.FAILED);
        assertThat(fetched.upstreamCode()).isEqualTo(Integer.toString(errorCode));
        assertThat(fetched.message()).endsWith(": upstream says so");

        ConnectorResult paid = code.result(Call.PAY, "T1", null);
        assertThat(paid.outcome()).isEqualTo(pay);
        assertThat(paid.tryElsewhere()).isEqualTo(elsewhere && pay == Outcome.FAILED);
        assertThat(paid.operatorRef()).isEqualTo("T1");
        assertThat(paid.upstreamCode()).isEqualTo(Integer.toString(errorCode));

        ConnectorResult asked = code.result(Call.STATUS, null, "x");
        assertThat(asked.outcome()).isEqualTo(status);
        assertThat(asked.tryElsewhere()).isEqualTo(elsewhere && status == Outcome.FAILED);
    }

    @ParameterizedTest(name = "ask-later code {0} is never FAILED")
    @ValueSource(ints = {34, 35, 99, 500})
    void askLaterCodesAreNeverFailures(int errorCode) {
        for (Call call : Call.values()) {
            assertThat(AppotaStatusMap.of(errorCode).on(call)).isIn(Outcome.PENDING, Outcome.UNKNOWN);
        }
    }

    @ParameterizedTest(name = "undocumented code {0} is UNKNOWN everywhere")
    @ValueSource(longs = {3, 30, 37, 42, 113, 119, 999, -1, 4_294_967_296L})
    void anUndocumentedCodeIsUnknownOnEveryCall(long errorCode) {
        AppotaStatusMap.Code code = AppotaStatusMap.of(errorCode);
        for (Call call : Call.values()) {
            assertThat(code.on(call)).isEqualTo(Outcome.UNKNOWN);
        }
        assertThat(code.result(Call.PAY, null, null).tryElsewhere()).isFalse();
        assertThat(code.upstreamCode()).isEqualTo(Long.toString(errorCode));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403})
    void credentialsRefusedByHttpStatusGoElsewhereExceptOnAStatusEnquiry(int http) {
        AppotaStatusMap.Code refused = AppotaStatusMap.refused(http);
        assertThat(refused.result(Call.PAY, null, null)).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.mayFailOver()).isTrue();
            assertThat(r.upstreamCode()).isEqualTo("HTTP_" + http);
        });
        assertThat(refused.billResult(null).tryElsewhere()).isTrue();
        assertThat(refused.result(Call.STATUS, null, null).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void aBlankUpstreamMessageLeavesTheMeaningAlone() {
        assertThat(AppotaStatusMap.of(12).result(Call.PAY, null, " ").message()).isEqualTo("insufficient balance");
    }
}
