package billswitch.connector.eko;

import static billswitch.connector.eko.EkoFixtures.BSES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.connector.http.HttpAnswer;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.Outcome;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Eko's fetch answers: response_type_id 1052 becomes a Bill; 1468 and refusals a failed fetch. */
class EkoFetchAnswerTest {
    private final EkoProtocol eko = EkoFixtures.protocol(EkoFixtures.clock());
    private final BillQuery query = new BillQuery("F0123456789abcdef", BSES, "22", "151627591", Map.of());

    private static HttpAnswer ok(String body) {
        return HttpAnswer.of(200, body);
    }

    @Test
    void type1052IsABillThatKeepsItsFetchResponseForThePayment() {
        BillResult r = eko.fetchAnswer(query, ok("""
                {"status":0,"response_status_id":-1,"response_type_id":1052,"message":"Bill fetched successfully",
                 "data":{"amount":"1030.50","utilitycustomername":"RAMESH KUMAR","billdate":"2024-01-05",
                 "duedate":"2024-01-25","customer_id":"151627591","billnumber":"B77","billperiod":"Jan 2024",
                 "partial_payment":1,"billfetchresponse":"eyJhbGciOiJSUzI1NiJ9.tok"}}"""));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.upstreamCode()).isEqualTo("response_type_id:1052");
        assertThat(r.message()).isEqualTo("Bill fetched successfully");
        assertThat(r.bill()).isEqualTo(new Bill(103_050, "RAMESH KUMAR", "B77", "Jan 2024", LocalDate.of(2024, 1, 5),
                LocalDate.of(2024, 1, 25), true, "eko:eyJhbGciOiJSUzI1NiJ9.tok"));
    }

    @Test
    void aBillWithOnlyWhatEkoAlwaysSends() {
        BillResult r = eko.fetchAnswer(query, ok("""
                {"status":0,"response_status_id":-1,"response_type_id":1052,"message":"ok",
                 "data":{"amount":820,"utilitycustomername":"SALMAN","billdate":"05-01-2024","customer_id":"151627591"}}"""));
        assertThat(r.bill()).isEqualTo(new Bill(82_000, "SALMAN", null, null, LocalDate.of(2024, 1, 5), null, false, null));
    }

    @ParameterizedTest(name = "billdate \"{0}\"")
    @CsvSource({"2024-01-05", "05-01-2024", "05/01/2024", "05-Jan-2024", "2024-01-05T00:00:00"})
    void billDatesInTheFormatsBillersUse(String date) {
        BillResult r = eko.fetchAnswer(query, ok("{\"status\":0,\"response_type_id\":1052,\"data\":{\"amount\":\"1\","
                + "\"billdate\":\"" + date + "\"}}"));
        assertThat(r.bill().billDate()).isEqualTo(LocalDate.of(2024, 1, 5));
    }

    @Test
    void aDateInNoKnownFormatIsLeftOut() {
        BillResult r = eko.fetchAnswer(query, ok("{\"status\":0,\"response_type_id\":1052,\"data\":{\"amount\":\"1\","
                + "\"billdate\":\"Jan 2024\"}}"));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.bill().billDate()).isNull();
    }

    @Test
    void type1468IsAFailedFetch() {
        BillResult r = eko.fetchAnswer(query, ok("""
                {"status":1,"response_status_id":1,"response_type_id":1468,"message":"No bill due"}"""));
        assertThat(r).isEqualTo(new BillResult(Outcome.FAILED, null, "response_type_id:1468", "No bill due", false));
    }

    @ParameterizedTest(name = "status {0} on a fetch -> {1}, tryElsewhere={2}")
    @CsvSource({"906, FAILED, true", "347, FAILED, true", "319, FAILED, true", "346, FAILED, true",
            "97, FAILED, false", "555, UNKNOWN, false"})
    void refusedFetches(int status, Outcome outcome, boolean tryElsewhere) {
        BillResult r = eko.fetchAnswer(query, ok("{\"status\":" + status
                + ",\"response_status_id\":1,\"response_type_id\":-1,\"message\":\"m\"}"));
        assertThat(r.outcome()).isEqualTo(outcome);
        assertThat(r.tryElsewhere()).isEqualTo(tryElsewhere);
        assertThat(r.bill()).isNull();
    }

    @Test
    void http403IsARefusedFetchElsewhereMayServe() {
        BillResult r = eko.fetchAnswer(query, HttpAnswer.of(403, ""));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.tryElsewhere()).isTrue();
    }

    @Test
    void aBillWithoutAnExactAmountIsUnreadable() {
        assertThatThrownBy(() -> eko.fetchAnswer(query, ok("{\"status\":0,\"response_type_id\":1052,\"data\":{}}")))
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> eko.fetchAnswer(query, ok("{\"status\":0,\"data\":{\"amount\":\"10.005\"}}")))
                .hasMessageContaining("paise");
        assertThatThrownBy(() -> eko.fetchAnswer(query, ok("{\"status\":0,\"data\":{\"amount\":\"1e3\"}}")))
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> eko.fetchAnswer(query, ok("{\"status\":0,\"data\":{\"amount\":\"-5\"}}")))
                .hasMessageContaining("negative");
    }
}
