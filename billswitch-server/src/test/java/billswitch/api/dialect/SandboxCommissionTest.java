package billswitch.api.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.infra.crypto.Hmac;
import billswitch.partner.PartnerService;
import billswitch.shared.Currency;
import billswitch.shared.Secret;
import billswitch.support.DialectPayments;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.RawClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The fixed point: the sandbox catalog keeps commission on its operators, so a sandbox payment shows real,
 * non-zero commission and TDS figures in every dialect that has such fields (AOPay {@code comm}/{@code tds}, Eko
 * {@code commission}/{@code tds}, native {@code commissionMinor}/{@code tdsMinor}), TDS being 2% of the commission
 * rounded half up to the paisa, and the wallet gets the commission less the TDS. Through the real server in sandbox
 * mode with the sandbox catalog as shipped (no operator made or changed here). AppotaPay's answers have no
 * commission field (its sandbox operators are in VND, which carries neither commission nor TDS).
 */
class SandboxCommissionTest extends IntegrationTest {

    /** The sandbox's TDS: 2% (194H), half up to the paisa, computed here independently of the server. */
    private static long tds(long commissionMinor) {
        return (commissionMinor * 2 + 50) / 100;
    }

    @Test
    void anAopayBillPaymentStatusShowsTheCommissionAndItsTds() {
        NativeClient client = newPartner(1_000_000);
        String registrationId = "AOP-" + UUID.randomUUID().toString().substring(0, 6);
        String secret = "aopay-" + UUID.randomUUID();
        partners.addCredential(client.partnerId, PartnerService.AOPAY, registrationId, Secret.of(secret), List.of(), Map.of());
        RawClient raw = new RawClient("http://localhost:" + port);
        String reference = "sc-" + UUID.randomUUID().toString().substring(0, 8);
        // Airtel Postpaid (AOPay operator 11) pays 0.50%: Rs 1,234 -> 6.17 commission, TDS 0.1234 -> 0.12
        String pay = """
                {"operator":"11","canumber":"102277100","amount":"1234","referenceid":"%s","RegistrationID":"%s","mode":"online"}"""
                .formatted(reference, registrationId);
        Http paid = raw.post("/api/AOP/BillPaymentPaybill", pay, Map.of("Content-Type", "application/json",
                "X-AOPay-Signature", Hmac.sha256Base64(secret, pay)));
        assertThat(paid.json().get("response_code").intValue()).isEqualTo(1);

        String ask = """
                {"referenceid":"%s","RegistrationID":"%s"}""".formatted(reference, registrationId);
        JsonNode data = raw.post("/api/AOP/BillPaymentStatus", ask, Map.of("Content-Type", "application/json",
                "X-AOPay-Signature", Hmac.sha256Base64(secret, ask))).json().get("data");
        long commission = 123_400 * 50 / 10_000;
        assertThat(commission).isEqualTo(617);
        assertThat(data.get("status").stringValue()).isEqualTo("SUCCESS");
        assertThat(data.get("comm").stringValue()).isEqualTo("6.17");
        assertThat(data.get("tds").stringValue()).isEqualTo(Currency.INR.format(tds(commission))).isEqualTo("0.12");
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 123_400 + 617 - 12);
    }

    @Test
    void anEkoPaymentAnswersItsCommissionAndTdsRoundedHalfUp() {
        NativeClient client = newPartner(1_000_000);
        // DialectPayments.eko: Rs 10 to Eko operator 400, Airtel Prepaid at 2.50%: 0.25 commission, whose 2% is
        // 0.005: half up, 0.01 (rounding down would show 0.00)
        Http paid = DialectPayments.eko(partners, "http://localhost:" + port, client.partnerId)
                .apply("sc-" + UUID.randomUUID().toString().substring(0, 8));
        JsonNode data = paid.json().get("data");
        assertThat(data.get("tx_status").intValue()).isZero();
        assertThat(data.get("commission").stringValue()).isEqualTo("0.25");
        assertThat(tds(25)).isEqualTo(1);
        assertThat(data.get("tds").stringValue()).isEqualTo("0.01");
        assertThat(data.get("balance").stringValue()).isEqualTo(Currency.INR.format(1_000_000 - 1_000 + 25 - 1));
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 1_000 + 25 - 1);
    }

    @Test
    void aNativeRechargeAndItsStatusCarryTheCommissionAndTds() {
        NativeClient client = newPartner(1_000_000);
        String reference = "sc-" + UUID.randomUUID().toString().substring(0, 8);
        // Vi Prepaid pays 3.00%: Rs 175.00 -> 5.25 commission, whose 2% is 0.105: half up, 0.11
        Http paid = client.post("/v1/recharges", """
                {"operatorId":"vi-prepaid","accountNumber":"9876543210","amountMinor":17500,"currency":"INR"}""", reference);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        assertThat(paid.number("commissionMinor")).isEqualTo(525);
        assertThat(paid.number("tdsMinor")).isEqualTo(tds(525)).isEqualTo(11);
        Http status = client.get("/v1/transactions/" + paid.text("id"));
        assertThat(status.number("commissionMinor")).isEqualTo(525);
        assertThat(status.number("tdsMinor")).isEqualTo(11);
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 17_500 + 525 - 11);
    }
}
