package billswitch.connector.eko;

import static billswitch.connector.eko.EkoFixtures.ACCESS_KEY;
import static billswitch.connector.eko.EkoFixtures.AIRTEL;
import static billswitch.connector.eko.EkoFixtures.BSES;
import static billswitch.connector.eko.EkoFixtures.DEVELOPER_KEY;
import static billswitch.connector.eko.EkoFixtures.INITIATOR;
import static billswitch.connector.eko.EkoFixtures.MSEB;
import static billswitch.connector.eko.EkoFixtures.NOW;
import static billswitch.connector.eko.EkoFixtures.SECRET_KEY_AT_NOW;
import static billswitch.connector.eko.EkoFixtures.SEED_REQUEST_HASH;
import static billswitch.connector.eko.EkoFixtures.USER_CODE;
import static billswitch.connector.eko.EkoFixtures.VIETTEL;
import static billswitch.connector.eko.EkoFixtures.payment;
import static billswitch.connector.eko.EkoFixtures.seedHmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.catalog.Operator;
import billswitch.connector.http.HttpCall;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.PaymentInstruction;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact requests of the Eko protocol for a known instruction and moment: paths, headers (protocols.md's test
 * vectors), bodies; and what it refuses to send.
 */
class EkoRequestTest {
    private final EkoProtocol eko = EkoFixtures.protocol(EkoFixtures.clock());

