package billswitch.infra.db;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * V8's backfill: an AppotaPay top-up placed before orders kept their product code gets the one its stored
 * first answer echoed (the partner's own); nothing is made up for an order whose answer did not name one.
 */
class ProductCodeBackfillTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void appotaPayTopupsGetTheProductCodeTheirStoredAnswerNamedAndNothingElseGetsOne() throws IOException {
        String partner = "BACKFILL-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            insert(partner, "topup-old", "APPOTAPAY", "RECHARGE", """
                    {"errorCode":0,"message":"ok","transaction":{"appotapayTransId":"1","partnerRefId":"topup-old",\
                    "telco":"viettel","phoneNumber":"0987654321","productCode":"VTT50B","amount":50000}}""");
            insert(partner, "topup-unanswered", "APPOTAPAY", "RECHARGE", null);
            insert(partner, "bill-old", "APPOTAPAY", "BILL_PAY", """
                    {"errorCode":0,"transaction":{"productCode":"NOT-A-TOPUP"}}""");
            insert(partner, "native-old", "NATIVE", "RECHARGE", """
                    {"id":"1","reference":"native-old","status":"SUCCESS"}""");

            jdbc.sql(backfill()).update();

            assertThat(productCode(partner, "topup-old")).isEqualTo("VTT50B");
            assertThat(productCode(partner, "topup-unanswered")).isNull();
            assertThat(productCode(partner, "bill-old")).isNull();
            assertThat(productCode(partner, "native-old")).isNull();
        } finally {
            jdbc.sql("delete from orders where partner_id = :partner").param("partner", partner).update();
        }
    }

    /** The migration's update statement, as Flyway ran it. */
    private static String backfill() throws IOException {
        try (InputStream in = ProductCodeBackfillTest.class.getResourceAsStream(
                "/db/migration/V8__orders_keep_the_product_code.sql")) {
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(script.split(";")).map(String::strip)
                    .map(s -> s.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + "\n" + b).strip())
                    .filter(s -> s.startsWith("update orders")).findFirst().orElseThrow();
        }
    }

    private void insert(String partner, String reference, String dialect, String kind, String answer) {
        jdbc.sql("""
                insert into orders (partner_id, reference, kind, dialect, channel, operator_id, account_number,
                    amount_minor, currency, status, fingerprint, answer_status, answer_body, finished_at)
                values (:partner, :reference, :kind, :dialect, 'INSTANT', 'viettel', '0987654321', 50000, 'VND',
                    'SUCCESS', 'fp', :status, :answer, now())""")
                .param("partner", partner).param("reference", reference).param("kind", kind).param("dialect", dialect)
                .param("status", answer == null ? null : 200).param("answer", answer).update();
    }

    private String productCode(String partner, String reference) {
        return jdbc.sql("select product_code from orders where partner_id = :partner and reference = :reference")
                .param("partner", partner).param("reference", reference)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1))).single().orElse(null);
    }
}
