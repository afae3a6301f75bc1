package billswitch.connector.eko;

import static billswitch.connector.eko.EkoFixtures.BSES;
import static billswitch.connector.eko.EkoFixtures.payment;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.connector.http.HttpAnswer;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Answers exactly as our own Eko dialect renders them ({@code api/dialect/eko/EkoController#transaction},
 * {@code #fetchAnswer}, {@code #balance} and {@code EkoCodes#render}, key for key), so that one BillSwitch can pay
 * through another. {@code EkoInteropTest} sends the same calls to the real dialect.
 */
class EkoDialectAnswerTest {
    private final EkoProtocol eko = EkoFixtures.protocol(EkoFixtures.clock());
    private final PaymentInstruction seedPayment = payment(BSES, "151627591", 5_000);

    private static HttpAnswer ok(String body) {
        return HttpAnswer.of(200, body);
    }

    /** EkoController#transaction: status 0, response_status_id = tx_status, then data in its order. */
    private static String transaction(int txStatus, String desc, String message, String bbps, String extra) {
        return "{\"status\":0,\"response_status_id\":" + txStatus + ",\"response_type_id\":1060,\"message\":\""
                + message + "\",\"data\":{\"tx_status\":" + txStatus + ",\"txstatus_desc\":\"" + desc
                + "\",\"tid\":\"1000005\",\"client_ref_id\":\"BS1000003\",\"amount\":\"50.00\",\"totalamount\":\"50.00\","
                + "\"fee\":\"0.00\",\"commission\":\"0.20\",\"tds\":\"0.00\",\"balance\":\"99755.97\","
                + "\"operator_name\":\"BSES Rajdhani\",\"operator_id\":22,\"account\":\"151627591\",\"bbpstrxnrefid\":\""
                + bbps + "\",\"hc_channel\":0,\"timestamp\":\"2024-01-15T15:30:00.000+05:30\"" + extra + "}}";
    }

    /** EkoCodes#render of an error. */
    private static String error(int status, int responseTypeId, String message) {
        return "{\"status\":" + status + ",\"response_status_id\":1,\"response_type_id\":" + responseTypeId
                + ",\"message\":\"" + message + "\"}";
    }

    @Test
    void eachOrderState() {
        assertThat(eko.payAnswer(seedPayment, ok(transaction(0, "Success", "Transaction successful", "SBX1000005A1000006", ""))))
                .isEqualTo(new ConnectorResult(Outcome.SUCCESS, "SBX1000005A1000006", "tx_status:0",
                        "Transaction successful", false));
        assertThat(eko.payAnswer(seedPayment, ok(transaction(1, "Failed",
                "Transaction failed: The operator declined the payment", "", ""))))
                .isEqualTo(new ConnectorResult(Outcome.FAILED, "1000005", "tx_status:1",
                        "Transaction failed: The operator declined the payment", false));
        assertThat(eko.payAnswer(seedPayment, ok(transaction(2, "Initiated", "Transaction initiated", "", ""))).outcome())
                .isEqualTo(Outcome.PENDING);
        assertThat(eko.payAnswer(seedPayment, ok(transaction(2, "Response Awaited", "Transaction response awaited", "", "")))
                .outcome()).isEqualTo(Outcome.PENDING);
        assertThat(eko.statusAnswer(seedPayment, ok(transaction(4, "Refunded", "Transaction refunded", "",
                ",\"refund_amount\":\"50.00\",\"refund_timestamp\":\"2024-01-15T16:30:00.000+05:30\""))).outcome())
                .isEqualTo(Outcome.FAILED);
        assertThat(eko.statusAnswer(seedPayment, ok(transaction(5, "On Hold", "Transaction response awaited", "", "")))
                .outcome()).isEqualTo(Outcome.PENDING);
    }

    @Test
    void itsErrors() {
        assertThat(eko.payAnswer(seedPayment, ok(error(347, -1, "Insufficient funds in the wallet."))))
                .isEqualTo(ConnectorResult.failedTryElsewhere("status:347", "Insufficient funds in the wallet."));
        assertThat(eko.statusAnswer(seedPayment, ok(error(168, -1, "No such transaction for this partner."))).outcome())
                .isEqualTo(Outcome.FAILED);
        String forbidden = error(403, -1, "Invalid secret-key.");
        assertThat(eko.payAnswer(seedPayment, HttpAnswer.of(403, forbidden)).mayFailOver()).isTrue();
        assertThat(eko.statusAnswer(seedPayment, HttpAnswer.of(403, forbidden)).outcome()).isEqualTo(Outcome.UNKNOWN);
        String invalid = "{\"status\":97,\"response_status_id\":1,\"response_type_id\":-1,\"message\":\"Invalid parameters\","
                + "\"invalid_params\":{\"amount\":\"must be a positive amount in rupees, at most 2 decimals\"}}";
        assertThat(eko.payAnswer(seedPayment, ok(invalid)).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(eko.payAnswer(seedPayment, ok(error(319, -1, "Invalid initiator_id."))).mayFailOver()).isTrue();
        assertThat(eko.payAnswer(seedPayment, ok(error(346, -1, "User 1 is not onboarded."))).mayFailOver()).isTrue();
        assertThat(eko.payAnswer(seedPayment, HttpAnswer.of(404, error(463, -1, "No such endpoint."))).mayFailOver()).isTrue();
        assertThat(eko.payAnswer(seedPayment, ok(error(208, -1, "m"))).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(eko.payAnswer(seedPayment, ok(error(901, -1, "m"))).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(eko.payAnswer(seedPayment, ok(error(902, -1, "m"))).outcome()).isEqualTo(Outcome.PENDING);
        assertThat(eko.payAnswer(seedPayment, ok(error(903, -1, "m"))).outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void itsFetches() {
        BillQuery query = new BillQuery("F0123456789abcdef", BSES, "22", "151627591", Map.of());
        BillResult fetched = eko.fetchAnswer(query, ok("{\"status\":0,\"response_status_id\":-1,\"response_type_id\":1052,"
                + "\"message\":\"Bill fetched successfully\",\"data\":{\"amount\":\"50.00\",\"utilitycustomername\":\"SEED CUSTOMER\","
                + "\"billdate\":\"2024-01-01\",\"duedate\":\"2024-01-31\",\"customer_id\":\"151627591\",\"billnumber\":\"B151627591\","
                + "\"billperiod\":\"Jan 2024\",\"partial_payment\":0,\"billfetchresponse\":\"1000002\","
                + "\"client_ref_id\":\"F0123456789abcdef\"}}"));
        assertThat(fetched.bill()).isEqualTo(new Bill(5_000, "SEED CUSTOMER", "B151627591", "Jan 2024",
                LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31), false, "eko:1000002"));
        BillResult noBill = eko.fetchAnswer(query, ok(error(1, 1468, "No bill is due on account 151627598")));
        assertThat(noBill.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(noBill.tryElsewhere()).isFalse();
        BillResult down = eko.fetchAnswer(query, ok(error(906, 1468, "The biller did not answer in time")));
        assertThat(down.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(down.tryElsewhere()).isTrue();
    }

    @Test
    void itsBalance() {
        assertThat(eko.balanceAnswer(ok("{\"status\":0,\"response_status_id\":-1,\"response_type_id\":1,"
                + "\"message\":\"Success\",\"data\":{\"balance\":\"99805.97\",\"currency\":\"INR\"}}"))).isEqualTo(9_980_597);
    }
}
