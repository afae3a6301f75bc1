package billswitch.it;

import static billswitch.it.ProcessTestSupport.adminCall;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.NativeClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Failover between two upstream BillSwitches, as real processes each on its own PostgreSQL: A routes
 * airtel-prepaid to B1 first (priority 1) and B2 second, through billswitch connectors. While nothing listens at
 * B1's address, A's payments go to B2 and A's order shows both attempts (B1 NOT_SENT, then B2's answer). Once B1
 * answers only after A's read timeout, A's answer is UNKNOWN and nothing is sent to B2: B1 pays, A's janitor
 * learns it from B1's status, and every side reconciles.
 */
class UpstreamFailoverIT {
    private static final long FUNDING = 10_000_000L;
    private static final int READ_MS = 1_500;

    @Test
    void aRefusedUpstreamFailsOverAndALateOneIsAskedNeverPaidTwice() throws Exception {
        Path dirA = Files.createTempDirectory("billswitch-failover-a");
        Path dirB1 = Files.createTempDirectory("billswitch-failover-b1");
        Path dirB2 = Files.createTempDirectory("billswitch-failover-b2");
        try (EmbeddedPostgres pgA = ProcessTestSupport.externalPostgres(dirA);
             EmbeddedPostgres pgB1 = ProcessTestSupport.externalPostgres(dirB1);
             EmbeddedPostgres pgB2 = ProcessTestSupport.externalPostgres(dirB2);
             ServerProcess b2 = new ServerProcess(pgB2.getJdbcUrl("postgres", "postgres"), dirB2,
                     ProcessTestSupport.FAST_SCHEDULES).start();
             ServerProcess a = new ServerProcess(pgA.getJdbcUrl("postgres", "postgres"), dirA,
                     ProcessTestSupport.fastSchedulesWith("--billswitch.resolution.initiated-grace=10s")).start();
             // started for case (b) only: answers every payment after A's read timeout
             ServerProcess b1 = new ServerProcess(pgB1.getJdbcUrl("postgres", "postgres"), dirB1,
                     ProcessTestSupport.fastSchedulesWith("--billswitch.sandbox.latency-ms=" + 2 * READ_MS,
                             // its sandbox's latency must end well inside its own initiated grace
                             "--billswitch.resolution.initiated-grace=10s"))) {
            String jdbcA = pgA.getJdbcUrl("postgres", "postgres");
            String jdbcB1 = pgB1.getJdbcUrl("postgres", "postgres");
            String jdbcB2 = pgB2.getJdbcUrl("postgres", "postgres");
            ProcessTestSupport.PartnerKeys atB2 = ProcessTestSupport.newPartner(b2.baseUrl(), "SWITCH-A", FUNDING, null);
            connector(a, "b1", "http://localhost:" + ServerProcess.freePort(), "not-yet", "not-yet");
            connector(a, "b2", b2.baseUrl(), atB2.apiKey(), atB2.apiSecret());
            adminCall(a.baseUrl(), "PUT", "/admin/operators/airtel-prepaid/routes", """
                    [{"connector":"b1","upstreamCode":"airtel-prepaid","priority":1},
                     {"connector":"b2","upstreamCode":"airtel-prepaid","priority":2}]""", 200);
            NativeClient shop = ProcessTestSupport.newPartner(a.baseUrl(), "SHOP-1", FUNDING, null).client(a.baseUrl());

            // (a) B1 refuses connections: each payment is sent on to B2, which pays or declines it.
            Http paid = recharge(shop, "refused-paid", "9876543210");
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            assertThat(paid.text("status")).isEqualTo("SUCCESS");
            List<JsonNode> attempts = attempts(a, paid.text("id"));
            assertThat(attempts).extracting(at -> at.get("connector").stringValue() + " " + at.get("outcome").stringValue())
                    .containsExactly("b1 NOT_SENT", "b2 SUCCESS");
            assertThat(upstreamStatus(jdbcB2, attempts.get(1))).isEqualTo("SUCCESS");
            assertThat(atB2.client(b2.baseUrl()).get("/v1/transactions?reference=" + reference(attempts.get(1)))
                    .text("amount")).isEqualTo("150.00");

            Http declined = recharge(shop, "refused-declined", "9876543218");
            assertThat(declined.status()).as(declined.body()).isEqualTo(200);
            assertThat(declined.text("status")).isEqualTo("FAILED");
            assertThat(attempts(a, declined.text("id")))
                    .extracting(at -> at.get("connector").stringValue() + " " + at.get("outcome").stringValue())
                    .as("a decline is final: not sent anywhere else").containsExactly("b1 NOT_SENT", "b2 FAILED");

            // (b) B1 answers after A's read timeout: UNKNOWN, never sent to B2, settled from B1's status.
            b1.start();
            ProcessTestSupport.PartnerKeys atB1 = ProcessTestSupport.newPartner(b1.baseUrl(), "SWITCH-A", FUNDING, null);
            adminCall(a.baseUrl(), "PATCH", "/admin/connectors/b1", """
                    {"baseUrl":"%s","credentials":{"apiKey":"%s","secret":"%s"}}"""
                    .formatted(b1.baseUrl(), atB1.apiKey(), atB1.apiSecret()), 200);
            Http late = recharge(shop, "late", "9876543211");
            assertThat(late.status()).as(late.body()).isEqualTo(202);
            assertThat(late.text("status")).isEqualTo("UNKNOWN");
            List<JsonNode> lateAttempts = attempts(a, late.text("id"));
            assertThat(lateAttempts).extracting(at -> at.get("connector").stringValue() + " " + at.get("outcome").stringValue())
                    .containsExactly("b1 UNKNOWN");
            String lateReference = reference(lateAttempts.getFirst());
            assertThat(atB2.client(b2.baseUrl()).get("/v1/transactions?reference=" + lateReference).status())
                    .as("no failover after an unknown outcome").isEqualTo(404);

            ProcessTestSupport.awaitSettled(jdbcB1, Duration.ofSeconds(60));
            ProcessTestSupport.awaitSettled(jdbcA, Duration.ofSeconds(60));
            assertThat(shop.get("/v1/transactions?reference=late").text("status")).isEqualTo("SUCCESS");
            assertThat(attempts(a, late.text("id"))).as("still one attempt").hasSize(1);
            assertThat(upstreamStatus(jdbcB1, lateAttempts.getFirst())).isEqualTo("SUCCESS");
            assertThat(ProcessTestSupport.queryLong(jdbcB2, "select count(*) from orders where reference = '"
                    + lateReference + "'")).isZero();

            for (ServerProcess node : List.of(a, b1, b2)) {
                Http verify = adminCall(node.baseUrl(), "GET", "/admin/ledger/verify", null, 200);
                assertThat(verify.json().get("ok").booleanValue()).as(verify.body()).isTrue();
            }
            UpstreamAudit.Upstream upstream1 = new UpstreamAudit.Upstream(jdbcB1, "SWITCH-A");
            UpstreamAudit.Upstream upstream2 = new UpstreamAudit.Upstream(jdbcB2, "SWITCH-A");
            UpstreamAudit.Totals totals = UpstreamAudit.reconcile(a.baseUrl(), jdbcA, "SHOP-1", List.of(upstream1, upstream2));
            assertThat(totals.downstreamByStatus()).containsEntry("SUCCESS", 2).containsEntry("FAILED", 1);
            assertThat(totals.upstreamPaid()).isEqualTo(2);
            UpstreamAudit.assertWalletMatchesPaidOrders(b1.baseUrl(), upstream1, "INR", FUNDING);
            UpstreamAudit.assertWalletMatchesPaidOrders(b2.baseUrl(), upstream2, "INR", FUNDING);
        }
    }

