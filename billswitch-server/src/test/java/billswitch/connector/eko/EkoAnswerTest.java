package billswitch.connector.eko;

import static billswitch.connector.eko.EkoFixtures.BSES;
import static billswitch.connector.eko.EkoFixtures.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.connector.http.HttpAnswer;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every documented shape of an Eko payment, status and balance answer, and what it becomes. */
class EkoAnswerTest {
    private final EkoProtocol eko = EkoFixtures.protocol(EkoFixtures.clock());
    private final PaymentInstruction seedPayment = payment(BSES, "151627591", 5_000);

    private static HttpAnswer ok(String body) {
        return HttpAnswer.of(200, body);
    }

    // ---- payments ------------------------------------------------------------------------------------

    @Test
    void successNamesTheBbpsReference() {
        ConnectorResult r = eko.payAnswer(seedPayment, ok("""
                {"response_status_id":0,"data":{"tx_status":"0","txstatus_desc":"Success","tid":"2882682",
                 "client_ref_id":"BS1000003","amount":"50.0","totalamount":"50.0","fee":"0.0","commission":"0.2",
                 "tds":"0.01","balance":"814.0","operator_name":"BSES Rajdhani","account":"151627591",
                 "bbpstrxnrefid":"EK0123456789","timestamp":"2024-01-15T10:00:00.000Z"},
                 "response_type_id":1060,"message":"Transaction successful","status":0}"""));
        assertThat(r).isEqualTo(new ConnectorResult(Outcome.SUCCESS, "EK0123456789", "tx_status:0",
                "Transaction successful", false));
    }

