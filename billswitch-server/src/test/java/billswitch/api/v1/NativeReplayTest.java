package billswitch.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The native signature through the real server: version 2 covers Idempotency-Key and Content-Type, every
 * signature is used once (in the replay store every node shares), a store that cannot record refuses, and an
 * unknown key answers as a wrong signature does.
 */
class NativeReplayTest extends IntegrationTest {
    private static final String BODY = """
            {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":1000,"currency":"INR"}""";

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private DataSource dataSource;

    private static Map<String, String> headers(String idempotencyKey, boolean v2) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Idempotency-Key", idempotencyKey);
        if (v2) {
            h.put("X-Signature-Version", "2");
        }
        return h;
    }

    private long orders(NativeClient client) {
        return jdbc.sql("select count(*) from orders where partner_id = :p").param("p", client.partnerId)
                .query(Long.class).single();
    }

    @Test
    void theExactSignedBytesOfAV2RechargeUnderANewIdempotencyKeyDoNotVerify() {
        NativeClient client = newPartner(100_000);
        String ts = Long.toString(NativeClient.uniqueMillis());
        String signature = client.signV2(ts, "POST", "/v1/recharges", "application/json", "pay-1", BODY);
        Http paid = client.sendRaw("POST", "/v1/recharges", BODY, headers("pay-1", true), ts, signature);
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);

        Http replayed = client.sendRaw("POST", "/v1/recharges", BODY, headers("pay-2", true), ts, signature);

        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.errorCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(orders(client)).isOne();
        assertThat(client.availableInr()).isEqualTo(100_000 - 1_000 + paid.number("commissionMinor") - paid.number("tdsMinor"));
    }

    @Test
    void aV2SignatureAlsoCoversTheContentType() {
        NativeClient client = newPartner(100_000);
        String ts = Long.toString(NativeClient.uniqueMillis());
        String signature = client.signV2(ts, "POST", "/v1/recharges", "application/json", "ct-1", BODY);
        Map<String, String> other = headers("ct-1", true);
        other.put("Content-Type", "application/json; charset=utf-8");

        assertThat(client.sendRaw("POST", "/v1/recharges", BODY, other, ts, signature).errorCode())
                .isEqualTo("INVALID_SIGNATURE");
        assertThat(orders(client)).isZero();
    }

    @Test
    void theExactSignedBytesOfAV1RechargeUnderANewIdempotencyKeyAreAReplay() {
        NativeClient client = newPartner(100_000);
        String ts = Long.toString(NativeClient.uniqueMillis());
        String signature = client.sign(ts, "POST", "/v1/recharges", BODY);
        assertThat(client.sendRaw("POST", "/v1/recharges", BODY, headers("v1-pay-1", false), ts, signature).status())
                .isEqualTo(200);

        Http replayed = client.sendRaw("POST", "/v1/recharges", BODY, headers("v1-pay-2", false), ts, signature);

        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.errorCode()).isEqualTo("REPLAYED_REQUEST");
        // more copies: refused by this node's memory of the replay before they reach a payment batch
        for (int i = 3; i < 6; i++) {
            assertThat(client.sendRaw("POST", "/v1/recharges", BODY, headers("v1-pay-" + i, false), ts, signature)
                    .errorCode()).isEqualTo("REPLAYED_REQUEST");
        }
        assertThat(orders(client)).isOne();
    }

    @Test
    void twoPaymentsWithIdenticalBodiesSignedInTheSameMillisecondAreBothPaidUnderV2() {
        NativeClient client = newPartner(100_000);
        String ts = Long.toString(NativeClient.uniqueMillis());

        Http first = client.sendRaw("POST", "/v1/recharges", BODY, headers("same-ms-1", true), ts,
                client.signV2(ts, "POST", "/v1/recharges", "application/json", "same-ms-1", BODY));
        Http second = client.sendRaw("POST", "/v1/recharges", BODY, headers("same-ms-2", true), ts,
                client.signV2(ts, "POST", "/v1/recharges", "application/json", "same-ms-2", BODY));

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(first.text("id")).isNotEqualTo(second.text("id"));
        assertThat(orders(client)).isEqualTo(2);
    }

    @Test
    void anUnknownKeyAndAWrongSignatureAnswerAlike() {
        NativeClient client = newPartner(0);
        NativeClient stranger = new NativeClient("http://localhost:" + port, "nobody", "no-such-key", "whatever");
        NativeClient wrongSecret = client.withSecret("not-the-secret");

        Http unknown = stranger.get("/v1/wallet");
        Http wrong = wrongSecret.get("/v1/wallet");

        assertThat(unknown.status()).isEqualTo(401).isEqualTo(wrong.status());
        assertThat(unknown.errorCode()).isEqualTo("INVALID_SIGNATURE").isEqualTo(wrong.errorCode());
        assertThat(unknown.body()).isEqualTo(wrong.body());
        // asked again, the unknown key is answered from the cache of unknown key ids, the same way
        assertThat(stranger.get("/v1/wallet").body()).isEqualTo(wrong.body());
    }

    @Test
    void aReplayStoreThatCannotRecordRefusesWithARetryableBusy() throws Exception {
        NativeClient client = newPartner(100_000);
        Http refused;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("lock table replay_signatures in exclusive mode");
            }
            refused = client.get("/v1/wallet");
            holder.rollback();
        }

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("BUSY");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(client.get("/v1/wallet").status()).isEqualTo(200);
    }

    @Test
    void aReplayOfAPaymentRefusedBeforeItsBatchIsStillAReplay() {
        NativeClient client = newPartner(100_000);
        String tooMuch = BODY.replace("1000", "90000000");
        String ts = Long.toString(NativeClient.uniqueMillis());
        String signature = client.sign(ts, "POST", "/v1/recharges", tooMuch);
        Http refused = client.sendRaw("POST", "/v1/recharges", tooMuch, headers("early-1", false), ts, signature);
        assertThat(refused.status()).isEqualTo(422);

        Http replayed = client.sendRaw("POST", "/v1/recharges", tooMuch, headers("early-2", false), ts, signature);

        assertThat(replayed.errorCode()).isEqualTo("REPLAYED_REQUEST");
    }

    @Test
    void aReplayOfAPaymentRefusedForFundsInItsBatchIsStillAReplay() {
        NativeClient client = newPartner(500);
        String ts = Long.toString(NativeClient.uniqueMillis());
        String signature = client.sign(ts, "POST", "/v1/recharges", BODY);
        Http refused = client.sendRaw("POST", "/v1/recharges", BODY, headers("funds-1", false), ts, signature);
        assertThat(refused.errorCode()).isEqualTo("INSUFFICIENT_FUNDS");
        partners.topUp(client.partnerId, billswitch.shared.Currency.INR, 100_000, "later-funding");

        Http replayed = client.sendRaw("POST", "/v1/recharges", BODY, headers("funds-2", false), ts, signature);

        assertThat(replayed.errorCode()).isEqualTo("REPLAYED_REQUEST");
        assertThat(orders(client)).isZero();
    }
}