    private static void connector(ServerProcess a, String name, String baseUrl, String apiKey, String secret) {
        adminCall(a.baseUrl(), "POST", "/admin/connectors", """
                {"name":"%s","type":"billswitch","baseUrl":"%s","credentials":{"apiKey":"%s","secret":"%s"},
                "timeouts":{"connectMs":500,"readMs":%d}}""".formatted(name, baseUrl, apiKey, secret, READ_MS), 201);
    }

    private static Http recharge(NativeClient shop, String reference, String account) {
        return shop.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"%s","amountMinor":15000,"currency":"INR"}""".formatted(account),
                reference);
    }

    /** The order's attempts as A's admin API lists them. */
    private static List<JsonNode> attempts(ServerProcess a, String orderId) {
        List<JsonNode> attempts = new ArrayList<>();
        adminCall(a.baseUrl(), "GET", "/admin/orders/" + orderId, null, 200).json().get("attempts").forEach(attempts::add);
        return attempts;
    }

    private static String reference(JsonNode attempt) {
        return attempt.get("reference").stringValue();
    }

    /** The status of the upstream's order made by this attempt (the reference A sent). */
    private static String upstreamStatus(String jdbcB, JsonNode attempt) throws Exception {
        return ProcessTestSupport.queryText(jdbcB, "select status from orders where partner_id = 'SWITCH-A' and reference = '"
                + reference(attempt) + "'");
    }
}