    @Test
    void fetchIsSeed003sFieldsAsJsonWithTheQuerysReference() {
        HttpCall call = eko.fetchBill(new BillQuery("F0123456789abcdef", BSES, "22", "151627591", Map.of()), NOW);

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.pathAndQuery()).isEqualTo("/ekoapi/v2/billpayments/fetchbill?initiator_id=9962981729");
        assertThat(call.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "developer_key", DEVELOPER_KEY,
                "secret-key", SECRET_KEY_AT_NOW,
                "secret-key-timestamp", "1700000000000",
                "Content-Type", "application/json"));
        assertThat(call.bodyText()).isEqualTo("{\"user_code\":\"20810200\",\"client_ref_id\":\"F0123456789abcdef\","
                + "\"utility_acc_no\":\"151627591\",\"confirmation_mobile_no\":\"9962981729\",\"sender_name\":\"BillSwitch\","
                + "\"operator_id\":\"22\",\"source_ip\":\"127.0.0.1\",\"latlong\":\"28.6139,77.2090\"}");
    }

    @Test
    void fetchCarriesTheOperatorsParametersByParamName() {
        HttpCall call = eko.fetchBill(new BillQuery("F0123456789abcdef", MSEB, "25", "123456789012",
                Map.of("postalcode", "411001")), NOW);
        assertThat(call.bodyText()).endsWith("\"latlong\":\"28.6139,77.2090\",\"postalcode\":\"411001\"}");
    }

    @Test
    void payMatchesSeed003sRequestHashVector() {
        Bill fetched = new Bill(5_000, "SEED CUSTOMER", "B151627591", "Jan 2024", LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 1, 31), false, "eko:1000002");
        HttpCall call = eko.pay(payment(BSES, "151627591", 5_000, Map.of(), Operator.Channel.INSTANT, fetched), NOW);

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.pathAndQuery()).isEqualTo("/ekoapi/v2/billpayments/paybill?initiator_id=9962981729");
        assertThat(call.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "developer_key", DEVELOPER_KEY,
                "secret-key", SECRET_KEY_AT_NOW,
                "secret-key-timestamp", "1700000000000",
                "request_hash", SEED_REQUEST_HASH,
                "Content-Type", "application/json"));
        assertThat(call.bodyText()).isEqualTo("{\"user_code\":\"20810200\",\"client_ref_id\":\"BS1000003\","
                + "\"utility_acc_no\":\"151627591\",\"confirmation_mobile_no\":\"9962981729\",\"sender_name\":\"BillSwitch\","
                + "\"operator_id\":\"22\",\"source_ip\":\"127.0.0.1\",\"latlong\":\"28.6139,77.2090\",\"amount\":\"50\","
                + "\"billfetchresponse\":\"1000002\"}");
    }

    @ParameterizedTest(name = "{0} paise -> amount \"{1}\"")
    @CsvSource({"5000, 50", "5050, 50.50", "5005, 50.05", "1, 0.01", "123456789, 1234567.89", "100, 1"})
    void amountIsRupeesAndTheHashCoversItExactlyAsSent(long paise, String rupees) {
        HttpCall call = eko.pay(payment(BSES, "151627591", paise), NOW);
        assertThat(call.bodyText()).contains("\"amount\":\"" + rupees + "\"");
        assertThat(call.headers().get("request_hash"))
                .isEqualTo(seedHmac(ACCESS_KEY, "1700000000000" + "151627591" + rupees + USER_CODE));
    }

    @Test
    void aRechargeConfirmsToTheMobileItTopsUpAndTheHighCommissionChannelIsAsked() {
        HttpCall call = eko.pay(payment(AIRTEL, "9876543210", 19_900, Map.of(), Operator.Channel.HIGH_COMMISSION, null), NOW);
        assertThat(call.bodyText()).isEqualTo("{\"user_code\":\"20810200\",\"client_ref_id\":\"BS1000003\","
                + "\"utility_acc_no\":\"9876543210\",\"confirmation_mobile_no\":\"9876543210\",\"sender_name\":\"BillSwitch\","
                + "\"operator_id\":\"400\",\"source_ip\":\"127.0.0.1\",\"latlong\":\"28.6139,77.2090\",\"amount\":\"199\","
                + "\"hc_channel\":\"1\"}");
    }

    @Test
    void operatorParametersFollowSortedAndAnotherConnectorsBillContextIsNotSent() {
        Bill fromElsewhere = new Bill(5_000, "X", null, null, null, null, false, "{\"billDetail\":[]}");
        HttpCall call = eko.pay(payment(MSEB, "123456789012", 5_000, Map.of("postalcode", "411001", "cycle_number", "07"),
                Operator.Channel.INSTANT, fromElsewhere), NOW);
        assertThat(call.bodyText()).endsWith("\"amount\":\"50\",\"cycle_number\":\"07\",\"postalcode\":\"411001\"}")
                .doesNotContain("billfetchresponse");
    }

    @Test
    void statusAsksByTheAttemptsReference() {
        HttpCall call = eko.status(payment(BSES, "151627591", 5_000), NOW);
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.pathAndQuery()).isEqualTo("/ekoapi/v1/transactions/client_ref_id:BS1000003?initiator_id=9962981729");
        assertThat(call.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "developer_key", DEVELOPER_KEY, "secret-key", SECRET_KEY_AT_NOW, "secret-key-timestamp", "1700000000000"));
        assertThat(call.body()).isEmpty();
    }

    @Test
    void balanceIsTheInitiatorsSettlementAccount() {
        HttpCall call = eko.balance(NOW).orElseThrow();
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.pathAndQuery()).isEqualTo("/ekoapi/v3/user/account/balance?initiator_id=9962981729"
                + "&customer_id_type=mobile_number&customer_id=9962981729");
        assertThat(call.headers()).containsEntry("secret-key", SECRET_KEY_AT_NOW).doesNotContainKey("request_hash");
    }

    @Test
    void whatEkoCannotTakeIsNeverBuilt() {
        assertThatThrownBy(() -> eko.pay(payment(VIETTEL, "0987654321", 50_000), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INR only");
        assertThatThrownBy(() -> eko.pay(payment(BSES, "151627591", 0), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> eko.pay(payment(MSEB, "123456789012", 5_000, Map.of("amount", "1"),
                Operator.Channel.INSTANT, null), NOW)).hasMessageContaining("overwrite");
        PaymentInstruction shortRef = new PaymentInstruction(1, 1, "BS1", BSES, "22", "151627591", Map.of(), 5_000,
                Operator.Channel.INSTANT, null, null, NOW);
        assertThatThrownBy(() -> eko.pay(shortRef, NOW)).hasMessageContaining("client_ref_id");
        assertThatThrownBy(() -> eko.status(shortRef, NOW)).hasMessageContaining("client_ref_id");
        assertThatThrownBy(() -> eko.fetchBill(new BillQuery("F0123456789abcdef", BSES, " ", "151627591", Map.of()), NOW))
                .hasMessageContaining("operator_id");
    }

    @Test
    void neverShowsItsKeys() {
        assertThat(eko.toString()).doesNotContain(ACCESS_KEY).doesNotContain(DEVELOPER_KEY).contains(INITIATOR);
    }
}
