package billswitch.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** GET /admin/exports/payments.csv and statements.csv through the real server. */
class ExportsTest extends IntegrationTest {
    private static final String PAYMENTS_HEADER = "transaction_id,created_at,updated_at,finished_at,partner_id,reference,"
            + "kind,dialect,channel,operator_id,account_number,product_code,currency,amount_minor,amount,fee_minor,fee,"
            + "commission_minor,commission,status,operator_ref,failure_code,failure_message";

    @Autowired
    JdbcClient jdbc;

    private static String recharge(String account, long amountMinor) {
        return """
                {"operatorId":"airtel-prepaid","accountNumber":"%s","amountMinor":%d,"currency":"INR"}"""
                .formatted(account, amountMinor);
    }

    private static List<String> lines(Http csv) {
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        return Arrays.asList(csv.body().split("\r\n", -1)).subList(0, csv.body().split("\r\n", -1).length - 1);
    }

    private AdminClient viewer() {
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        Http created = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"READ_ONLY\"}".formatted(name));
        assertThat(created.status()).isEqualTo(201);
        return new AdminClient("http://localhost:" + port, created.text("token"));
    }

    @Test
    void paymentsExportFiltersEscapesAndIsReadableByAViewer() {
        NativeClient client = newPartner(10_000_000);
        Http ok = client.post("/v1/recharges", recharge("9876543210", 1_234), "-starts-with-minus");
        Http declined = client.post("/v1/recharges", recharge("9876543218", 19_900), "exp-declined");
        assertThat(ok.text("status")).isEqualTo("SUCCESS");
        assertThat(declined.text("status")).isEqualTo("FAILED");
        // text an upstream could send: commas, quotes, a line break and a formula
        jdbc.sql("update orders set failure_message = :m where id = :id")
                .param("m", "=HYPERLINK(\"http://evil\",\"x\"), then\nmore").param("id", Long.parseLong(declined.text("id")))
                .update();
        AdminClient viewer = viewer();
        String p = client.partnerId;

        List<String> all = lines(viewer.get("/admin/exports/payments.csv?partner=" + p));
        assertThat(all.get(0)).isEqualTo(PAYMENTS_HEADER);
        assertThat(String.join("\r\n", all.subList(1, all.size()))).startsWith(ok.text("id") + ",");
        String okLine = all.stream().filter(l -> l.startsWith(ok.text("id") + ",")).findFirst().orElseThrow();
        assertThat(okLine).contains("," + p + ",'-starts-with-minus,RECHARGE,NATIVE,INSTANT,airtel-prepaid,9876543210,,INR,1234,12.34,")
                .contains(",SUCCESS,");
        assertThat(okLine.split(",")[1]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        String body = viewer.get("/admin/exports/payments.csv?partner=" + p + "&status=FAILED").body();
        assertThat(body).contains(",FAILED,").doesNotContain(",SUCCESS,")
                .endsWith(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\"), then\nmore\"\r\n");

        assertThat(lines(admin().get("/admin/exports/payments.csv?reference=exp-declined&partner=" + p))).hasSize(2);
        assertThat(lines(admin().get("/admin/exports/payments.csv?transactionId=" + ok.text("id")))).hasSize(2);
        assertThat(lines(admin().get("/admin/exports/payments.csv?partner=" + p + "&accountNumber=9876543218"))).hasSize(2);
        assertThat(lines(admin().get("/admin/exports/payments.csv?partner=" + p + "&operator=airtel-prepaid"))).hasSize(3);
        assertThat(lines(admin().get("/admin/exports/payments.csv?partner=" + p + "&operator=bses-rajdhani"))).hasSize(1);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        String hourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(lines(admin().get("/admin/exports/payments.csv?partner=" + p + "&from=" + tomorrow))).hasSize(1);
        assertThat(lines(admin().get("/admin/exports/payments.csv?partner=" + p + "&from=" + hourAgo + "&to=" + tomorrow)))
                .hasSize(3);

        Http bad = admin().get("/admin/exports/payments.csv?status=DONE&transactionId=x&from=junk");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(bad.json().get("error").get("fields").propertyNames()).contains("status", "transactionId", "from");
        assertThat(new AdminClient("http://localhost:" + port, null).get("/admin/exports/payments.csv").status()).isEqualTo(401);
    }

    @Test
    void aPartnersStatementExportHasOpeningAndClosingBalances() {
        NativeClient client = newPartner(500_000);
        Http paid = client.post("/v1/recharges", recharge("9876543210", 2_000), "stmt-1");
        assertThat(paid.text("status")).isEqualTo("SUCCESS");

        List<String> lines = lines(viewer().get("/admin/exports/statements.csv?partner=" + client.partnerId + "&currency=INR"));
        assertThat(lines.get(0)).isEqualTo("entry_id,at,type,direction,currency,amount_minor,amount,opening_minor,opening,"
                + "closing_minor,closing,transaction_id,reference");
        assertThat(lines.get(1)).contains(",TOPUP,CREDIT,INR,500000,5000.00,0,0.00,500000,5000.00,,test-funding");
        assertThat(lines.get(2)).contains(",HOLD,DEBIT,INR,2000,20.00,500000,5000.00,498000,4980.00," + paid.text("id") + ",");
        assertThat(lines).hasSize(client.get("/v1/wallet/statement?currency=INR").json().get("entries").size() + 1);

        Http missing = admin().get("/admin/exports/statements.csv?currency=INR");
        assertThat(missing.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(missing.json().get("error").get("fields").has("partner")).isTrue();
        assertThat(admin().get("/admin/exports/statements.csv?partner=" + client.partnerId + "&currency=EUR")
                .json().get("error").get("fields").has("currency")).isTrue();
        assertThat(admin().get("/admin/exports/statements.csv?partner=NOBODY-X&currency=INR").errorCode())
                .isEqualTo("PARTNER_NOT_FOUND");
    }
}
