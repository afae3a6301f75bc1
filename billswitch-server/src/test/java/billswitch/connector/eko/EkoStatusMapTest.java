package billswitch.connector.eko;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.eko.EkoStatusMap.Call;
import billswitch.connector.eko.EkoStatusMap.Meaning;
import billswitch.connector.spi.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Eko's status map as a table, code by code: every code protocols.md, seed 003 and our Eko dialect name. */
class EkoStatusMapTest {

    @ParameterizedTest(name = "status {0} on a {1} -> {2}, tryElsewhere={3}")
    @CsvSource({
            "97,  PAYMENT, FAILED,  false",
            "97,  ENQUIRY, UNKNOWN, false",
            "208, PAYMENT, FAILED,  false",
            "208, ENQUIRY, UNKNOWN, false",
            "319, PAYMENT, FAILED,  true",
            "319, ENQUIRY, UNKNOWN, false",
            "346, PAYMENT, FAILED,  true",
            "346, ENQUIRY, UNKNOWN, false",
            "347, PAYMENT, FAILED,  true",
            "347, ENQUIRY, UNKNOWN, false",
            "463, PAYMENT, FAILED,  true",
            "463, ENQUIRY, UNKNOWN, false",
            "168, PAYMENT, UNKNOWN, false",
            "168, ENQUIRY, FAILED,  false",
            "901, PAYMENT, UNKNOWN, false",
            "901, ENQUIRY, UNKNOWN, false",
            "902, PAYMENT, PENDING, false",
            "902, ENQUIRY, PENDING, false",
            "903, PAYMENT, FAILED,  false",
            "903, ENQUIRY, UNKNOWN, false",
            "906, PAYMENT, FAILED,  true",
            "906, ENQUIRY, UNKNOWN, false",
            "907, PAYMENT, FAILED,  true",
            "907, ENQUIRY, UNKNOWN, false",
            "999, PAYMENT, UNKNOWN, false",
            "999, ENQUIRY, UNKNOWN, false"})
    void envelopeStatus(int status, Call call, Outcome outcome, boolean tryElsewhere) {
        Meaning meaning = EkoStatusMap.status(status, call).orElseThrow();
        assertThat(meaning.outcome()).isEqualTo(outcome);
        assertThat(meaning.tryElsewhere()).isEqualTo(tryElsewhere);
        assertThat(meaning.description()).startsWith(Integer.toString(status));
    }

    @ParameterizedTest(name = "status {0} is not in the map")
    @ValueSource(ints = {1, 2, 17, 132, 403, 544, 1468, -1})
    void unknownStatusesAreLeftToTheNextField(int status) {
        assertThat(EkoStatusMap.status(status, Call.PAYMENT)).isEmpty();
        assertThat(EkoStatusMap.status(status, Call.ENQUIRY)).isEmpty();
        assertThat(EkoStatusMap.unmapped("status " + status).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @ParameterizedTest(name = "tx_status {0} -> {1}")
    @CsvSource({
            "0, SUCCESS",
            "1, FAILED",
            "2, PENDING",
            "3, FAILED",
            "4, FAILED",
            "5, PENDING",
            "6, PENDING",
            "7, UNKNOWN",
            "-1, UNKNOWN"})
    void txStatus(int txStatus, Outcome outcome) {
        assertThat(EkoStatusMap.txStatus(txStatus).outcome()).isEqualTo(outcome);
        assertThat(EkoStatusMap.txStatus(txStatus).tryElsewhere()).isFalse();
    }

    @ParameterizedTest(name = "response_status_id {0} -> {1}")
    @CsvSource({
            "-2, UNKNOWN",
            "-1, UNKNOWN",
            "0, SUCCESS",
            "1, FAILED",
            "2, PENDING",
            "3, FAILED",
            "4, FAILED",
            "5, PENDING",
            "6, UNKNOWN"})
    void responseStatusId(int id, Outcome outcome) {
        assertThat(EkoStatusMap.responseStatusId(id).outcome()).isEqualTo(outcome);
        assertThat(EkoStatusMap.responseStatusId(id).tryElsewhere()).isFalse();
    }

    @ParameterizedTest(name = "HTTP {0} on a {1} -> {2}, tryElsewhere={3}")
    @CsvSource({
            "403, PAYMENT, FAILED,  true",
            "403, ENQUIRY, UNKNOWN, false",
            "404, ENQUIRY, UNKNOWN, false",
            "400, ENQUIRY, UNKNOWN, false"})
    void httpStatusThatDecidesAlone(int http, Call call, Outcome outcome, boolean tryElsewhere) {
        Meaning meaning = EkoStatusMap.http(http, call).orElseThrow();
        assertThat(meaning.outcome()).isEqualTo(outcome);
        assertThat(meaning.tryElsewhere()).isEqualTo(tryElsewhere);
    }

    @ParameterizedTest(name = "HTTP {0} on a {1}: read the body")
    @CsvSource({"200, PAYMENT", "200, ENQUIRY", "400, PAYMENT", "404, PAYMENT", "415, PAYMENT"})
    void httpStatusThatLeavesItToTheBody(int http, Call call) {
        assertThat(EkoStatusMap.http(http, call)).isEmpty();
    }
}
