package billswitch.it;

import static billswitch.it.ProcessTestSupport.adminCall;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.NativeClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two real BillSwitch processes, each on its own PostgreSQL: A pays its partner's payments through B, a
 * BillSwitch in sandbox mode where A is the partner SWITCH-A, through each of its four connector types in turn
 * (eko, aopay, appotapay, billswitch: B's three provider dialects and its native API). Per connector: a recharge
 * paid, one declined (account ending 8), one B leaves unanswered and settles later as paid (ending 9) or declined
 * (ending 99), which A's janitor learns by asking B; a bill fetched then paid; and each status asked through A's
 * native API. Then A and B reconcile payment by payment, B's wallet of SWITCH-A is debited exactly what B paid,
 * and both ledgers verify.
 */
class UpstreamChainIT {
    private static final long A_INR = 50_000_000L;
    private static final long A_VND = 500_000_000L;
    private static final long B_INR = 100_000_000L;
    private static final long B_VND = 1_000_000_000L;
    private static final String INITIATOR = "9876500001";
    private static final String USER_CODE = "30810201";

    /**
     * One of A's connectors to B and what it is tried with: a recharge operator and a biller, each with the code
     * B's dialect knows it by, and their accounts (a recharge account's last digits are replaced by 0, 8, 9, 99).
     */
    private record Leg(String connector, String recharge, String rechargeCode, String rechargeAccount, long rechargeMinor,
                       String currency, String biller, String billerCode, String billAccount, String billParams) {
        String account(String ending) {
            return rechargeAccount.substring(0, rechargeAccount.length() - ending.length()) + ending;
        }
    }

    private static final List<Leg> LEGS = List.of(
            new Leg("eko-b", "airtel-prepaid", "400", "9876543210", 19_900, "INR", "bses-rajdhani", "22", "102277100", null),
            new Leg("aopay-b", "jio-prepaid", "511", "9876543210", 18_900, "INR", "tpddl", "22", "12345678901", null),
            new Leg("appota-b", "viettel", "viettel", "0987654320", 50_000, "VND", "evn", "EVN", "PE0400012345", null),
            new Leg("native-b", "vi-prepaid", "vi-prepaid", "9876543210", 40_900, "INR", "mseb", "mseb", "123456789012",
                    "{\"postalcode\":\"411001\"}"));

    @Test
    void everyConnectorTypePaysThroughARealUpstreamAndBothSidesReconcile() throws Exception {
        long started = System.nanoTime();
        Path dirA = Files.createTempDirectory("billswitch-chain-a");
        Path dirB = Files.createTempDirectory("billswitch-chain-b");
        try (EmbeddedPostgres pgA = ProcessTestSupport.externalPostgres(dirA);
             EmbeddedPostgres pgB = ProcessTestSupport.externalPostgres(dirB);
             ServerProcess b = new ServerProcess(pgB.getJdbcUrl("postgres", "postgres"), dirB,
                     ProcessTestSupport.FAST_SCHEDULES).start();
             ServerProcess a = new ServerProcess(pgA.getJdbcUrl("postgres", "postgres"), dirA,
                     ProcessTestSupport.fastSchedulesWith("--billswitch.resolution.initiated-grace=10s")).start()) {
            String jdbcA = pgA.getJdbcUrl("postgres", "postgres");
            String jdbcB = pgB.getJdbcUrl("postgres", "postgres");

            // At B: A's account, funded in both currencies, with a credential in every dialect and its native key.
            ProcessTestSupport.PartnerKeys switchA = ProcessTestSupport.newPartner(b.baseUrl(), "SWITCH-A", B_INR, null);
            ProcessTestSupport.topUp(b.baseUrl(), "SWITCH-A", "VND", B_VND, "funding-vnd");
            String ekoAccessKey = ProcessTestSupport.addCredential(b.baseUrl(), "SWITCH-A", """
                    {"dialect":"EKO","keyId":"switch-a-developer-key","attributes":{"initiatorId":"%s","userCodes":["%s"],
                    "requireRequestHash":true}}""".formatted(INITIATOR, USER_CODE));
            String aopayKey = ProcessTestSupport.addCredential(b.baseUrl(), "SWITCH-A", """
                    {"dialect":"AOPAY","keyId":"AOP-SWITCH-A"}""");
            String appotaSecret = ProcessTestSupport.addCredential(b.baseUrl(), "SWITCH-A", """
                    {"dialect":"APPOTAPAY","keyId":"switch-a-appota-key","attributes":{"partnerCode":"SWITCH-A"}}""");

            // At A: one connector of each type to B, and a funded partner.
            connector(a, "eko-b", "eko", b, """
                    {"developerKey":"switch-a-developer-key","accessKey":"%s","initiatorId":"%s","userCode":"%s"}"""
                    .formatted(ekoAccessKey, INITIATOR, USER_CODE));
            connector(a, "aopay-b", "aopay", b, """
                    {"registrationId":"AOP-SWITCH-A","signingKey":"%s"}""".formatted(aopayKey));
            connector(a, "appota-b", "appotapay", b, """
                    {"partnerCode":"SWITCH-A","apiKey":"switch-a-appota-key","secretKey":"%s"}""".formatted(appotaSecret));
            connector(a, "native-b", "billswitch", b, """
                    {"apiKey":"%s","secret":"%s"}""".formatted(switchA.apiKey(), switchA.apiSecret()));
            NativeClient shop = ProcessTestSupport.newPartner(a.baseUrl(), "SHOP-1", A_INR, null).client(a.baseUrl());
            ProcessTestSupport.topUp(a.baseUrl(), "SHOP-1", "VND", A_VND, "funding-vnd");

            // reference -> the status A must end with
            Map<String, String> expected = new LinkedHashMap<>();
            for (Leg leg : LEGS) {
                route(a, leg.recharge(), leg.connector(), leg.rechargeCode());
                route(a, leg.biller(), leg.connector(), leg.billerCode());
                payRecharges(shop, leg, expected);
                fetchAndPayABill(shop, leg, expected);
            }

            ProcessTestSupport.awaitSettled(jdbcA, Duration.ofSeconds(60));
            ProcessTestSupport.awaitSettled(jdbcB, Duration.ofSeconds(60));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                Http status = shop.get("/v1/transactions?reference=" + e.getKey());
                assertThat(status.status()).as(status.body()).isEqualTo(200);
                assertThat(status.text("status")).as("A's status of " + e.getKey() + ": " + status.body())
                        .isEqualTo(e.getValue());
                assertThat(shop.get("/v1/transactions/" + status.text("id")).text("status")).isEqualTo(e.getValue());
            }

            for (ServerProcess node : List.of(a, b)) {
                Http verify = adminCall(node.baseUrl(), "GET", "/admin/ledger/verify", null, 200);
                assertThat(verify.json().get("ok").booleanValue()).as(verify.body()).isTrue();
            }
            UpstreamAudit.Upstream atB = new UpstreamAudit.Upstream(jdbcB, "SWITCH-A");
            UpstreamAudit.Totals totals = UpstreamAudit.reconcile(a.baseUrl(), jdbcA, "SHOP-1", List.of(atB));
            assertThat(totals.downstreamByStatus()).containsEntry("SUCCESS", 3 * LEGS.size())
                    .containsEntry("FAILED", LEGS.size()).containsEntry("REFUNDED", LEGS.size());
            assertThat(totals.upstreamPaid()).isEqualTo(3 * LEGS.size());
            UpstreamAudit.assertWalletMatchesPaidOrders(b.baseUrl(), atB, "INR", B_INR);
            UpstreamAudit.assertWalletMatchesPaidOrders(b.baseUrl(), atB, "VND", B_VND);
            NativeClient switchAtB = switchA.client(b.baseUrl());
            for (JsonNode wallet : adminCall(b.baseUrl(), "GET", "/admin/partners/SWITCH-A", null, 200).json().get("wallets")) {
                String currency = wallet.get("currency").stringValue();
                JsonNode viaNative = switchAtB.get("/v1/wallet?currency=" + currency).json().get("wallets").get(0);
                assertThat(viaNative.get("currency").stringValue()).isEqualTo(currency);
                assertThat(viaNative.get("availableMinor").longValue()).as("%s float of A at B, native and admin", currency)
                        .isEqualTo(wallet.get("balanceMinor").longValue());
            }
            System.out.printf("upstream chain: %d payments through %d connectors reconciled in %d s%n", expected.size(),
                    LEGS.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
    }

    private static void connector(ServerProcess a, String name, String type, ServerProcess b, String credentials) {
        adminCall(a.baseUrl(), "POST", "/admin/connectors", """
                {"name":"%s","type":"%s","baseUrl":"%s","credentials":%s,"timeouts":{"connectMs":1000,"readMs":5000},
                "maxInFlight":64}""".formatted(name, type, b.baseUrl(), credentials), 201);
    }

    private static void route(ServerProcess a, String operatorId, String connector, String upstreamCode) {
        Http routes = adminCall(a.baseUrl(), "PUT", "/admin/operators/" + operatorId + "/routes", """
                [{"connector":"%s","upstreamCode":"%s","priority":1}]""".formatted(connector, upstreamCode), 200);
        assertThat(routes.json().get(0).get("connector").stringValue()).isEqualTo(connector);
    }

    /** Paid, declined, unanswered then paid, unanswered then declined: each first answer as B's dialect gave it. */
    private static void payRecharges(NativeClient shop, Leg leg, Map<String, String> expected) {
        record Case(String ending, int http, List<String> firstStatus, String finalStatus) {
        }
        for (Case c : List.of(new Case("0", 200, List.of("SUCCESS"), "SUCCESS"), new Case("8", 200, List.of("FAILED"), "FAILED"),
                new Case("9", 202, List.of("PENDING", "UNKNOWN"), "SUCCESS"),
                new Case("99", 202, List.of("PENDING", "UNKNOWN"), "REFUNDED"))) {
            String reference = leg.connector() + "-recharge-" + c.ending();
            Http paid = shop.post("/v1/recharges", """
                    {"operatorId":"%s","accountNumber":"%s","amountMinor":%d,"currency":"%s"}"""
                    .formatted(leg.recharge(), leg.account(c.ending()), leg.rechargeMinor(), leg.currency()), reference);
            assertThat(paid.status()).as(reference + ": " + paid.body()).isEqualTo(c.http());
            assertThat(paid.text("status")).as(reference + ": " + paid.body()).isIn(c.firstStatus());
            if (c.finalStatus().equals("SUCCESS") && c.http() == 200) {
                assertThat(paid.text("operatorRef")).as("B's reference in its dialect, passed on").isNotBlank();
            }
            expected.put(reference, c.finalStatus());
        }
    }

    private static void fetchAndPayABill(NativeClient shop, Leg leg, Map<String, String> expected) {
        String params = leg.billParams() == null ? "" : ",\"params\":" + leg.billParams();
        Http fetched = shop.post("/v1/bills/fetch", """
                {"operatorId":"%s","accountNumber":"%s"%s}""".formatted(leg.biller(), leg.billAccount(), params), null);
        assertThat(fetched.status()).as(leg.connector() + " fetch: " + fetched.body()).isEqualTo(200);
        assertThat(fetched.text("status")).isEqualTo("SUCCESS");
        long amount = fetched.json().get("bill").get("amountMinor").longValue();
        assertThat(amount).isPositive();
        String reference = leg.connector() + "-bill";
        Http paid = shop.post("/v1/bills/pay", """
                {"operatorId":"%s","accountNumber":"%s"%s,"amountMinor":%d,"currency":"%s","billFetchId":"%s"}"""
                .formatted(leg.biller(), leg.billAccount(), params, amount, leg.currency(), fetched.text("id")), reference);
        assertThat(paid.status()).as(reference + ": " + paid.body()).isEqualTo(200);
        assertThat(paid.text("status")).as(reference + ": " + paid.body()).isEqualTo("SUCCESS");
        assertThat(paid.text("billFetchId")).isEqualTo(fetched.text("id"));
        expected.put(reference, "SUCCESS");
    }
}