    @Test
    void withoutABbpsReferenceTheOperatorReferenceIsEkosTid() {
        ConnectorResult r = eko.payAnswer(seedPayment, ok("""
                {"status":0,"response_status_id":0,"data":{"tx_status":0,"tid":2882682}}"""));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.operatorRef()).isEqualTo("2882682");
        assertThat(r.message()).isEqualTo("tx_status 0: success");
    }

    @ParameterizedTest(name = "tx_status {0} -> {1}")
    @CsvSource({"0, SUCCESS", "1, FAILED", "2, PENDING", "3, FAILED", "4, FAILED", "5, PENDING", "6, PENDING", "8, UNKNOWN"})
    void theTransactionsStateDecides(int txStatus, Outcome outcome) {
        ConnectorResult r = eko.payAnswer(seedPayment, ok("{\"status\":0,\"response_status_id\":" + Math.min(txStatus, 5)
                + ",\"message\":\"m\",\"data\":{\"tx_status\":\"" + txStatus + "\",\"client_ref_id\":\"BS1000003\"}}"));
        assertThat(r.outcome()).isEqualTo(outcome);
        assertThat(r.upstreamCode()).isEqualTo("tx_status:" + txStatus);
        assertThat(r.tryElsewhere()).isFalse();
    }

    @ParameterizedTest(name = "status {0} -> {1}, tryElsewhere={2}")
    @CsvSource({"347, FAILED, true", "319, FAILED, true", "346, FAILED, true", "463, FAILED, true",
            "97, FAILED, false", "208, FAILED, false", "168, UNKNOWN, false", "555, UNKNOWN, false"})
    void refusals(int status, Outcome outcome, boolean tryElsewhere) {
        ConnectorResult r = eko.payAnswer(seedPayment, ok("{\"status\":" + status
                + ",\"response_status_id\":1,\"response_type_id\":-1,\"message\":\"Refused\"}"));
        assertThat(r).isEqualTo(new ConnectorResult(outcome, null, "status:" + status, "Refused", tryElsewhere));
    }

    @Test
    void aValidationErrorWithItsInvalidParamsIsADecline() {
        ConnectorResult r = eko.payAnswer(seedPayment, ok("""
                {"status":97,"response_status_id":1,"response_type_id":-1,"message":"Invalid parameters",
                 "invalid_params":{"utility_acc_no":"CA number is 9 digits"}}"""));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.tryElsewhere()).isFalse();
    }

    @Test
    void anUnknownStatusYieldsToAnExplicitTxStatus() {
        ConnectorResult r = eko.payAnswer(seedPayment, ok("""
                {"status":1,"response_status_id":1,"message":"Bill already paid","data":{"tx_status":"1"}}"""));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.upstreamCode()).isEqualTo("tx_status:1");
    }

    @ParameterizedTest(name = "status 0 without tx_status, response_status_id {0} -> {1}")
    @CsvSource({"0, SUCCESS", "1, FAILED", "2, PENDING", "5, PENDING", "-1, UNKNOWN", "-2, UNKNOWN"})
    void withoutTxStatusTheResponseStatusIdDecides(int id, Outcome outcome) {
        ConnectorResult r = eko.payAnswer(seedPayment, ok("{\"status\":0,\"response_status_id\":" + id + "}"));
        assertThat(r.outcome()).isEqualTo(outcome);
        assertThat(r.upstreamCode()).isEqualTo("response_status_id:" + id);
    }

    @Test
    void http403IsARefusalBeforeAnyProcessing() {
        ConnectorResult r = eko.payAnswer(seedPayment, HttpAnswer.of(403, ""));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.tryElsewhere()).isTrue();
        assertThat(r.upstreamCode()).isEqualTo("HTTP_403");
    }

    @Test
    void unreadableAnswersThrow() {
        assertThatThrownBy(() -> eko.payAnswer(seedPayment, ok("<html>Bad gateway</html>")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> eko.payAnswer(seedPayment, ok(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> eko.payAnswer(seedPayment, ok("[1,2]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> eko.payAnswer(seedPayment, ok("{\"message\":\"no status\"}")))
                .hasMessageContaining("status");
        assertThatThrownBy(() -> eko.payAnswer(seedPayment, ok("{\"status\":\"ok\"}"))).hasMessageContaining("status");
        assertThatThrownBy(() -> eko.payAnswer(seedPayment, ok("{\"status\":0}")))
                .hasMessageContaining("response_status_id");
    }

    @Test
    void anAnswerAboutAnotherReferenceIsUnreadable() {
        assertThatThrownBy(() -> eko.payAnswer(seedPayment, ok("""
                {"status":0,"response_status_id":0,"data":{"tx_status":"0","client_ref_id":"BS9999999"}}""")))
                .hasMessageContaining("BS9999999");
    }

    // ---- status enquiries ----------------------------------------------------------------------------

    @ParameterizedTest(name = "status {0} on an enquiry -> {1}")
    @CsvSource({"168, FAILED", "463, UNKNOWN", "347, UNKNOWN", "319, UNKNOWN", "346, UNKNOWN", "97, UNKNOWN",
            "555, UNKNOWN"})
    void notFoundIsFailedAndEveryOtherRefusalOfTheEnquiryUnknown(int status, Outcome outcome) {
        ConnectorResult r = eko.statusAnswer(seedPayment, ok("{\"status\":" + status
                + ",\"response_status_id\":1,\"response_type_id\":-1,\"message\":\"m\"}"));
        assertThat(r.outcome()).isEqualTo(outcome);
        assertThat(r.tryElsewhere()).isFalse();
    }

    @ParameterizedTest(name = "HTTP {0} on an enquiry -> UNKNOWN")
    @CsvSource({"403", "404", "401"})
    void anEnquiryRefusedOverHttpSaysNothingOfThePayment(int http) {
        ConnectorResult r = eko.statusAnswer(seedPayment, HttpAnswer.of(http,
                "{\"status\":463,\"response_status_id\":1,\"message\":\"No such endpoint.\"}"));
        assertThat(r.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(r.upstreamCode()).isEqualTo("HTTP_" + http);
    }

    @Test
    void aRefundAfterAcceptanceIsFailed() {
        ConnectorResult r = eko.statusAnswer(seedPayment, ok("""
                {"status":0,"response_status_id":4,"response_type_id":1065,"message":"Transaction refunded",
                 "data":{"tx_status":4,"txstatus_desc":"Refunded","tid":"2882682","client_ref_id":"BS1000003"}}"""));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.message()).isEqualTo("Transaction refunded");
    }

    // ---- balance -------------------------------------------------------------------------------------

    @Test
    void theSettlementBalanceInPaise() {
        assertThat(eko.balanceAnswer(ok("""
                {"status":0,"response_status_id":-1,"response_type_id":1,"message":"Success",
                 "data":{"balance":"814.0","currency":"INR","customer_id":"9962981729"}}"""))).isEqualTo(81_400);
        assertThat(eko.balanceAnswer(ok("{\"status\":0,\"data\":{\"balance\":1234.56}}"))).isEqualTo(123_456);
    }

    @Test
    void aRefusedBalanceEnquiryHasNoBalance() {
        assertThatThrownBy(() -> eko.balanceAnswer(ok("{\"status\":319,\"message\":\"Invalid initiator\"}")))
                .hasMessageContaining("319");
        assertThatThrownBy(() -> eko.balanceAnswer(HttpAnswer.of(403, ""))).hasMessageContaining("403");
        assertThatThrownBy(() -> eko.balanceAnswer(ok("{\"status\":0,\"data\":{}}"))).hasMessageContaining("balance");
    }
}
